package dev.keyturn.mysql;

import dev.keyturn.core.RotationStateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The account statements MySQL and MariaDB servers share, with the form chosen for the server the
 * connection reached. A MySQL account is {@code 'user'@'host'}; a secret names only the user, so
 * statements made through the master apply to every host the user has an account for.
 */
final class Accounts {
    private static final String MYSQL_HOSTS = "SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host";
    /** MariaDB keeps roles in mysql.user too, with an empty host; they are not login accounts. */
    private static final String MARIADB_HOSTS = "SELECT Host FROM mysql.user WHERE User = ? AND is_role = 'N' "
            + "ORDER BY Host";

    /**
     * MariaDB's {@code ALTER USER ... IDENTIFIED BY} switches an account to mysql_native_password;
     * {@code SET PASSWORD} keeps its plugin (ed25519 stays ed25519).
     */
    private static final String MARIADB_OWN_PASSWORD = "SET PASSWORD = PASSWORD(?)";
    private static final String MARIADB_SET_PASSWORD = "SET PASSWORD FOR " + Grant.ACCOUNT + " = PASSWORD(?)";
    /** MySQL keeps the account's plugin on ALTER USER ... IDENTIFIED BY. */
    private static final String MYSQL_OWN_PASSWORD = "ALTER USER CURRENT_USER() IDENTIFIED BY ?";
    private static final String MYSQL_OWN_PASSWORD_VERIFIED = "ALTER USER CURRENT_USER() IDENTIFIED BY ? REPLACE ?";
    private static final String MYSQL_SET_PASSWORD = "ALTER USER " + Grant.ACCOUNT + " IDENTIFIED BY ?";

    private Accounts() {
    }

    static void changeOwnPassword(Connection asUser, String oldPassword, String newPassword) throws SQLException {
        ownPasswordChange(ServerVersion.of(asUser), oldPassword, newPassword).execute(asUser);
    }

    static BoundStatement ownPasswordChange(ServerVersion server, String oldPassword, String newPassword) {
        if (server.mariaDb()) {
            return BoundStatement.of(MARIADB_OWN_PASSWORD, newPassword);
        }
        if (server.verifiesCurrentPassword()) {
            // harmless when the server does not ask for the current password, required when it does
            return BoundStatement.of(MYSQL_OWN_PASSWORD_VERIFIED, newPassword, oldPassword);
        }
        return BoundStatement.of(MYSQL_OWN_PASSWORD, newPassword);
    }

    /** Sets the password of every account {@code user} has, whatever its host. */
    static void setPassword(Connection asMaster, String user, String newPassword) throws SQLException {
        ServerVersion server = ServerVersion.of(asMaster);
        String sql = server.mariaDb() ? MARIADB_SET_PASSWORD : MYSQL_SET_PASSWORD;
        for (String host : existingHosts(asMaster, server, user)) {
            BoundStatement.of(sql, user, host, newPassword).execute(asMaster);
        }
    }

    /**
     * Gives {@code target} an account on each host {@code source} has one, with {@code newPassword},
     * the same plugin, TLS requirement, resource limits and grants. Accounts the target has on other
     * hosts are left as they are: the function never drops a user.
     */
    static void createOrSyncUser(Connection asMaster, String source, String target, String newPassword)
            throws SQLException {
        ServerVersion server = ServerVersion.of(asMaster);
        PrivilegeSync privileges = new PrivilegeSync(asMaster, server, Quoting.of(asMaster));
        Set<String> targetHosts = new HashSet<>(hosts(asMaster, server, target));
        for (String host : existingHosts(asMaster, server, source)) {
            AccountOptions.read(asMaster, server, source, host)
                    .createOrAlter(server, target, host, newPassword, targetHosts.contains(host))
                    .execute(asMaster);
            privileges.sync(source, target, host);
        }
    }

    private static List<String> existingHosts(Connection connection, ServerVersion server, String user)
            throws SQLException {
        List<String> hosts = hosts(connection, server, user);
        if (hosts.isEmpty()) {
            throw new RotationStateException("user " + user + " has no account on the server (mysql.user lists no "
                    + "host for it). Check the secret's username, and that the master user may read mysql.user.");
        }
        return hosts;
    }

    static List<String> hosts(Connection connection, ServerVersion server, String user) throws SQLException {
        return BoundStatement.of(server.mariaDb() ? MARIADB_HOSTS : MYSQL_HOSTS, user).column(connection);
    }

    /** Why a user name cannot be rotated on MySQL or MariaDB, or null. */
    static String userNameProblem(String username) {
        if (username.codePoints().anyMatch(c -> c > 0xFFFF)) {
            return "it contains a character outside Unicode's Basic Multilingual Plane (such as an emoji), "
                    + "which the server's user tables (utf8mb3) store as '?', so the name would reach another "
                    + "account";
        }
        if (username.endsWith(" ")) {
            return "it ends with a space, which the server ignores when it compares user names, so the name "
                    + "would reach the account without the space";
        }
        return null;
    }

    /** {@code 'user'@'host'} for messages; user and host names are not secret. */
    static String describe(String user, String host) {
        return "'" + user + "'@'" + host + "'";
    }
}
