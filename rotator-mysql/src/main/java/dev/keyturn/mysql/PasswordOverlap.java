package dev.keyturn.mysql;

import dev.keyturn.core.RotationStateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * single-user-overlap on MySQL and MariaDB: leaves an account accepting exactly two passwords, the
 * new one and the current one, with the same result when it runs again after a crash (the rerun
 * logs in with the current password, which is then the retained one).
 *
 * <ul>
 *   <li>MariaDB 10.4 and later: two authentication alternatives of the account's own plugin,
 *       {@code IDENTIFIED VIA p USING PASSWORD(new) OR p USING PASSWORD(current)}. The statement
 *       names both passwords, so a rerun changes nothing, and whatever the account accepted before
 *       (the password before the current one) is gone. MariaDB lets only an account with CREATE
 *       USER (or UPDATE on the mysql schema) run it, even on its own account.
 *   <li>MySQL 8.0.14 and later, Aurora MySQL 3: {@code RETAIN CURRENT PASSWORD} makes the primary
 *       password the secondary one. Run twice, it would retain the new password and lose the current
 *       one, so each form below first makes sure that the current password is the primary one.
 *       Retaining one's own password takes APPLICATION_PASSWORD_ADMIN (or CREATE USER); another
 *       account's, CREATE USER.
 * </ul>
 *
 * <p>MariaDB ignores {@code ALTER USER CURRENT_USER() ...} without an error (10.11: nothing changes),
 * so its statements always name the account.
 */
final class PasswordOverlap {
    /** MariaDB 10.4 turned an account's authentication into a list of alternatives. */
    static final int[] MARIADB_ALTERNATIVES = {10, 4, 0};
    /** MySQL 8.0.14 added secondary passwords (RETAIN CURRENT PASSWORD). */
    static final int[] MYSQL_DUAL_PASSWORDS = {8, 0, 14};
    /** MySQL 8.0.19 added INFORMATION_SCHEMA.ENABLED_ROLES, which names the session's roles. */
    static final int[] MYSQL_ENABLED_ROLES_VIEW = {8, 0, 19};

    /** ER_INCORRECT_CURRENT_PASSWORD: REPLACE did not name the account's primary password. */
    static final int INCORRECT_CURRENT_PASSWORD = 3891;
    /** ER_CREDENTIALS_CONTRADICT_TO_HISTORY: a password reuse policy refuses a password the account had. */
    static final int PASSWORD_IN_HISTORY = 3638;
    /** ER_TABLEACCESS_DENIED_ERROR: the session may not read the table. */
    static final int TABLE_ACCESS_DENIED = 1142;

    static final String RETAIN_OWN = "ALTER USER CURRENT_USER() IDENTIFIED BY ? REPLACE ? RETAIN CURRENT PASSWORD";
    static final String CHECK_OWN_PRIMARY = "ALTER USER CURRENT_USER() IDENTIFIED BY ? REPLACE ?";
    static final String SET_PRIMARY = "ALTER USER " + Grant.ACCOUNT + " IDENTIFIED BY ?";
    static final String RETAIN_FOR = "ALTER USER " + Grant.ACCOUNT + " IDENTIFIED BY ? RETAIN CURRENT PASSWORD";
    static final String PLUGIN = "SELECT plugin FROM mysql.user WHERE User = ? AND Host = ?";

    static final String SESSION_ACCOUNT = "SELECT CURRENT_USER()";
    static final String MARIADB_ROLES = "SELECT ROLE_NAME, '' FROM information_schema.ENABLED_ROLES";
    static final String MYSQL_ROLES = "SELECT ROLE_NAME, ROLE_HOST FROM information_schema.ENABLED_ROLES";
    static final String GLOBAL_PRIVILEGES = "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES "
            + "WHERE GRANTEE IN (%s)";
    static final String MYSQL_SCHEMA_PRIVILEGES = "SELECT CONCAT('mysql.', PRIVILEGE_TYPE) "
            + "FROM information_schema.SCHEMA_PRIVILEGES WHERE TABLE_SCHEMA = 'mysql' AND GRANTEE IN (%s)";

    private PasswordOverlap() {
    }

    /** Why this connection cannot give {@code user} two passwords, or null when it can. */
    static String problem(Connection connection, boolean asMaster, String user) throws SQLException {
        ServerVersion server = ServerVersion.of(connection);
        return server.mariaDb() ? mariaDbProblem(connection, server, asMaster, user)
                : mySqlProblem(connection, server, asMaster);
    }

    /** Leaves {@code user} accepting exactly {@code newPassword} and {@code currentPassword}. */
    static void keepCurrent(Connection connection, boolean asMaster, String user, String currentPassword,
            String newPassword) throws SQLException {
        ServerVersion server = ServerVersion.of(connection);
        if (server.mariaDb()) {
            for (List<String> account : targetAccounts(connection, server, asMaster, user)) {
                alternatives(connection, account.get(0), account.get(1), currentPassword, newPassword)
                        .execute(connection);
            }
        } else if (asMaster) {
            for (List<String> account : targetAccounts(connection, server, true, user)) {
                retainFor(connection, account.get(0), account.get(1), currentPassword, newPassword);
            }
        } else {
            retainOwn(connection, currentPassword, newPassword);
        }
    }

    // MariaDB

    private static String mariaDbProblem(Connection connection, ServerVersion server, boolean asMaster, String user)
            throws SQLException {
        if (!atLeast(server, MARIADB_ALTERNATIVES)) {
            return "MariaDB " + describe(server) + " keeps one password per account; two authentication "
                    + "alternatives need 10.4 or later";
        }
        List<String> session = sessionAccount(connection);
        List<String> held = privileges(connection, server, session);
        if (!held.contains("CREATE USER") && !held.contains("UPDATE") && !held.contains("mysql.UPDATE")) {
            return "MariaDB lets only an account with the CREATE USER privilege (or UPDATE on the mysql schema) "
                    + "give an account two passwords, and " + Accounts.describe(session.get(0), session.get(1))
                    + " holds neither itself (MariaDB does not show what a role grants globally)";
        }
        try {
            for (List<String> account : targetAccounts(connection, server, asMaster, user)) {
                String plugin = plugin(connection, account.get(0), account.get(1));
                if (!AccountOptions.MARIADB_PASSWORD_PLUGINS.contains(plugin)) {
                    return "account " + Accounts.describe(account.get(0), account.get(1)) + " authenticates with "
                            + "the plugin '" + plugin + "', which takes no password";
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == TABLE_ACCESS_DENIED) {
                return Accounts.describe(session.get(0), session.get(1)) + " may not read mysql.user, where the "
                        + "account's authentication plugin is kept";
            }
            throw e;
        }
        return null;
    }

    /**
     * The account's own plugin for both alternatives, so that an ed25519 account stays ed25519. The
     * plugin name is one of a fixed set, checked before it becomes part of the statement.
     */
    static BoundStatement alternatives(Connection connection, String user, String host, String currentPassword,
            String newPassword) throws SQLException {
        String plugin = plugin(connection, user, host);
        if (!AccountOptions.MARIADB_PASSWORD_PLUGINS.contains(plugin)) {
            throw new RotationStateException("account " + Accounts.describe(user, host) + " authenticates with the "
                    + "plugin '" + plugin + "', which takes no password, so it cannot be given two. Nothing was "
                    + "changed.");
        }
        String alternative = plugin + " USING PASSWORD(?)";
        return BoundStatement.of("ALTER USER " + Grant.ACCOUNT + " IDENTIFIED VIA " + alternative + " OR "
                + alternative, user, host, newPassword, currentPassword);
    }

    private static String plugin(Connection connection, String user, String host) throws SQLException {
        List<String> plugins = BoundStatement.of(PLUGIN, user, host).column(connection);
        if (plugins.isEmpty()) {
            throw new RotationStateException("account " + Accounts.describe(user, host) + " disappeared during the "
                    + "rotation. Rotate again.");
        }
        String plugin = plugins.get(0);
        // MariaDB before 10.4 leaves the column empty for its native plugin; an upgraded table may still
        return plugin == null || plugin.isEmpty() ? "mysql_native_password" : plugin;
    }

    // MySQL

    private static String mySqlProblem(Connection connection, ServerVersion server, boolean asMaster)
            throws SQLException {
        if (!atLeast(server, MYSQL_DUAL_PASSWORDS)) {
            return "MySQL " + describe(server) + " has no secondary passwords; RETAIN CURRENT PASSWORD needs 8.0.14 "
                    + "or later (Aurora MySQL 3)";
        }
        List<String> session = sessionAccount(connection);
        List<String> held = privileges(connection, server, session);
        if (held.contains("CREATE USER") || !asMaster && held.contains("APPLICATION_PASSWORD_ADMIN")) {
            return null;
        }
        String account = Accounts.describe(session.get(0), session.get(1));
        return asMaster
                ? "MySQL lets an account keep another account's password as a secondary one only with the CREATE "
                        + "USER privilege, and " + account + " lacks it"
                : "MySQL lets an account keep its own password as a secondary one only with the "
                        + "APPLICATION_PASSWORD_ADMIN (or CREATE USER) privilege, and " + account + " has neither";
    }

    /**
     * The user's own account, in one statement. REPLACE names the current password, which the server
     * checks against the primary one even where it does not require it, so:
     * <ul>
     *   <li>current password primary (a first run): new becomes primary, current secondary;
     *   <li>refused (a rerun: the first run made the new password primary and retained the current
     *       one, with which this run logged in): the primary is checked to be the new password, by
     *       setting it again with REPLACE and without RETAIN, which leaves the secondary alone.
     * </ul>
     * A password reuse policy may refuse either statement because the new password is in the
     * account's history; this rotation generated it, so only its first run can have set it, and the
     * refusal says the same as a success.
     */
    static void retainOwn(Connection connection, String currentPassword, String newPassword) throws SQLException {
        try {
            BoundStatement.of(RETAIN_OWN, newPassword, currentPassword).execute(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() != INCORRECT_CURRENT_PASSWORD && e.getErrorCode() != PASSWORD_IN_HISTORY) {
                throw e;
            }
            checkNewPasswordIsPrimary(connection, newPassword);
        }
    }

    private static void checkNewPasswordIsPrimary(Connection connection, String newPassword) throws SQLException {
        try {
            BoundStatement.of(CHECK_OWN_PRIMARY, newPassword, newPassword).execute(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() == PASSWORD_IN_HISTORY) {
                return;
            }
            if (e.getErrorCode() == INCORRECT_CURRENT_PASSWORD) {
                throw new RotationStateException("the account's primary password is neither the AWSCURRENT nor the "
                        + "AWSPENDING one, while AWSCURRENT still logs in as its secondary password: someone changed "
                        + "it during the rotation. Nothing was changed. Set the password to the AWSCURRENT value "
                        + "(ALTER USER ... IDENTIFIED BY ... DISCARD OLD PASSWORD) and rotate again.");
            }
            throw e;
        }
    }

    /**
     * Another account, through the master: no REPLACE is possible, so the current password is made
     * primary first. A primary change without RETAIN leaves the secondary password as it is (MySQL
     * manual, "Dual Password Support"), so after the first statement the account accepts the current
     * password as primary and whatever it retained before; the second makes the new one primary and
     * retains the current one. A password reuse policy refuses either statement when its password is
     * already in the account's history: for the first, the current password is the primary one or was
     * (a first run retained it); for the second, this rotation generated the new password, so a first
     * run set it and retained the current one. Either way the step is done.
     */
    static void retainFor(Connection connection, String user, String host, String currentPassword,
            String newPassword) throws SQLException {
        executeUnlessInHistory(connection, BoundStatement.of(SET_PRIMARY, user, host, currentPassword));
        executeUnlessInHistory(connection, BoundStatement.of(RETAIN_FOR, user, host, newPassword));
    }

    private static void executeUnlessInHistory(Connection connection, BoundStatement statement) throws SQLException {
        try {
            statement.execute(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() != PASSWORD_IN_HISTORY) {
                throw e;
            }
        }
    }

    // shared

    /** The accounts to change: the session's own, or every host of {@code user} through the master. */
    private static List<List<String>> targetAccounts(Connection connection, ServerVersion server, boolean asMaster,
            String user) throws SQLException {
        if (!asMaster) {
            return List.of(sessionAccount(connection));
        }
        List<String> hosts = Accounts.hosts(connection, server, user);
        if (hosts.isEmpty()) {
            throw new RotationStateException("user " + user + " has no account on the server (mysql.user lists no "
                    + "host for it). Check the secret's username, and that the master user may read mysql.user.");
        }
        List<List<String>> accounts = new ArrayList<>();
        for (String host : hosts) {
            accounts.add(List.of(user, host));
        }
        return accounts;
    }

    /** {@code [user, host]} of the account this session authenticated as. */
    static List<String> sessionAccount(Connection connection) throws SQLException {
        String account = BoundStatement.of(SESSION_ACCOUNT).column(connection).get(0);
        int at = account.lastIndexOf('@');
        return List.of(account.substring(0, at), account.substring(at + 1));
    }

    /**
     * The global privileges of the account and of its enabled roles, plus {@code mysql.PRIV} for
     * privileges on the mysql schema, as INFORMATION_SCHEMA shows them to the session. MariaDB lists
     * no global privilege of a role there, so on MariaDB only the account's own count.
     */
    private static List<String> privileges(Connection connection, ServerVersion server, List<String> session)
            throws SQLException {
        List<String> grantees = new ArrayList<>();
        grantees.add(grantee(session.get(0), session.get(1)));
        String roles = server.mariaDb() ? MARIADB_ROLES
                : atLeast(server, MYSQL_ENABLED_ROLES_VIEW) ? MYSQL_ROLES : null;
        if (roles != null) {
            for (List<String> role : BoundStatement.of(roles).rows(connection)) {
                grantees.add(grantee(role.get(0), role.get(1)));
            }
        }
        String placeholders = String.join(", ", Collections.nCopies(grantees.size(), "?"));
        List<String> held = new ArrayList<>();
        held.addAll(new BoundStatement(String.format(GLOBAL_PRIVILEGES, placeholders), grantees).column(connection));
        held.addAll(new BoundStatement(String.format(MYSQL_SCHEMA_PRIVILEGES, placeholders), grantees)
                .column(connection));
        return held;
    }

    /** How INFORMATION_SCHEMA names an account. The core refuses user names with quotes. */
    private static String grantee(String user, String host) {
        return "'" + user + "'@'" + host + "'";
    }

    private static boolean atLeast(ServerVersion server, int[] version) {
        int[] actual = {server.major(), server.minor(), server.patch()};
        for (int i = 0; i < version.length; i++) {
            if (actual[i] != version[i]) {
                return actual[i] > version[i];
            }
        }
        return true;
    }

    private static String describe(ServerVersion server) {
        return server.major() + "." + server.minor() + "." + server.patch();
    }
}
