package dev.keyturn.postgres;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.InvalidSecretException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.ssl.DefaultJavaSSLFactory;

/**
 * Opens pgjdbc connections from a {@link ConnectionRequest}. Credentials and TLS settings travel as
 * driver properties; the URL carries only the host, port and database, each checked or encoded so
 * that no value from the secret can add a URL parameter.
 */
final class PostgresConnector {
    /** The database the AWS-published functions open when the secret has no {@code dbname}. */
    static final String DEFAULT_DATABASE = "postgres";
    /** Shows up in pg_stat_activity and the server log, so a DBA can tell rotation sessions apart. */
    static final String APPLICATION_NAME = "keyturn-rotation";

    /** A DNS name or an IPv4 address: nothing that could end the host part of a URL. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6_ADDRESS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final Driver driver = new Driver();

    Connection connect(ConnectionRequest request) throws SQLException {
        Connection connection = driver.connect(url(request), properties(request));
        if (connection == null) {
            throw new SQLException("pgjdbc did not accept the connection URL", "08001");
        }
        return connection;
    }

    /** Runs the driver's URL and property parsing for this request, without connecting. */
    void prime(ConnectionRequest request) throws SQLException {
        driver.getPropertyInfo(url(request), properties(request));
    }

    static String url(ConnectionRequest request) {
        String database = request.dbname().filter(name -> !name.isBlank()).orElse(DEFAULT_DATABASE);
        return "jdbc:postgresql://" + hostForUrl(request.host()) + ":" + request.port() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    static Properties properties(ConnectionRequest request) {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, request.username());
        PGProperty.PASSWORD.set(properties, request.password());
        PGProperty.APPLICATION_NAME.set(properties, APPLICATION_NAME);
        String timeout = String.valueOf(request.connectTimeoutSeconds());
        PGProperty.CONNECT_TIMEOUT.set(properties, timeout);
        PGProperty.LOGIN_TIMEOUT.set(properties, timeout);
        PGProperty.SOCKET_TIMEOUT.set(properties, timeout);
        // Kerberos encryption is never what a rotation wants, and probing for it costs a round trip
        PGProperty.GSS_ENC_MODE.set(properties, "disable");
        if (request.useTls()) {
            verifiedTls(request, properties);
        } else {
            PGProperty.SSL_MODE.set(properties, "disable");
        }
        return properties;
    }

    /**
     * verify-full and verify-ca never fall back to plaintext. With no CA bundle, the JVM's trust store
     * decides, through the factory that uses the JVM's default SSL context.
     */
    private static void verifiedTls(ConnectionRequest request, Properties properties) {
        PGProperty.SSL_MODE.set(properties, request.trust().verifyHostname() ? "verify-full" : "verify-ca");
        if (request.trust().caBundle().isPresent()) {
            PGProperty.SSL_ROOT_CERT.set(properties, request.trust().caBundle().get().toString());
        } else {
            PGProperty.SSL_FACTORY.set(properties, DefaultJavaSSLFactory.class.getName());
        }
    }

    private static String hostForUrl(String host) {
        if (HOST_NAME.matcher(host).matches()) {
            return host;
        }
        if (IPV6_ADDRESS.matcher(host).matches()) {
            return "[" + host + "]";
        }
        if (host.startsWith("[") && host.endsWith("]")
                && IPV6_ADDRESS.matcher(host.substring(1, host.length() - 1)).matches()) {
            return host;
        }
        throw new InvalidSecretException("the secret's host is not a host name or an IP address. Set 'host' "
                + "to the database's endpoint, without a scheme, port or path.");
    }
}
