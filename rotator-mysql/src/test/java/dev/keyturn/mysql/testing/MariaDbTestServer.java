package dev.keyturn.mysql.testing;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The MariaDB server the tests talk to. It is the TLS instance {@code scripts/test-services} starts
 * (127.0.0.1:33306, admin {@code keyturn_admin}), found through the environment variables that script
 * prints or through {@code .test-services/credentials} in the repository. Without it, the machine's
 * own MariaDB on 127.0.0.1:3306 is used as root with an empty password; that server offers no TLS,
 * so TLS tests do not run against it.
 */
public final class MariaDbTestServer {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static MariaDbTestServer instance;

    private final String host;
    private final int port;
    private final String adminUser;
    private final String adminPassword;
    private final Optional<Path> ca;
    private final Optional<Path> wrongCa;

    private MariaDbTestServer(String host, int port, String adminUser, String adminPassword, Optional<Path> ca,
            Optional<Path> wrongCa) {
        this.host = host;
        this.port = port;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.ca = ca;
        this.wrongCa = wrongCa;
    }

    public static synchronized MariaDbTestServer get() {
        if (instance == null) {
            instance = locate();
        }
        return instance;
    }

    private static MariaDbTestServer locate() {
        Map<String, String> settings = testServiceSettings();
        if (settings.containsKey("KEYTURN_MARIADB_ADMIN_PASSWORD")) {
            return new MariaDbTestServer(settings.getOrDefault("KEYTURN_MARIADB_HOST", "127.0.0.1"),
                    Integer.parseInt(settings.getOrDefault("KEYTURN_MARIADB_PORT", "33306")),
                    settings.getOrDefault("KEYTURN_MARIADB_ADMIN_USER", "keyturn_admin"),
                    settings.get("KEYTURN_MARIADB_ADMIN_PASSWORD"),
                    existing(settings.get("KEYTURN_TLS_CA")), existing(settings.get("KEYTURN_TLS_WRONG_CA")));
        }
        return new MariaDbTestServer("127.0.0.1", 3306, "root", "", Optional.empty(), Optional.empty());
    }

    /**
     * The {@code KEYTURN_*} settings {@code scripts/test-services} writes to
     * {@code .test-services/credentials}, overridden by environment variables of the same names.
     */
    public static Map<String, String> testServiceSettings() {
        Map<String, String> settings = new HashMap<>(credentialsFile());
        System.getenv().forEach((key, value) -> {
            if (key.startsWith("KEYTURN_")) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    /** {@code .test-services/credentials} in this directory or the nearest parent that has one. */
    private static Map<String, String> credentialsFile() {
        Map<String, String> values = new HashMap<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(".test-services/credentials");
            if (Files.isReadable(file)) {
                try {
                    for (String line : Files.readAllLines(file)) {
                        int equals = line.indexOf('=');
                        if (!line.startsWith("#") && equals > 0) {
                            // the script writes shell-quoted values (printf %q); the paths here need only \ removed
                            values.put(line.substring(0, equals), line.substring(equals + 1).replace("\\", ""));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return values;
            }
        }
        return values;
    }

    private static Optional<Path> existing(String path) {
        return Optional.ofNullable(path).map(Path::of).filter(Files::isReadable);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String adminUser() {
        return adminUser;
    }

    /** The admin's password; empty for the machine's own MariaDB, whose root logs in without one. */
    public String adminPassword() {
        return adminPassword;
    }

    /** Whether the server offers TLS with a certificate from {@link #ca()}. */
    public boolean offersTls() {
        return ca.isPresent();
    }

    /** The test CA that signed the server's certificate (for localhost and 127.0.0.1). */
    public Path ca() {
        return ca.orElseThrow(() -> new IllegalStateException("this MariaDB offers no TLS; run "
                + "scripts/test-services"));
    }

    /** A CA that did not sign the server's certificate. */
    public Path wrongCa() {
        return wrongCa.orElseThrow(() -> new IllegalStateException("no unrelated CA; run scripts/test-services"));
    }

    public ConnectionRequest plaintext(String user, String password) {
        return request(host, port, user, password, TlsSettings.Mode.PLAINTEXT, Optional.empty(), true);
    }

    public ConnectionRequest verified(String user, String password, Path caBundle, boolean verifyHostname) {
        return request(host, port, user, password, TlsSettings.Mode.VERIFIED, Optional.of(caBundle),
                verifyHostname);
    }

    public static ConnectionRequest request(String host, int port, String user, String password,
            TlsSettings.Mode mode, Optional<Path> caBundle, boolean verifyHostname) {
        return new ConnectionRequest(host, port, Optional.empty(), user, password, mode,
                new TrustSettings(caBundle, verifyHostname), CONNECT_TIMEOUT);
    }

    /** Logs in as the admin through the engine under test's own driver. */
    public Connection admin(DatabaseEngine engine) throws SQLException {
        return engine.connect(plaintext(adminUser, adminPassword));
    }

    @Override
    public String toString() {
        return "MariaDbTestServer[" + adminUser + "@" + host + ":" + port + ", tls=" + offersTls() + "]";
    }
}
