package dev.keyturn.mysql;

import dev.keyturn.core.RotationStateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives one account exactly the grants of another, on every rotation, by changing only what
 * differs. Both accounts' {@code SHOW GRANTS} are read into {@link Grant}s; what the target has and
 * the source lacks is revoked, then what the source has and the target lacks is granted.
 *
 * <p>Why a difference rather than revoking everything and granting again: the target is the user
 * the previous rotation made current, which applications still holding the previous secret use
 * until they refresh. Revoking everything would fail their statements for a moment on every
 * rotation, and a crash between the revoke and the grants would leave that user with no
 * privileges until the rotation is retried. The difference touches nothing when nothing changed,
 * and only the changed privileges otherwise.
 */
final class PrivilegeSync {
    private static final String SHOW_GRANTS = "SHOW GRANTS FOR " + Grant.ACCOUNT;
    private static final String DEFAULT_ROLES = "SELECT DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST FROM mysql.default_roles "
            + "WHERE USER = ? AND HOST = ? ORDER BY DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST";

    private final Connection connection;
    private final ServerVersion server;
    private final Quoting quoting;

    PrivilegeSync(Connection connection, ServerVersion server, Quoting quoting) {
        this.connection = connection;
        this.server = server;
        this.quoting = quoting;
    }

    /** Makes {@code target@host} hold exactly the grants of {@code source@host}. */
    void sync(String source, String target, String host) throws SQLException {
        List<Grant> wanted = grantsOf(source, host);
        List<Grant> held = grantsOf(target, host);

        String account = Grant.quotedAccount(target, host);

        List<Grant> extra = new ArrayList<>(held);
        extra.removeAll(wanted);
        // in reverse listing order, so that a partial revoke is lifted before the global grant it restricts
        Collections.reverse(extra);
        for (Grant grant : extra) {
            executeAsWritten(grant.removalSql(account));
        }

        for (String object : grantOptionsToDrop(wanted, held)) {
            executeAsWritten("REVOKE GRANT OPTION ON " + object + " FROM " + account);
        }

        for (Grant grant : wanted) {
            if (!held.contains(grant)) {
                executeAsWritten(grant.additionSql(account));
            }
        }

        if (server.keepsDefaultRolesInTable()) {
            syncDefaultRoles(source, target, host);
        }
    }

    /**
     * Sends the statement exactly as written: no placeholders to scan for and no JDBC escape syntax
     * to rewrite, so identifiers copied from SHOW GRANTS reach the server unchanged.
     */
    private void executeAsWritten(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        }
    }

    private List<Grant> grantsOf(String user, String host) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        for (String line : BoundStatement.of(SHOW_GRANTS, user, host).column(connection)) {
            try {
                grants.addAll(ShowGrants.parse(line, quoting));
            } catch (IllegalArgumentException e) {
                throw new RotationStateException("SHOW GRANTS for " + Accounts.describe(user, host) + " printed "
                        + e.getMessage() + ", which this function cannot read, so it cannot copy the privileges. "
                        + "Nothing more was changed; report the server version with this message.");
            }
        }
        return grants;
    }

    /** Objects on which the target holds the grant option and the source no longer does. */
    private static Set<String> grantOptionsToDrop(List<Grant> wanted, List<Grant> held) {
        Set<String> drop = new LinkedHashSet<>();
        for (Grant grant : held) {
            if (grant.carriesObjectGrantOption()) {
                drop.add(grant.object());
            }
        }
        for (Grant grant : wanted) {
            if (grant.carriesObjectGrantOption()) {
                drop.remove(grant.object());
            }
        }
        return drop;
    }

    /** MySQL 8 keeps default roles outside SHOW GRANTS; without them the copy's roles stay inactive. */
    private void syncDefaultRoles(String source, String target, String host) throws SQLException {
        List<List<String>> wanted = BoundStatement.of(DEFAULT_ROLES, source, host).rows(connection);
        List<List<String>> held = BoundStatement.of(DEFAULT_ROLES, target, host).rows(connection);
        if (wanted.equals(held)) {
            return;
        }
        if (wanted.isEmpty()) {
            BoundStatement.of("SET DEFAULT ROLE NONE TO " + Grant.ACCOUNT, target, host).execute(connection);
            return;
        }
        List<String> values = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (List<String> role : wanted) {
            roles.add(Grant.ACCOUNT);
            values.addAll(role);
        }
        values.add(target);
        values.add(host);
        new BoundStatement("SET DEFAULT ROLE " + String.join(", ", roles) + " TO " + Grant.ACCOUNT, values)
                .execute(connection);
    }
}
