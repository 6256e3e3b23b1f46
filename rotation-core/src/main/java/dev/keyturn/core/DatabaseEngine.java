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
 * bound values or escaped literals, so that no character in either can change a statement. The core
 * refuses user names with quotes, backslashes or control characters before an engine sees them; that
 * is a second line, not a reason to skip the quoting.
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
     * Why {@link #changePasswordKeepingCurrent} cannot run on this connection for {@code username},
     * or null when it can: the server's version, a privilege the logged-in user lacks, a setting the
     * account needs. The reason goes into the refusal or the fallback warning, so it should say what
     * to change. Engines whose servers never hold two passwords per account keep the default.
     *
     * <p>single-user-overlap asks first on the user's own connection ({@code asMaster} false); when
     * that has a problem and the secret names a master secret, it asks again on the master's.
     */
    default String overlapProblem(Connection connection, boolean asMaster, String username) throws SQLException {
        return "the server keeps one password per account";
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

    /**
     * Runs what {@link #connect} does before it reaches the network (the driver's URL and property
     * parsing, the TLS settings), without connecting, so that a function restored from a SnapStart
     * snapshot does not pay for it in its first login. The function calls it before the snapshot is
     * taken, with a placeholder request that names no real host, user or CA file. Implementations
     * must open no socket and keep nothing; {@link java.sql.Driver#getPropertyInfo} is a fitting tool.
     */
    default void prime(ConnectionRequest placeholder) throws SQLException {
    }
}
