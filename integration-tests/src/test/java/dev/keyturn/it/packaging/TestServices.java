package dev.keyturn.it.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The servers {@code scripts/test-services} runs: PostgreSQL with scram-sha-256 passwords and TLS on
 * 127.0.0.1:55432, MariaDB with TLS on 127.0.0.1:33306, both with certificates from a test CA. Admin
 * passwords come from the file the script writes.
 */
final class TestServices {
    static final String HOST = "127.0.0.1";
    static final int POSTGRES_PORT = 55432;
    static final int MARIADB_PORT = 33306;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private static TestServices instance;

    private final Path directory;
    private final Map<String, String> credentials;

    private TestServices(Path directory, Map<String, String> credentials) {
        this.directory = directory;
        this.credentials = credentials;
    }

    /** The running services; fails, saying what to do, when they are not running. */
    static synchronized TestServices get() {
        if (instance == null) {
            Path directory = Repository.root().resolve(".test-services");
            Path file = directory.resolve("credentials");
            if (!Files.isReadable(file) || !answers(POSTGRES_PORT) || !answers(MARIADB_PORT)) {
                throw new IllegalStateException("The test services are not running (PostgreSQL on " + HOST
                        + ":" + POSTGRES_PORT + ", MariaDB on " + HOST + ":" + MARIADB_PORT + ", " + file
                        + "). Start them with scripts/test-services start, then run the tests again.");
            }
            instance = new TestServices(directory, read(file));
        }
        return instance;
    }

    /** The test CA that signed both servers' certificates. */
    Path caBundle() {
        return directory.resolve("tls/ca.pem");
    }

    Connection postgresAdmin() throws SQLException {
        return postgres(credentials.get("KEYTURN_PG_ADMIN_USER"),
                credentials.get("KEYTURN_PG_ADMIN_PASSWORD"));
    }

    /** A connection over TLS with the server certificate verified, as the given user. */
    Connection postgres(String user, String password) throws SQLException {
        String url = "jdbc:postgresql://" + HOST + ":" + POSTGRES_PORT
                + "/postgres?sslmode=verify-full&sslrootcert=" + caBundle();
        return DriverManager.getConnection(url, login(user, password));
    }

    Connection mariadbAdmin() throws SQLException {
        return mariadb(credentials.get("KEYTURN_MARIADB_ADMIN_USER"),
                credentials.get("KEYTURN_MARIADB_ADMIN_PASSWORD"));
    }

    /** A connection over TLS with the server certificate verified, as the given user. */
    Connection mariadb(String user, String password) throws SQLException {
        String url = "jdbc:mariadb://" + HOST + ":" + MARIADB_PORT + "/?sslMode=verify-full&serverSslCert="
                + caBundle();
        return DriverManager.getConnection(url, login(user, password));
    }

    private static Properties login(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads the KEY=value lines the script writes; values are plain, or shell-quoted paths. */
    private static Map<String, String> read(Path file) {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (!line.startsWith("#") && equals > 0) {
                    values.put(line.substring(0, equals), line.substring(equals + 1).replace("\\", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return values;
    }
}
