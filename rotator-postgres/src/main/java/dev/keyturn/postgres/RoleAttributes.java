package dev.keyturn.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attributes of a role that {@code ALTER ROLE} sets, as {@code pg_roles} shows them to any
 * user. Password validity ({@code VALID UNTIL}) is left out: it belongs to a password, not a role.
 */
record RoleAttributes(boolean login, boolean superuser, boolean inherit, boolean createRole, boolean createDb,
        boolean replication, boolean bypassRls, int connectionLimit) {

    private static final String SELECT = "SELECT rolcanlogin, rolsuper, rolinherit, rolcreaterole, rolcreatedb, "
            + "rolreplication, rolbypassrls, rolconnlimit FROM pg_catalog.pg_roles WHERE rolname = ?";

    /** The role's attributes, or empty when no role has that name. */
    static Optional<RoleAttributes> read(Connection connection, String role) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setString(1, role);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RoleAttributes(row.getBoolean(1), row.getBoolean(2), row.getBoolean(3),
                        row.getBoolean(4), row.getBoolean(5), row.getBoolean(6), row.getBoolean(7), row.getInt(8)));
            }
        }
    }

    /**
     * The {@code ALTER ROLE} options that give {@code target} these attributes, with LOGIN always on.
     * Only differences are listed: SUPERUSER, REPLICATION and BYPASSRLS may only be named by a
     * superuser, and an RDS master is not one, so an option that changes nothing is never sent.
     */
    List<String> optionsToApplyTo(RoleAttributes target) {
        List<String> options = new ArrayList<>();
        addIfDifferent(options, true, target.login, "LOGIN");
        addIfDifferent(options, superuser, target.superuser, "SUPERUSER");
        addIfDifferent(options, inherit, target.inherit, "INHERIT");
        addIfDifferent(options, createRole, target.createRole, "CREATEROLE");
        addIfDifferent(options, createDb, target.createDb, "CREATEDB");
        addIfDifferent(options, replication, target.replication, "REPLICATION");
        addIfDifferent(options, bypassRls, target.bypassRls, "BYPASSRLS");
        if (connectionLimit != target.connectionLimit) {
            options.add("CONNECTION LIMIT " + connectionLimit);
        }
        return options;
    }

    private static void addIfDifferent(List<String> options, boolean wanted, boolean present, String keyword) {
        if (wanted != present) {
            options.add(wanted ? keyword : "NO" + keyword);
        }
    }
}
