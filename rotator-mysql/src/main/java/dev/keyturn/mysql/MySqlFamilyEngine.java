package dev.keyturn.mysql;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.PasswordRules;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * What the MySQL and MariaDB engines share: the account statements (chosen for the server each
 * connection reaches, see {@link ServerVersion}), the password rules, the login error codes both
 * servers use, and the shape of a connection. A subclass supplies its driver and its driver's
 * settings, and the codes by which its server reports a locked account.
 */
public abstract class MySqlFamilyEngine implements DatabaseEngine {
    public static final int DEFAULT_PORT = 3306;

    /** RDS for MySQL and for MariaDB take master passwords of 8 to 41 characters. */
    public static final int RDS_MAX_PASSWORD_LENGTH = 41;
    /**
     * RDS refuses {@code /}, {@code "} and {@code @} in master passwords; a space is left out too,
     * because option files, shell commands and connection strings that carry the password break on it.
     */
    public static final String RDS_EXCLUDED_CHARACTERS = "/\"@ ";

    /** ER_ACCESS_DENIED_ERROR: wrong password or unknown user, on MySQL and MariaDB alike. */
    static final int ACCESS_DENIED = 1045;
    /** ER_ACCESS_DENIED_NO_PASSWORD_ERROR: refused without checking a password (e.g. a socket-only account). */
    static final int ACCESS_DENIED_NO_PASSWORD = 1698;

    /**
     * How long a statement may wait for the server. The statements are small; a server silent for
     * this long is stuck (a metadata lock, a failover), and the step should fail with a clear error
     * before Lambda's own timeout ends it without one.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    /** A host name or an IPv4 address. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?");
    /** An IPv6 address, with or without brackets. */
    private static final Pattern IPV6 = Pattern.compile(
            "[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*|\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*]");

    /** The URL scheme of the driver: {@code mysql} or {@code mariadb}. */
    protected abstract String urlScheme();

    protected abstract Driver driver();

    /** The name of the driver property that names the database to open. */
    protected abstract String databaseProperty();

    /** Adds the driver's TLS settings and whatever else it needs beyond credentials and timeouts. */
    protected abstract void addDriverProperties(ConnectionRequest request, Properties properties);

    /** The vendor codes by which the server says that the account is locked or blocked. */
    protected abstract Set<Integer> lockedAccountCodes();

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public PasswordRules passwordRules() {
        return PasswordRules.upTo(RDS_MAX_PASSWORD_LENGTH).excluding(RDS_EXCLUDED_CHARACTERS);
    }

    /**
     * Connects with the credentials as driver properties, never in the URL, and the database name as
     * a property too, so that no character in it can reach the URL's option syntax.
     */
    @Override
    public Connection connect(ConnectionRequest request) throws SQLException {
        String url = url(request.host(), request.port());
        Connection connection = driver().connect(url, properties(request));
        if (connection == null) {
            throw new SQLException("the " + urlScheme() + " driver did not accept " + url, "08001");
        }
        return connection;
    }

    /** Runs the driver's URL and property parsing for this request, without connecting. */
    @Override
    public void prime(ConnectionRequest placeholder) throws SQLException {
        driver().getPropertyInfo(url(placeholder.host(), placeholder.port()), properties(placeholder));
    }

    private Properties properties(ConnectionRequest request) {
        Properties properties = new Properties();
        properties.setProperty("user", request.username());
        properties.setProperty("password", request.password());
        request.dbname().ifPresent(dbname -> properties.setProperty(databaseProperty(), dbname));
        properties.setProperty("connectTimeout", String.valueOf(request.connectTimeout().toMillis()));
        properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toMillis()));
        addDriverProperties(request, properties);
        return properties;
    }

    /** {@code jdbc:<scheme>://host:port/}, after checking that the host cannot carry URL syntax. */
    String url(String host, int port) {
        String address;
        if (HOST_NAME.matcher(host).matches()) {
            address = host;
        } else if (IPV6.matcher(host).matches()) {
            address = host.startsWith("[") ? host : "[" + host + "]";
        } else {
            throw new InvalidSecretException("the secret's 'host' is not a host name or an IP address: it contains "
                    + "characters such as '/', '?', '@' or spaces. Correct the secret's host.");
        }
        return "jdbc:" + urlScheme() + "://" + address + ":" + port + "/";
    }

    /**
     * Refused and locked come from the server's vendor code. Unreachable means the driver never got
     * an answer: a refused or timed-out TCP connection, or a host that does not resolve. A failed
     * TLS handshake also arrives as a communications failure, but the server did answer, so it is
     * {@link LoginFailure#OTHER}, which lets TLS_DEFAULT=preferred fall back.
     */
    @Override
    public LoginFailure classify(SQLException failure) {
        int code = failure.getErrorCode();
        if (code == ACCESS_DENIED || code == ACCESS_DENIED_NO_PASSWORD) {
            return LoginFailure.REFUSED;
        }
        if (lockedAccountCodes().contains(code)) {
            return LoginFailure.LOCKED;
        }
        if (hasCause(failure, SSLException.class)) {
            return LoginFailure.OTHER;
        }
        if (hasCause(failure, ConnectException.class) || hasCause(failure, NoRouteToHostException.class)
                || hasCause(failure, UnknownHostException.class) || hasCause(failure, SocketTimeoutException.class)) {
            return LoginFailure.UNREACHABLE;
        }
        return LoginFailure.OTHER;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        Throwable cause = failure;
        // a bound on the depth, in case a driver ever builds a cycle of causes
        for (int depth = 0; cause != null && depth < 20; depth++) {
            if (type.isInstance(cause)) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    @Override
    public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException {
        Accounts.changeOwnPassword(asUser, oldPassword, newPassword);
    }

    @Override
    public void setPassword(Connection asMaster, String username, String newPassword) throws SQLException {
        Accounts.setPassword(asMaster, username, newPassword);
    }

    @Override
    public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException {
        Accounts.createOrSyncUser(asMaster, sourceUser, targetUser, newPassword);
    }

    /** MariaDB 10.4+ (two authentication alternatives), MySQL 8.0.14+ (a secondary password). */
    @Override
    public String overlapProblem(Connection connection, boolean asMaster, String username) throws SQLException {
        return PasswordOverlap.problem(connection, asMaster, username);
    }

    @Override
    public void changePasswordKeepingCurrent(Connection connection, boolean asMaster, String username,
            String currentPassword, String newPassword) throws SQLException {
        PasswordOverlap.keepCurrent(connection, asMaster, username, currentPassword, newPassword);
    }

    @Override
    public String userNameProblem(String username) {
        return Accounts.userNameProblem(username);
    }
}
