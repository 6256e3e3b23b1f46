package dev.keyturn.postgres;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The PostgreSQL cluster that {@code scripts/test-services} runs on 127.0.0.1:55432: it checks
 * passwords with scram-sha-256 and offers TLS with a certificate from the test CA. The machine's
 * own cluster trusts every login, so it could not show that a password was refused.
 */
final class TestCluster {
    static final String HOST = "127.0.0.1";
    /** Another loopback address the cluster listens on; its certificate does not name it. */
    static final String ALIAS_HOST = "127.0.0.2";
    static final int PORT = 55432;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static TestCluster instance;

    final Path directory;
    final String adminUser;
    final String adminPassword;

    private TestCluster(Path directory, Map<String, String> credentials) {
        this.directory = directory;
        this.adminUser = credentials.get("KEYTURN_PG_ADMIN_USER");
        this.adminPassword = credentials.get("KEYTURN_PG_ADMIN_PASSWORD");
    }

    /** The running cluster; fails, with what to do, when the test services are not running. */
    static synchronized TestCluster get() {
        if (instance == null) {
            Path directory = root().resolve(".test-services");
            Path credentials = directory.resolve("credentials");
            if (!Files.isReadable(credentials) || !answers()) {
                throw new IllegalStateException("The PostgreSQL test cluster is not running on " + HOST + ":" + PORT
                        + " (or " + credentials + " is missing). Start the test services with "
                        + "scripts/test-services, then run the tests again.");
            }
            instance = new TestCluster(directory, read(credentials));
        }
        return instance;
    }

    Path caBundle() {
        return directory.resolve("tls/ca.pem");
    }

    Path wrongCaBundle() {
        return directory.resolve("tls/wrong-ca.pem");
    }

    Path serverLog() {
        return directory.resolve("postgres/server.log");
    }

    String serverLogText() throws IOException {
        return Files.readString(serverLog());
    }

    ConnectionRequest plaintext(String user, String password) {
        return request(HOST, user, password, TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true));
    }

    ConnectionRequest verified(String host, String user, String password, Path caBundle, boolean verifyHostname) {
        return request(host, user, password, TlsSettings.Mode.VERIFIED,
                new TrustSettings(Optional.of(caBundle), verifyHostname));
    }

    ConnectionRequest request(String host, String user, String password, TlsSettings.Mode mode,
            TrustSettings trust) {
        return new ConnectionRequest(host, PORT, Optional.of("postgres"), user, password, mode, trust, TIMEOUT);
    }

    Connection admin() throws SQLException {
        return new PostgresEngine().connect(verified(HOST, adminUser, adminPassword, caBundle(), true));
    }

    /** A role name no other test uses. */
    static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Path root() {
        String configured = System.getProperty("keyturn.root");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/test-services"))) {
                return dir;
            }
        }
        return start;
    }

    private static boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, String> read(Path credentials) {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(credentials)) {
                int equals = line.indexOf('=');
                if (!line.startsWith("#") && equals > 0) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + credentials, e);
        }
        return values;
    }
}
