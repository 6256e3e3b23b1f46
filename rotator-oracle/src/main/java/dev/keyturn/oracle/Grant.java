package dev.keyturn.oracle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One role or privilege a user holds, as GRANT and REVOKE name it.
 *
 * @param what a quoted role ({@code "APP_READER"}) or a privilege keyword ({@code CREATE SESSION},
 *     {@code SELECT})
 * @param on for an object privilege, the object clause with its leading space, such as
 *     {@code  ON "HR"."EMP"}; empty for a role or a system privilege
 * @param options the WITH clauses with their leading space ({@code " WITH ADMIN OPTION"}), or empty
 */
record Grant(String what, String on, String options) {
    static final String ADMIN_OPTION = " WITH ADMIN OPTION";
    static final String GRANT_OPTION = " WITH GRANT OPTION";
    static final String HIERARCHY_OPTION = " WITH HIERARCHY OPTION";

    /** The role or privilege without its options: what GRANT and REVOKE act on. */
    String target() {
        return what + on;
    }

    /**
     * The statements that leave {@code grantee} holding exactly {@code wanted}. Oracle cannot take
     * away just an ADMIN or GRANT OPTION, so a grant held with other options is revoked and granted
     * again.
     */
    static List<String> statementsToMatch(Collection<Grant> wanted, Collection<Grant> held, String grantee) {
        Map<String, Grant> wantedByTarget = byTarget(wanted);
        Map<String, Grant> heldByTarget = byTarget(held);
        List<String> statements = new ArrayList<>();
        heldByTarget.forEach((target, grant) -> {
            Grant want = wantedByTarget.get(target);
            if (want == null || !want.options.equals(grant.options)) {
                statements.add(grant.revokeFrom(grantee));
            }
        });
        wantedByTarget.forEach((target, grant) -> {
            Grant have = heldByTarget.get(target);
            if (have == null || !have.options.equals(grant.options)) {
                statements.add(grant.giveTo(grantee));
            }
        });
        return statements;
    }

    /** One entry per role or privilege; the dictionary has a row per grantor, and the widest one counts. */
    private static Map<String, Grant> byTarget(Collection<Grant> grants) {
        Map<String, Grant> result = new LinkedHashMap<>();
        for (Grant grant : grants) {
            result.merge(grant.target(), grant, (a, b) -> a.options.length() >= b.options.length() ? a : b);
        }
        return result;
    }

    String giveTo(String grantee) {
        return "GRANT " + target() + " TO " + grantee + options;
    }

    /** Revoking REFERENCES needs CASCADE CONSTRAINTS when the grantee has foreign keys that rely on it. */
    String revokeFrom(String grantee) {
        boolean references = !on.isEmpty() && what.equals("REFERENCES");
        return "REVOKE " + target() + " FROM " + grantee + (references ? " CASCADE CONSTRAINTS" : "");
    }
}
