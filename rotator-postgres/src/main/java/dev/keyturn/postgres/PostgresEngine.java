package dev.keyturn.postgres;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.PasswordRules;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.postgresql.PGConnection;

/**
 * PostgreSQL, including Amazon RDS for PostgreSQL.
 *
 * <p>Passwords are hashed by the driver (SCRAM-SHA-256) before they leave the function, so the
 * statement the server runs, and any log of it, holds a verifier and never the password.
 *
 * <p>In alternating-users rotation the other user, {@code name_clone}, is a member of {@code name}
 * and logs in with {@code name} as its default role. Its sessions therefore act as {@code name}:
 * whatever either user creates is owned by {@code name}, and every privilege {@code name} holds,
 * including ones granted after the clone was created, applies. Role attributes (CREATEDB,
 * CREATEROLE, CONNECTION LIMIT, ...) are copied from {@code name} each time the clone's password is
 * set. Per-role settings ({@code ALTER ROLE name SET ...}) are not copied: the clone's sessions do
 * not see them.
 */
public final class PostgresEngine implements DatabaseEngine {
    /** The {@code engine} values of PostgreSQL secrets: RDS writes the first, some tools the second. */
    static final Set<String> ENGINE_VALUES = Set.of("postgres", "postgresql");
    static final int DEFAULT_PORT = 5432;
    /** Names longer than NAMEDATALEN - 1 bytes are silently truncated, which would name another role. */
    static final int MAX_NAME_BYTES = 63;
    /** RDS for PostgreSQL accepts master passwords of up to 128 characters. */
    static final int MAX_PASSWORD_LENGTH = 128;
    /** RDS refuses these in master passwords, and clients that build connection URLs trip over them. */
    static final String EXCLUDED_PASSWORD_CHARACTERS = "/\"@ ";
    /** PostgreSQL reserves role names starting with this prefix for its own roles. */
    static final String RESERVED_PREFIX = "pg_";
    /** invalid_password: the password, or the role, is wrong. */
    static final String INVALID_PASSWORD = "28P01";
    /** invalid_authorization_specification: no pg_hba entry, or the role may not log in. */
    static final String INVALID_AUTHORIZATION = "28000";
    /** undefined_object: what the server says about a role that does not exist. */
    static final String UNDEFINED_OBJECT = "42704";
    /** pgjdbc's state when no server answered: refused, timed out, unknown host. */
    static final String UNABLE_TO_CONNECT = "08001";
    /** Verifiers of this kind work with every authentication method of PostgreSQL 10 and later. */
    static final String PASSWORD_ENCRYPTION = "scram-sha-256";

    private final PostgresConnector connector = new PostgresConnector();

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public boolean serves(DatabaseSecret secret) {
        return ENGINE_VALUES.contains(secret.engine().trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public String servedEngines() {
        return "postgres (or postgresql)";
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public int maxUserNameLength() {
        return MAX_NAME_BYTES;
    }

    @Override
    public PasswordRules passwordRules() {
        return PasswordRules.upTo(MAX_PASSWORD_LENGTH).excluding(EXCLUDED_PASSWORD_CHARACTERS);
    }

    @Override
    public String userNameProblem(String username) {
        int bytes = username.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            return "it has " + bytes + " bytes in UTF-8, and PostgreSQL cuts names after " + MAX_NAME_BYTES;
        }
        if (username.startsWith(RESERVED_PREFIX)) {
            return "names starting with " + RESERVED_PREFIX + " are reserved for PostgreSQL's own roles";
        }
        return null;
    }

    @Override
    public Connection connect(ConnectionRequest request) throws SQLException {
        return connector.connect(request);
    }

    @Override
    public void prime(ConnectionRequest placeholder) throws SQLException {
        connector.prime(placeholder);
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        String state = failure.getSQLState();
        if (INVALID_PASSWORD.equals(state) || INVALID_AUTHORIZATION.equals(state)) {
            return LoginFailure.REFUSED;
        }
        if (causedByTls(failure)) {
            return LoginFailure.OTHER;
        }
        if (causedByNoAnswer(failure) || UNABLE_TO_CONNECT.equals(state)) {
            return LoginFailure.UNREACHABLE;
        }
        return LoginFailure.OTHER;
    }

    /**
     * Leaves the session's default role first: a clone's session acts as the base user, and
     * PostgreSQL lets a role change its own password only while acting as itself.
     */
    @Override
    public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException {
        try (Statement statement = asUser.createStatement()) {
            statement.execute("SET ROLE NONE");
        }
        setPassword(asUser, username, newPassword);
    }

    @Override
    public void setPassword(Connection connection, String username, String newPassword) throws SQLException {
        // the driver clears the array it is given
        connection.unwrap(PGConnection.class).alterUserPassword(username, newPassword.toCharArray(),
                PASSWORD_ENCRYPTION);
    }

    /**
     * Sets up {@code targetUser} as the clone of {@code sourceUser}, in one transaction. When the
     * source is the clone and the target its base user, the base user only gets its new password:
     * the clone keeps its membership and default role for the rotation after this one.
     */
    @Override
    public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException {
        if (sourceUser.equals(targetUser + cloneSuffix())) {
            setPassword(asMaster, targetUser, newPassword);
            return;
        }
        boolean autoCommit = asMaster.getAutoCommit();
        asMaster.setAutoCommit(false);
        try {
            makeClone(asMaster, sourceUser, targetUser);
            setPassword(asMaster, targetUser, newPassword);
            asMaster.commit();
        } catch (SQLException | RuntimeException e) {
            asMaster.rollback();
            throw e;
        } finally {
            asMaster.setAutoCommit(autoCommit);
        }
    }

    private static void makeClone(Connection connection, String base, String clone) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        String baseName = pg.escapeIdentifier(base);
        String cloneName = pg.escapeIdentifier(clone);
        RoleAttributes baseAttributes = RoleAttributes.read(connection, base)
                .orElseThrow(() -> new SQLException("role " + base + " does not exist", UNDEFINED_OBJECT));
        if (RoleAttributes.read(connection, clone).isEmpty()) {
            execute(connection, "CREATE ROLE " + cloneName + " LOGIN");
        }
        RoleAttributes cloneAttributes = RoleAttributes.read(connection, clone).orElseThrow();
        List<String> options = baseAttributes.optionsToApplyTo(cloneAttributes);
        if (!options.isEmpty()) {
            execute(connection, "ALTER ROLE " + cloneName + " WITH " + String.join(" ", options));
        }
        if (!isMember(connection, clone, base)) {
            execute(connection, "GRANT " + baseName + " TO " + cloneName);
        }
        // applied at every login of the clone, so its sessions act as the base user
        execute(connection, "ALTER ROLE " + cloneName + " SET role TO '" + pg.escapeLiteral(base) + "'");
    }

    private static boolean isMember(Connection connection, String member, String role) throws SQLException {
        String query = "SELECT 1 FROM pg_catalog.pg_auth_members m "
                + "JOIN pg_catalog.pg_roles r ON r.oid = m.roleid "
                + "JOIN pg_catalog.pg_roles u ON u.oid = m.member WHERE r.rolname = ? AND u.rolname = ?";
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, role);
            statement.setString(2, member);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean causedByTls(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedByNoAnswer(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }
}
