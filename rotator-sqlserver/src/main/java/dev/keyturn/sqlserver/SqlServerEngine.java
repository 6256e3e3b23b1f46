package dev.keyturn.sqlserver;

import static dev.keyturn.sqlserver.Tsql.identifier;
import static dev.keyturn.sqlserver.Tsql.unicodeLiteral;

import com.microsoft.sqlserver.jdbc.SQLServerDriver;
import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.PasswordRules;
import dev.keyturn.core.RotationStateException;
import dev.keyturn.core.TrustSettings;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLException;

/**
 * Microsoft SQL Server, including Amazon RDS for SQL Server: SQL Server logins, and contained
 * database users with passwords.
 */
public final class SqlServerEngine implements DatabaseEngine {
    static final String ENGINE = "sqlserver";
    /** RDS names its SQL Server engines sqlserver-ee, -se, -ex and -web; secrets sometimes carry those. */
    static final String RDS_ENGINE_PREFIX = "sqlserver-";
    static final int DEFAULT_PORT = 1433;
    /** Logins and users are sysname, nvarchar(128). */
    static final int MAX_NAME_LENGTH = 128;
    /** SQL Server's password policy page: passwords can be up to 128 characters long. */
    static final int MAX_PASSWORD_LENGTH = 128;

    /** Login failed. The server never says whether the name or the password was wrong. */
    static final int LOGIN_FAILED = 18456;
    /** The password policy locked the login out after too many failed attempts. */
    static final int ACCOUNT_LOCKED_OUT = 18486;
    /** The login is disabled: like a lock-out, no password gets in until someone enables it. */
    static final int ACCOUNT_DISABLED = 18470;
    /** The driver's SQLState for a connection it could not open or lost; it carries error number 0. */
    static final String CONNECTION_FAILURE = "08S01";

    /** Properties go in a Properties object, never into the URL, so no value can add a setting. */
    private static final String URL = "jdbc:sqlserver://";

    private final SQLServerDriver driver = new SQLServerDriver();

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
        return "'sqlserver' (or the RDS names sqlserver-ee, sqlserver-se, sqlserver-ex, sqlserver-web)";
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public int maxUserNameLength() {
        return MAX_NAME_LENGTH;
    }

    /**
     * Any character the {@code N''} literal can carry, up to 128. The policy's other demands (eight
     * characters, three of four character kinds, not the login's name) are left to the server, which
     * applies them only where CHECK_POLICY is on; the core's defaults (32 characters, every kind) meet
     * them.
     */
    @Override
    public PasswordRules passwordRules() {
        return PasswordRules.upTo(MAX_PASSWORD_LENGTH);
    }

    @Override
    public String userNameProblem(String username) {
        if (username.indexOf('\\') >= 0) {
            return "a name with a backslash is a Windows login, whose password SQL Server does not hold";
        }
        return null;
    }

    @Override
    public Connection connect(ConnectionRequest request) throws SQLException {
        return driver.connect(URL, properties(request));
    }

    /** Runs the driver's URL and property parsing for this request, without connecting. */
    @Override
    public void prime(ConnectionRequest placeholder) throws SQLException {
        driver.getPropertyInfo(URL, properties(placeholder));
    }

    private static Properties properties(ConnectionRequest request) {
        Properties properties = new Properties();
        properties.setProperty("serverName", request.host());
        properties.setProperty("portNumber", Integer.toString(request.port()));
        request.dbname().ifPresent(database -> properties.setProperty("databaseName", database));
        properties.setProperty("user", request.username());
        properties.setProperty("password", request.password());
        properties.setProperty("loginTimeout", Integer.toString(request.connectTimeoutSeconds()));
        properties.setProperty("applicationName", "keyturn");
        properties.putAll(tlsProperties(request));
        return properties;
    }

    /**
     * The driver's TLS settings for one attempt. Verified TLS never trusts the server's certificate
     * blindly; the host name is checked by the driver unless TLS_VERIFY_HOSTNAME is false, when
     * {@link ChainOnlyTrustManager} checks the chain alone.
     *
     * <p>With {@code encrypt=false} the driver still encrypts the login packet, unverified, and the
     * server may insist on encrypting everything; that is the driver's behaviour, not a fallback.
     */
    static Properties tlsProperties(ConnectionRequest request) {
        Properties properties = new Properties();
        if (!request.useTls()) {
            properties.setProperty("encrypt", "false");
            return properties;
        }
        properties.setProperty("encrypt", "true");
        properties.setProperty("trustServerCertificate", "false");
        TrustSettings trust = request.trust();
        if (!trust.verifyHostname()) {
            properties.setProperty("trustManagerClass", ChainOnlyTrustManager.class.getName());
            trust.caBundle().ifPresent(pem -> properties.setProperty("trustManagerConstructorArg", pem.toString()));
            return properties;
        }
        trust.caKeyStore().ifPresent(store -> {
            properties.setProperty("trustStore", store.path().toString());
            properties.setProperty("trustStorePassword", store.password());
            properties.setProperty("trustStoreType", "PKCS12");
        });
        return properties;
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        switch (failure.getErrorCode()) {
            case LOGIN_FAILED:
                return LoginFailure.REFUSED;
            case ACCOUNT_LOCKED_OUT:
            case ACCOUNT_DISABLED:
                return LoginFailure.LOCKED;
            case 0:
                return CONNECTION_FAILURE.equals(failure.getSQLState()) && !causedByTls(failure)
                        ? LoginFailure.UNREACHABLE
                        : LoginFailure.OTHER;
            default:
                return LoginFailure.OTHER;
        }
    }

    /** A failed handshake also ends in 08S01; its cause tells it apart from a server that never answered. */
    private static boolean causedByTls(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * ALTER LOGIN with OLD_PASSWORD, which any login may run on itself; a contained database user uses
     * the ALTER USER form. The old password is the one this connection logged in with, which is not
     * AWSCURRENT's when the core fell back to AWSPREVIOUS.
     */
    @Override
    public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException {
        String principal = new Catalog(asUser).sessionIsContainedUser() ? "USER " : "LOGIN ";
        new Ddl(asUser).run("ALTER " + principal + identifier(username) + " WITH PASSWORD = "
                + unicodeLiteral(newPassword) + " OLD_PASSWORD = " + unicodeLiteral(oldPassword));
    }

    @Override
    public void setPassword(Connection asMaster, String username, String newPassword) throws SQLException {
        Catalog catalog = new Catalog(asMaster);
        if (catalog.login(username).isPresent()) {
            new Ddl(asMaster).run(CloneSync.alterLoginPassword(username, newPassword));
        } else if (catalog.containedUser(username).isPresent()) {
            new Ddl(asMaster).run("ALTER USER " + identifier(username) + " WITH PASSWORD = "
                    + unicodeLiteral(newPassword));
        } else {
            throw new RotationStateException("SQL Server has no SQL login named " + username + ", and database "
                    + asMaster.getCatalog() + " has no contained user of that name, so the master cannot "
                    + "reset its password. Check the secret's username and dbname.");
        }
    }

    @Override
    public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException {
        new CloneSync(asMaster).copy(sourceUser, targetUser, newPassword);
    }
}
