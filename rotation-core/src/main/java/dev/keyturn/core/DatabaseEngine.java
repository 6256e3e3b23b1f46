package dev.keyturn.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What one database engine supplies to the rotation: how to connect, the statements that change a
 * password and that create or re-sync the other user, the connection test, and how to read its
 * errors. Everything else (the protocol, the secret, the order of logins, logging) is the core's.
 *
 * <p>Implementations must send user names as quoted identifiers or bound values, and passwords as
 * bound values or escaped literals, so that no character in either can change a statement.
 */
public interface DatabaseEngine {

    /** A short name for logs and metrics, such as {@code postgres}. */
    String name();

    /** Whether this engine rotates the given secret, judged by its {@code engine} key and any others. */
    boolean serves(DatabaseSecret secret);

    /** The {@code engine} values this function accepts, for the message that refuses another. */
    String servedEngines();

    int defaultPort();

    /** The longest user name the engine accepts, in characters. */
    int maxUserNameLength();

    /** Appended to a user name to name the other user in alternating-users rotation. */
    default String cloneSuffix() {
        return "_clone";
    }

    PasswordRules passwordRules();

    /**
     * Opens a connection. Implementations must honour {@link ConnectionRequest#useTls()} with the
     * server's certificate verified against {@link ConnectionRequest#trust()}, and never fall back to
     * plaintext by themselves.
     */
    Connection connect(ConnectionRequest request) throws SQLException;

    /** Reads a failed connection attempt, by SQLState or vendor code. */
    LoginFailure classify(SQLException failure);

    /** Proves a connection works; by default a trivial query. */
    default void testConnection(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    /**
     * Changes the password of the user this connection is logged in as.
     *
     * @param oldPassword the password this connection logged in with
     */
    void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException;

    /** Sets another user's password through a privileged connection. */
    void setPassword(Connection asMaster, String username, String newPassword) throws SQLException;

    /**
     * Creates {@code targetUser} if it does not exist, sets its password, and gives it exactly the
     * privileges of {@code sourceUser}. Runs on every rotation, so it must also bring an existing
     * user back in line: a privilege granted to or revoked from the source since the last rotation
     * must reach the target.
     */
    void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException;

    /**
     * Whether the server this connection reaches can keep the current password valid alongside a
     * new one. Engines that never can keep the default.
     */
    default boolean supportsOverlap(Connection connection) throws SQLException {
        return false;
    }

    /**
     * Leaves the account accepting exactly two passwords: {@code newPassword} and
     * {@code currentPassword}. Any older one stops working. Must give the same result when run twice.
     *
     * @param connection logged in as the user, or as the master when {@code asMaster} is true
     */
    default void changePasswordKeepingCurrent(Connection connection, boolean asMaster, String username,
            String currentPassword, String newPassword) throws SQLException {
        throw new UnsupportedOperationException(name() + " cannot hold two passwords for one account");
    }

    /** Checks a user name beyond the core's checks; returns why it is refused, or null. */
    default String userNameProblem(String username) {
        return null;
    }
}
