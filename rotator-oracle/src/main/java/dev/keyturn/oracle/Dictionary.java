package dev.keyturn.oracle;

import static dev.keyturn.oracle.OracleSql.identifier;
import static dev.keyturn.oracle.OracleSql.keyword;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Oracle's data dictionary says about users and their grants. Reading DBA_* views needs SELECT
 * ANY DICTIONARY or SELECT_CATALOG_ROLE, which the master user of RDS for Oracle has.
 */
final class Dictionary {
    /**
     * The name a user name from the secret stands for. Oracle reads an unquoted name in upper case,
     * both in SQL and at login (a secret's {@code admin} logs in as ADMIN), with its own case rules for
     * non-ASCII letters: so the database does the upper-casing.
     */
    private static final String STORED_NAME = "SELECT UPPER(?) FROM DUAL";
    private static final String SESSION_USER = "SELECT SYS_CONTEXT('USERENV', 'SESSION_USER') FROM DUAL";
    private static final String USER = "SELECT username, default_tablespace, temporary_tablespace, profile "
            + "FROM dba_users WHERE username = ?";
    private static final String ROLES = "SELECT granted_role, admin_option FROM dba_role_privs WHERE grantee = ?";
    private static final String SYSTEM_PRIVILEGES = "SELECT privilege, admin_option FROM dba_sys_privs "
            + "WHERE grantee = ?";
    private static final String OBJECT_PRIVILEGES = "SELECT owner, table_name, privilege, grantable, hierarchy, "
            + "type FROM dba_tab_privs WHERE grantee = ?";

    /** DBA_TAB_PRIVS.TYPE values whose GRANT names the object by a keyword and without an owner. */
    private static final List<String> UNOWNED_OBJECT_TYPES = List.of("DIRECTORY", "EDITION", "USER");

    private final Connection connection;

    Dictionary(Connection connection) {
        this.connection = connection;
    }

    /** A database user, with what a copy of it should share. */
    record User(String name, String defaultTablespace, String temporaryTablespace, String profile) {
    }

    String storedName(String secretUserName) throws SQLException {
        return query(STORED_NAME, secretUserName, rows -> {
            rows.next();
            return rows.getString(1);
        });
    }

    /** The user this connection logged in as, exactly as stored. */
    String sessionUser() throws SQLException {
        return query(SESSION_USER, null, rows -> {
            rows.next();
            return rows.getString(1);
        });
    }

    Optional<User> user(String storedName) throws SQLException {
        return query(USER, storedName, rows -> !rows.next() ? Optional.empty()
                : Optional.of(new User(rows.getString("username"), rows.getString("default_tablespace"),
                        rows.getString("temporary_tablespace"), rows.getString("profile"))));
    }

    /** Roles, system privileges and object privileges granted directly to the user. */
    List<Grant> grants(String storedName) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        grants.addAll(query(ROLES, storedName, rows -> adminGrants(rows, true)));
        grants.addAll(query(SYSTEM_PRIVILEGES, storedName, rows -> adminGrants(rows, false)));
        grants.addAll(query(OBJECT_PRIVILEGES, storedName, Dictionary::objectGrants));
        return grants;
    }

    private static List<Grant> adminGrants(ResultSet rows, boolean roles) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        while (rows.next()) {
            String what = roles ? identifier(rows.getString(1)) : keyword(rows.getString(1));
            grants.add(new Grant(what, "", yes(rows.getString(2)) ? Grant.ADMIN_OPTION : ""));
        }
        return grants;
    }

    private static List<Grant> objectGrants(ResultSet rows) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        while (rows.next()) {
            String options = (yes(rows.getString("grantable")) ? Grant.GRANT_OPTION : "")
                    + (yes(rows.getString("hierarchy")) ? Grant.HIERARCHY_OPTION : "");
            grants.add(new Grant(keyword(rows.getString("privilege")),
                    objectClause(rows.getString("type"), rows.getString("owner"), rows.getString("table_name")),
                    options));
        }
        return grants;
    }

    /** {@code ON "OWNER"."NAME"}, or {@code ON DIRECTORY "NAME"} for the kinds that have no owner in GRANT. */
    static String objectClause(String type, String owner, String name) {
        if (type != null && UNOWNED_OBJECT_TYPES.contains(type)) {
            return " ON " + type + " " + identifier(name);
        }
        return " ON " + identifier(owner, name);
    }

    private static boolean yes(String flag) {
        return "YES".equals(flag);
    }

    /** Reads the rows of a dictionary query; the name, when there is one, is its only parameter. */
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
