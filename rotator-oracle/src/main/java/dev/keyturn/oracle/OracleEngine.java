package dev.keyturn.oracle;

import static dev.keyturn.oracle.OracleSql.identifier;
import static dev.keyturn.oracle.OracleSql.password;

import dev.keyturn.core.ConfigurationException;
import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.PasswordRules;
import dev.keyturn.core.RotationStateException;
import dev.keyturn.core.TrustSettings;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLException;
import oracle.jdbc.OracleDriver;

/**
 * Oracle Database, including Amazon RDS for Oracle: database users with passwords.
 *
 * <p>single-user-overlap uses gradual password rollover (19.12 and later, 21c): when the user's
 * profile sets PASSWORD_ROLLOVER_TIME, the old password stays valid for that long after the change,
 * not until the next rotation. See {@link PasswordRollover}.
 */
public final class OracleEngine implements DatabaseEngine {
    static final String ENGINE = "oracle";
    /** RDS names its Oracle engines oracle-ee, oracle-se2, oracle-ee-cdb, ...; secrets sometimes carry those. */
    static final String RDS_ENGINE_PREFIX = "oracle-";
    static final int DEFAULT_PORT = 1521;
    /** Names hold at most 128 bytes from 12.2 on (COMPATIBLE 12.2 or higher), 30 before. */
    static final int MAX_NAME_BYTES = 128;
    /** Oracle names are usually upper case, and an unquoted name is read as upper case anyway. */
    static final String CLONE_SUFFIX = "_CLONE";

    /** Raises the password limit on servers that accept more; 23ai takes up to 1024 bytes. */
    static final String MAX_PASSWORD_BYTES_VARIABLE = "ORACLE_PASSWORD_MAX_BYTES";
    /** Oracle 19c's security guide: passwords can be at most 30 bytes long. */
    static final int DEFAULT_MAX_PASSWORD_BYTES = 30;
    /** Oracle 23ai accepts passwords of up to 1024 bytes. */
    static final int LARGEST_MAX_PASSWORD_BYTES = 1024;
    /** The core's shortest PASSWORD_LENGTH. */
    static final int SMALLEST_MAX_PASSWORD_BYTES = 8;
    /** The AWS-published functions generate 30 characters for Oracle. */
    static final int DEFAULT_PASSWORD_LENGTH = 30;

    /** ORA-01017: invalid username/password; logon denied. */
    static final int INVALID_CREDENTIALS = 1017;
    /** ORA-28000: the account is locked. */
    static final int ACCOUNT_LOCKED = 28000;
    /** ORA-17002: I/O error. No server answered, or the TLS handshake failed; the cause tells which. */
    static final int IO_ERROR = 17002;
    /**
     * No database answered for this address: no listener (12541), connect timeout (12170), timed out
     * (12535), no route (12543), host does not exist (12545), unknown host (17868), or the listener
     * knows no such service (12514) or SID (12505). Retrying with another password cannot help.
     */
    static final Set<Integer> NO_DATABASE = Set.of(12541, 12170, 12535, 12543, 12545, 17868, 12514, 12505);

    private final OracleDriver driver = new OracleDriver();
    private final int maxPasswordBytes;

    public OracleEngine() {
        this(System.getenv());
    }

    OracleEngine(Map<String, String> environment) {
        this.maxPasswordBytes = maxPasswordBytes(environment);
    }

    private static int maxPasswordBytes(Map<String, String> environment) {
        String value = environment.get(MAX_PASSWORD_BYTES_VARIABLE);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_PASSWORD_BYTES;
        }
        try {
            int bytes = Integer.parseInt(value.trim());
            if (bytes >= SMALLEST_MAX_PASSWORD_BYTES && bytes <= LARGEST_MAX_PASSWORD_BYTES) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(MAX_PASSWORD_BYTES_VARIABLE + " is '" + value + "'. Set it to a whole "
                + "number from " + SMALLEST_MAX_PASSWORD_BYTES + " to " + LARGEST_MAX_PASSWORD_BYTES + " (30 up to "
                + "Oracle 21c, up to 1024 on 23ai).");
    }

    @Override
    public String name() {
        return ENGINE;
    }

    @Override
    public boolean serves(DatabaseSecret secret) {
        String engine = secret.engine().toLowerCase(Locale.ROOT);
        return engine.equals(ENGINE) || engine.startsWith(RDS_ENGINE_PREFIX);
    }

    @Override
    public String servedEngines() {
        return "'oracle' (or the RDS names oracle-ee, oracle-se2, oracle-ee-cdb, oracle-se2-cdb)";
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
    public String cloneSuffix() {
        return CLONE_SUFFIX;
    }

    /**
     * No double quote (a quoted password cannot hold one), a letter first (as Oracle's own tools and
     * verify functions expect), and at most {@value #DEFAULT_MAX_PASSWORD_BYTES} characters unless
     * {@value #MAX_PASSWORD_BYTES_VARIABLE} says otherwise. The limit is in bytes; generated passwords
     * are ASCII, and any password with other characters is also measured in bytes before it is sent.
     */
    @Override
    public PasswordRules passwordRules() {
        return new PasswordRules(Math.min(DEFAULT_PASSWORD_LENGTH, maxPasswordBytes), maxPasswordBytes, "\"", false)
                .startingWithLetter();
    }

    @Override
    public String userNameProblem(String username) {
        if (username.indexOf('"') >= 0) {
            return "Oracle cannot quote a name that contains a double quote";
        }
        int bytes = username.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            return "it has " + bytes + " bytes in UTF-8, and Oracle names hold at most " + MAX_NAME_BYTES;
        }
        return null;
    }

    @Override
    public Connection connect(ConnectionRequest request) throws SQLException {
        return driver.connect(url(request), properties(request));
    }

    /** Runs the driver's URL and property parsing for this request, without connecting. */
    @Override
    public void prime(ConnectionRequest placeholder) throws SQLException {
        driver.getPropertyInfo(url(placeholder), properties(placeholder));
    }

    private static String url(ConnectionRequest request) {
        return "jdbc:oracle:thin:@" + OracleAddress.descriptor(request);
    }

    private static Properties properties(ConnectionRequest request) {
        Properties properties = new Properties();
        properties.setProperty("user", request.username());
        properties.setProperty("password", request.password());
        properties.setProperty("oracle.net.CONNECT_TIMEOUT", Long.toString(request.connectTimeout().toMillis()));
        properties.putAll(tlsProperties(request));
        return properties;
    }

    /**
     * TCPS (chosen in the descriptor) with the CA bundle as the trust store, or the JVM's when there is
     * none, and the host name matched against the certificate unless TLS_VERIFY_HOSTNAME is false. The
     * driver matches the name after the Net8 connect exchange that follows the handshake and before it
     * authenticates, so no credential leaves before the check.
     */
    static Properties tlsProperties(ConnectionRequest request) {
        Properties properties = new Properties();
        if (!request.useTls()) {
            return properties;
        }
        TrustSettings trust = request.trust();
        properties.setProperty("oracle.net.ssl_server_dn_match", Boolean.toString(trust.verifyHostname()));
        trust.caKeyStore().ifPresent(store -> {
            properties.setProperty("javax.net.ssl.trustStore", store.path().toString());
            properties.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            properties.setProperty("javax.net.ssl.trustStorePassword", store.password());
        });
        return properties;
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        int code = failure.getErrorCode();
        if (code == INVALID_CREDENTIALS) {
            return LoginFailure.REFUSED;
        }
        if (code == ACCOUNT_LOCKED) {
            return LoginFailure.LOCKED;
        }
        if (NO_DATABASE.contains(code) || (code == IO_ERROR && !causedByTls(failure))) {
            return LoginFailure.UNREACHABLE;
        }
        return LoginFailure.OTHER;
    }

    private static boolean causedByTls(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void testConnection(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1 FROM DUAL");
        }
    }

    /**
     * ALTER USER ... IDENTIFIED BY ... REPLACE, always with REPLACE: a user without the ALTER USER
     * privilege whose profile has a password verify function must give the old password, and Oracle
     * checks it when a user changes its own. The old password is the one this connection logged in
     * with. The name is the session's own, so the statement cannot reach another user.
     */
    @Override
    public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException {
        checkPassword(newPassword, "the new password");
        checkQuotable(oldPassword, "the password the user logged in with");
        String sessionUser = new Dictionary(asUser).sessionUser();
        new Ddl(asUser).run("ALTER USER " + identifier(sessionUser) + " IDENTIFIED BY " + password(newPassword)
                + " REPLACE " + password(oldPassword));
    }

    @Override
    public void setPassword(Connection asMaster, String username, String newPassword) throws SQLException {
        checkPassword(newPassword, "the new password");
        Dictionary dictionary = new Dictionary(asMaster);
        String stored = dictionary.storedName(username);
        if (dictionary.user(stored).isEmpty()) {
            throw new RotationStateException("Oracle has no user " + stored + " (the secret's username " + username
                    + ", as Oracle reads it), so the master cannot reset its password. Check the secret.");
        }
        new Ddl(asMaster).run(CloneSync.alterPassword(stored, newPassword));
    }

    @Override
    public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException {
        checkPassword(newPassword, "the new password");
        new CloneSync(new Dictionary(asMaster), new Ddl(asMaster)).copy(sourceUser, targetUser, newPassword);
    }

    @Override
    public String overlapProblem(Connection connection, boolean asMaster, String username) throws SQLException {
        return PasswordRollover.problem(connection, asMaster);
    }

    /** Only as the user itself: {@link #overlapProblem} tells the core that the master is not used. */
    @Override
    public void changePasswordKeepingCurrent(Connection connection, boolean asMaster, String username,
            String currentPassword, String newPassword) throws SQLException {
        if (asMaster) {
            throw new IllegalArgumentException("Oracle's password rollover is started by the user, not the master");
        }
        checkPassword(newPassword, "the new password");
        checkQuotable(currentPassword, "the password the user logged in with");
        PasswordRollover.keepCurrent(connection, currentPassword, newPassword);
    }

    /**
     * Refuses, before any SQL runs, a password Oracle cannot take: one with a double quote, which the
     * statement cannot carry, or one longer in bytes than the server accepts (the core counts
     * characters, which differ for non-ASCII passwords).
     */
    private void checkPassword(String password, String which) {
        checkQuotable(password, which);
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxPasswordBytes) {
            throw new InvalidSecretException(which + " has " + bytes + " bytes in UTF-8, more than the "
                    + maxPasswordBytes + " Oracle accepts (" + MAX_PASSWORD_BYTES_VARIABLE + "). Nothing was "
                    + "changed. Use a shorter password, or raise the setting on a server that takes more.");
        }
    }

    /** The password a user logged in with needs no length check: the server took it. */
    private static void checkQuotable(String password, String which) {
        if (password.indexOf('"') >= 0) {
            throw new InvalidSecretException(which + " contains a double quote, which Oracle cannot take in a "
                    + "statement. Nothing was changed. Set a password without one.");
        }
    }
}
