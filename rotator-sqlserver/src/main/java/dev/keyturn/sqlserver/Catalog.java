package dev.keyturn.sqlserver;

import static dev.keyturn.sqlserver.Tsql.identifier;

import dev.keyturn.core.RotationStateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the server's catalog views say about logins, database users, role memberships and
 * permissions. Every name is bound as a parameter; every name read back is quoted before it goes into
 * a statement.
 */
final class Catalog {
    /** sys.database_principals.authentication_type of a contained database user with a password. */
    static final int DATABASE_AUTHENTICATION = 2;

    private static final String LOGIN = "SELECT name, default_database_name, default_language_name, "
            + "is_policy_checked, is_expiration_checked FROM sys.sql_logins WHERE name = ?";
    private static final String CONTAINED_USER = "SELECT name, default_schema_name FROM sys.database_principals "
            + "WHERE name = ? AND type = 'S' AND authentication_type = " + DATABASE_AUTHENTICATION;
    private static final String SESSION_AUTHENTICATION = "SELECT authentication_type FROM sys.database_principals "
            + "WHERE principal_id = DATABASE_PRINCIPAL_ID()";
    private static final String USER_OF_LOGIN = "SELECT dp.name, dp.default_schema_name "
            + "FROM sys.database_principals dp JOIN sys.server_principals sp ON sp.sid = dp.sid "
            + "WHERE sp.name = ? AND dp.type = 'S'";
    private static final String DATABASE_PRINCIPAL = "SELECT name FROM sys.database_principals WHERE name = ?";
    private static final String SERVER_ROLES = "SELECT r.name FROM sys.server_role_members m "
            + "JOIN sys.server_principals r ON r.principal_id = m.role_principal_id "
            + "JOIN sys.server_principals u ON u.principal_id = m.member_principal_id WHERE u.name = ?";
    private static final String DATABASE_ROLES = "SELECT r.name FROM sys.database_role_members m "
            + "JOIN sys.database_principals r ON r.principal_id = m.role_principal_id "
            + "JOIN sys.database_principals u ON u.principal_id = m.member_principal_id WHERE u.name = ?";
    private static final String SERVER_PERMISSIONS = "SELECT p.class, p.permission_name, p.state, "
            + "COALESCE(s.name, e.name) AS securable, s.type AS principal_type "
            + "FROM sys.server_permissions p "
            + "JOIN sys.server_principals g ON g.principal_id = p.grantee_principal_id "
            + "LEFT JOIN sys.server_principals s ON p.class = 101 AND s.principal_id = p.major_id "
            + "LEFT JOIN sys.endpoints e ON p.class = 105 AND e.endpoint_id = p.major_id "
            + "WHERE g.name = ?";
    private static final String DATABASE_PERMISSIONS = "SELECT p.class, p.permission_name, p.state, "
            + "CASE p.class WHEN 1 THEN OBJECT_SCHEMA_NAME(p.major_id) WHEN 6 THEN SCHEMA_NAME(t.schema_id) "
            + "WHEN 10 THEN SCHEMA_NAME(x.schema_id) END AS schema_name, "
            + "CASE p.class WHEN 1 THEN OBJECT_NAME(p.major_id) WHEN 3 THEN SCHEMA_NAME(p.major_id) "
            + "WHEN 4 THEN dp.name WHEN 5 THEN a.name WHEN 6 THEN t.name WHEN 10 THEN x.name "
            + "WHEN 23 THEN fc.name WHEN 24 THEN sk.name WHEN 25 THEN c.name WHEN 26 THEN ak.name END AS securable, "
            + "CASE WHEN p.class = 1 AND p.minor_id > 0 THEN COL_NAME(p.major_id, p.minor_id) END AS column_name, "
            + "dp.type AS principal_type "
            + "FROM sys.database_permissions p "
            + "JOIN sys.database_principals g ON g.principal_id = p.grantee_principal_id "
            + "LEFT JOIN sys.database_principals dp ON p.class = 4 AND dp.principal_id = p.major_id "
            + "LEFT JOIN sys.assemblies a ON p.class = 5 AND a.assembly_id = p.major_id "
            + "LEFT JOIN sys.types t ON p.class = 6 AND t.user_type_id = p.major_id "
            + "LEFT JOIN sys.xml_schema_collections x ON p.class = 10 AND x.xml_collection_id = p.major_id "
            + "LEFT JOIN sys.fulltext_catalogs fc ON p.class = 23 AND fc.fulltext_catalog_id = p.major_id "
            + "LEFT JOIN sys.symmetric_keys sk ON p.class = 24 AND sk.symmetric_key_id = p.major_id "
            + "LEFT JOIN sys.certificates c ON p.class = 25 AND c.certificate_id = p.major_id "
            + "LEFT JOIN sys.asymmetric_keys ak ON p.class = 26 AND ak.asymmetric_key_id = p.major_id "
            + "WHERE g.name = ?";

    private final Connection connection;

    Catalog(Connection connection) {
        this.connection = connection;
    }

    /** A SQL Server login, with the options a copy of it should share. */
    record Login(String name, String defaultDatabase, String defaultLanguage, boolean policyChecked,
            boolean expirationChecked) {
    }

    /** A user of the connection's current database. */
    record DatabaseUser(String name, String defaultSchema) {
    }

    Optional<Login> login(String name) throws SQLException {
        return query(LOGIN, name, rows -> !rows.next() ? Optional.empty()
                : Optional.of(new Login(rows.getString("name"), rows.getString("default_database_name"),
                        rows.getString("default_language_name"), rows.getBoolean("is_policy_checked"),
                        rows.getBoolean("is_expiration_checked"))));
    }

    /** A user of the current database that logs in with its own password, without a login. */
    Optional<DatabaseUser> containedUser(String name) throws SQLException {
        return query(CONTAINED_USER, name, Catalog::firstUser);
    }

    /** The user the login maps to in the current database, by security identifier. */
    Optional<DatabaseUser> userOfLogin(String login) throws SQLException {
        return query(USER_OF_LOGIN, login, Catalog::firstUser);
    }

    /** Whether this connection logged in as a contained database user rather than through a login. */
    boolean sessionIsContainedUser() throws SQLException {
        return query(SESSION_AUTHENTICATION, null, rows -> rows.next() && rows.getInt(1) == DATABASE_AUTHENTICATION);
    }

    boolean databasePrincipalExists(String name) throws SQLException {
        return query(DATABASE_PRINCIPAL, name, ResultSet::next);
    }

    Set<String> serverRoles(String login) throws SQLException {
        return query(SERVER_ROLES, login, Catalog::names);
    }

    Set<String> databaseRoles(String user) throws SQLException {
        return query(DATABASE_ROLES, user, Catalog::names);
    }

    List<Permission> serverPermissions(String login) throws SQLException {
        return query(SERVER_PERMISSIONS, login, rows -> {
            List<Permission> permissions = new ArrayList<>();
            while (rows.next()) {
                String name = Tsql.keyword(rows.getString("permission_name"));
                String on = serverSecurable(rows.getInt("class"), rows.getString("securable"),
                        rows.getString("principal_type"), name);
                permissions.add(new Permission(name, on, rows.getString("state")));
            }
            return permissions;
        });
    }

    List<Permission> databasePermissions(String user) throws SQLException {
        return query(DATABASE_PERMISSIONS, user, rows -> {
            List<Permission> permissions = new ArrayList<>();
            while (rows.next()) {
                String name = Tsql.keyword(rows.getString("permission_name"));
                String on = databaseSecurable(rows.getInt("class"), rows.getString("schema_name"),
                        rows.getString("securable"), rows.getString("column_name"), rows.getString("principal_type"),
                        name);
                permissions.add(new Permission(name, on, rows.getString("state")));
            }
            return permissions;
        });
    }

    /** The ON clause for a server-level permission (sys.server_permissions.class). */
    static String serverSecurable(int securableClass, String name, String principalType, String permission) {
        switch (securableClass) {
            case 100:
                return "";
            case 101:
                return " ON " + ("R".equals(principalType) ? "SERVER ROLE" : "LOGIN") + "::" + quoted(name, permission);
            case 105:
                return " ON ENDPOINT::" + quoted(name, permission);
            default:
                throw uncopyable(permission, "server securable class " + securableClass);
        }
    }

    /** The ON clause for a database-level permission (sys.database_permissions.class). */
    static String databaseSecurable(int securableClass, String schema, String name, String column,
            String principalType, String permission) {
        switch (securableClass) {
            case 0:
                return "";
            case 1:
                return " ON OBJECT::" + identifier(named(schema, permission), named(name, permission))
                        + (column == null ? "" : " (" + identifier(column) + ")");
            case 3:
                return " ON SCHEMA::" + quoted(name, permission);
            case 4:
                return " ON " + databasePrincipalClass(principalType) + "::" + quoted(name, permission);
            case 5:
                return " ON ASSEMBLY::" + quoted(name, permission);
            case 6:
                return " ON TYPE::" + identifier(named(schema, permission), named(name, permission));
            case 10:
                return " ON XML SCHEMA COLLECTION::" + identifier(named(schema, permission), named(name, permission));
            case 23:
                return " ON FULLTEXT CATALOG::" + quoted(name, permission);
            case 24:
                return " ON SYMMETRIC KEY::" + quoted(name, permission);
            case 25:
                return " ON CERTIFICATE::" + quoted(name, permission);
            case 26:
                return " ON ASYMMETRIC KEY::" + quoted(name, permission);
            default:
                throw uncopyable(permission, "database securable class " + securableClass);
        }
    }

    private static String databasePrincipalClass(String principalType) {
        if ("R".equals(principalType)) {
            return "ROLE";
        }
        return "A".equals(principalType) ? "APPLICATION ROLE" : "USER";
    }

    private static String quoted(String name, String permission) {
        return identifier(named(name, permission));
    }

    private static String named(String name, String permission) {
        if (name == null) {
            throw uncopyable(permission, "a securable the catalog cannot name");
        }
        return name;
    }

    private static RotationStateException uncopyable(String permission, String what) {
        return new RotationStateException("a user holds " + permission + " on " + what + ", which this "
                + "function cannot copy or revoke. Grant it to a role the user is a member of instead (role "
                + "memberships are copied), or use single-user rotation.");
    }

    private static Optional<DatabaseUser> firstUser(ResultSet rows) throws SQLException {
        return rows.next() ? Optional.of(new DatabaseUser(rows.getString(1), rows.getString(2))) : Optional.empty();
    }

    private static Set<String> names(ResultSet rows) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        while (rows.next()) {
            names.add(rows.getString(1));
        }
        return names;
    }

    /** Reads the rows of a catalog query; the name, when there is one, is its only parameter. */
    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, String name, Rows<T> reader) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (name != null) {
                statement.setString(1, name);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        }
    }
}
