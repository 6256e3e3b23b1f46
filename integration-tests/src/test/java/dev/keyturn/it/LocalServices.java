package dev.keyturn.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The servers {@code scripts/test-services} runs on this machine, found through
 * {@code .test-services/credentials}. When one is not running, every test that needs it fails with
 * a message saying how to start it: a skipped test would look like a passed one.
 */
final class LocalServices implements Services {
    static final String HOST = "127.0.0.1";
    static final int POSTGRES_PORT = 55432;
    static final int MARIADB_PORT = 33306;
    static final String DEFAULT_MOTO_ENDPOINT = "http://127.0.0.1:4566";
    static final String MOTO_ENDPOINT_VARIABLE = "KEYTURN_MOTO_ENDPOINT";
    static final Region REGION = Region.US_EAST_1;
    private static final int PROBE_TIMEOUT_MILLIS = 2000;

    private static LocalServices instance;

    private final Path root;
    private final Path directory;
    private SecretsManagerClient client;

    LocalServices(Path root) {
        this.root = root;
        this.directory = root.resolve(".test-services");
    }

    static synchronized LocalServices get() {
        if (instance == null) {
            instance = new LocalServices(RepositoryRoot.find());
        }
        return instance;
    }

    @Override
    public String description() {
        return "local services of scripts/test-services (" + directory + ")";
    }

    @Override
    public synchronized SecretsManagerClient secretsManager() {
        if (client == null) {
            URI endpoint = URI.create(secretsManagerEndpoint());
            requireHttp("moto_server", endpoint);
            client = SecretsManagerClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .endpointOverride(endpoint)
                    .region(REGION)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build();
        }
        return client;
    }

    @Override
    public String secretsManagerEndpoint() {
        String configured = System.getenv(MOTO_ENDPOINT_VARIABLE);
        return configured != null && !configured.isBlank() ? configured : DEFAULT_MOTO_ENDPOINT;
    }

    @Override
    public DatabaseServer postgres() {
        Map<String, String> credentials = credentials();
        requirePort("PostgreSQL", POSTGRES_PORT);
        Path log = directory.resolve("postgres/server.log");
        return new DatabaseServer(HOST, POSTGRES_PORT, credentials.get("KEYTURN_PG_ADMIN_USER"),
                credentials.get("KEYTURN_PG_ADMIN_PASSWORD"), "postgres", () -> read(log));
    }

    @Override
    public DatabaseServer mariadb() {
        Map<String, String> credentials = credentials();
        requirePort("MariaDB", MARIADB_PORT);
        return new DatabaseServer(HOST, MARIADB_PORT, credentials.get("KEYTURN_MARIADB_ADMIN_USER"),
                credentials.get("KEYTURN_MARIADB_ADMIN_PASSWORD"), "keyturn", Optional::empty);
    }

    /** The machine has no MySQL 8; its tests run with {@code -Dkeyturn.services=containers}. */
    @Override
    public Optional<DatabaseServer> mysql() {
        return Optional.empty();
    }

    @Override
    public TestCa tls() {
        credentials();
        return TestCa.in(directory.resolve("tls"));
    }

    private Map<String, String> credentials() {
        Path file = directory.resolve("credentials");
        if (!Files.isReadable(file)) {
            throw notRunning(file + " does not exist");
        }
        Map<String, String> values = new HashMap<>();
        for (String line : readLines(file)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                values.put(line.substring(0, equals).trim(), unquote(line.substring(equals + 1).trim()));
            }
        }
        return values;
    }

    private void requirePort(String name, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), PROBE_TIMEOUT_MILLIS);
        } catch (IOException e) {
            throw notRunning(name + " does not answer on " + HOST + ":" + port);
        }
    }

    private void requireHttp(String name, URI endpoint) {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL()
                    .openConnection();
            connection.setConnectTimeout(PROBE_TIMEOUT_MILLIS);
            connection.getResponseCode();
            connection.disconnect();
        } catch (IOException e) {
            throw notRunning(name + " does not answer at " + endpoint);
        }
    }

    private IllegalStateException notRunning(String what) {
        return new IllegalStateException("The local test services are not running: " + what + ". Start them with "
                + root.resolve("scripts/test-services") + " (as root), then run the tests again; or run the tests "
                + "in containers with -D" + PROPERTY + "=containers on a machine with Docker.");
    }

    private static Optional<String> read(Path log) {
        try {
            return Optional.of(Files.readString(log));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Iterable<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
