package dev.keyturn.sqlserver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One permission a principal holds, as GRANT, DENY and REVOKE name it.
 *
 * @param name the permission, such as {@code SELECT} or {@code VIEW SERVER STATE}
 * @param on the securable clause with its leading space, such as {@code " ON SCHEMA::[sales]"}, or empty
 *     for a permission on the whole server or database
 * @param state as sys.server_permissions and sys.database_permissions write it: G (grant), W (grant with
 *     grant option) or D (deny)
 */
record Permission(String name, String on, String state) {
    static final String GRANT = "G";
    static final String GRANT_WITH_GRANT_OPTION = "W";
    static final String DENY = "D";

    /** The permission without its state: what GRANT, DENY and REVOKE act on. */
    String target() {
        return name + on;
    }

    /**
     * The statements that leave {@code grantee} holding exactly {@code wanted}: revoke what it holds
     * beyond, and grant or deny the rest. A permission held in another state is revoked first, because
     * neither GRANT nor DENY removes a grant option.
     */
    static List<String> statementsToMatch(Collection<Permission> wanted, Collection<Permission> held,
            String grantee) {
        Map<String, Permission> wantedByTarget = byTarget(wanted);
        Map<String, Permission> heldByTarget = byTarget(held);
        List<String> statements = new ArrayList<>();
        heldByTarget.forEach((target, permission) -> {
            Permission want = wantedByTarget.get(target);
            if (want == null || !want.state.equals(permission.state)) {
                statements.add(permission.revokeFrom(grantee));
            }
        });
        wantedByTarget.forEach((target, permission) -> {
            Permission have = heldByTarget.get(target);
            if (have == null || !have.state.equals(permission.state)) {
                statements.add(permission.giveTo(grantee));
            }
        });
        return statements;
    }

    /**
     * One entry per securable and permission. The catalog has a row per grantor; when grantors disagree,
     * a deny wins over a grant, as it does when SQL Server checks access.
     */
    private static Map<String, Permission> byTarget(Collection<Permission> permissions) {
        Map<String, Permission> result = new LinkedHashMap<>();
        for (Permission permission : permissions) {
            result.merge(permission.target(), permission, (a, b) -> a.rank() >= b.rank() ? a : b);
        }
        return result;
    }

    private int rank() {
        switch (state) {
            case DENY:
                return 2;
            case GRANT_WITH_GRANT_OPTION:
                return 1;
            default:
                return 0;
        }
    }

    String giveTo(String grantee) {
        switch (state) {
            case DENY:
                return "DENY " + target() + " TO " + grantee;
            case GRANT_WITH_GRANT_OPTION:
                return "GRANT " + target() + " TO " + grantee + " WITH GRANT OPTION";
            default:
                return "GRANT " + target() + " TO " + grantee;
        }
    }

    /** CASCADE with a grant option, which REVOKE demands then; without one there is nothing to cascade. */
    String revokeFrom(String grantee) {
        return "REVOKE " + target() + " FROM " + grantee + (state.equals(GRANT_WITH_GRANT_OPTION) ? " CASCADE" : "");
    }
}
