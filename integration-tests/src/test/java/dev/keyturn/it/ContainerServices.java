package dev.keyturn.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The servers in Docker, started on first use and stopped with the JVM. Each database server gets
 * the server certificate of the test CA ({@code scripts/test-services tls} makes it; only openssl is
 * needed), so the TLS tests run here as they do against the local services.
 *
 * <p>Secrets Manager is moto's own image, not LocalStack: LocalStack's RotateSecret checks that the
 * rotation Lambda exists before it creates the AWSPENDING version, so the tests could not put a
 * secret into the state Secrets Manager leaves before it invokes a function.
 *
 * <p>Images can be changed with {@code -Dkeyturn.image.postgres=...} (also {@code mariadb},
 * {@code mysql}, {@code moto}).
 */
final class ContainerServices implements Services {
    private static final String CERTIFICATES = "/keyturn-tls/";
    private static final int MOTO_PORT = 5000;

    private static ContainerServices instance;

    private final TestCa tls;
    private final String adminPassword = randomPassword();
    private PostgreSQLContainer postgres;
    private MariaDBContainer mariadb;
    private MySQLContainer mysql;
    private GenericContainer<?> moto;
    private SecretsManagerClient client;

    private ContainerServices(TestCa tls) {
        this.tls = tls;
    }

    static synchronized ContainerServices get() {
        if (instance == null) {
            instance = new ContainerServices(makeTestCa(RepositoryRoot.find()));
        }
        return instance;
    }

    @Override
    public String description() {
        return "Testcontainers";
    }

    @Override
    public synchronized SecretsManagerClient secretsManager() {
        if (client == null) {
            client = SecretsManagerClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .endpointOverride(URI.create(secretsManagerEndpoint()))
                    .region(LocalServices.REGION)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build();
        }
        return client;
    }

    @Override
    public synchronized String secretsManagerEndpoint() {
        if (moto == null) {
            GenericContainer<?> container = new GenericContainer<>(image("moto", "motoserver/moto:5.1.0"))
                    .withExposedPorts(MOTO_PORT)
                    .waitingFor(Wait.forHttp("/moto-api/").forPort(MOTO_PORT));
            container.start();
            moto = container;
        }
        return "http://" + moto.getHost() + ":" + moto.getMappedPort(MOTO_PORT);
    }

    @Override
    public synchronized DatabaseServer postgres() {
        if (postgres == null) {
            postgres = startPostgres();
        }
        PostgreSQLContainer container = postgres;
        return new DatabaseServer(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                container.getPassword(), container.getDatabaseName(), () -> Optional.of(container.getLogs()));
    }

    @Override
    public synchronized DatabaseServer mariadb() {
        if (mariadb == null) {
            mariadb = withCertificates(new MariaDBContainer(image("mariadb", "mariadb:10.11")))
                    .withDatabaseName("keyturn")
                    .withPassword(adminPassword)
                    .withCommand(serverTlsOptions());
            mariadb.start();
        }
        return rootOf(mariadb, 3306);
    }

    @Override
    public synchronized Optional<DatabaseServer> mysql() {
        if (mysql == null) {
            mysql = withCertificates(new MySQLContainer(image("mysql", "mysql:8.4")))
                    .withDatabaseName("keyturn")
                    .withPassword(adminPassword)
                    .withCommand(serverTlsOptions());
            mysql.start();
        }
        return Optional.of(rootOf(mysql, 3306));
    }

    @Override
    public TestCa tls() {
        return tls;
    }

    /**
     * PostgreSQL refuses a key file that others can read, and the image's server runs as the user
     * postgres, so the entry point copies the key into place with that owner before it starts.
     */
    private PostgreSQLContainer startPostgres() {
        String prepareKey = "mkdir -p /var/lib/postgresql/tls"
                + " && cp " + CERTIFICATES + "server.crt " + CERTIFICATES + "server.key /var/lib/postgresql/tls/"
                + " && chown -R postgres:postgres /var/lib/postgresql/tls"
                + " && chmod 600 /var/lib/postgresql/tls/server.key"
                + " && exec docker-entrypoint.sh \"$@\"";
        PostgreSQLContainer container = withCertificates(new PostgreSQLContainer(image("postgres", "postgres:15")))
                .withUsername("keyturn_admin")
                .withPassword(adminPassword)
                .withDatabaseName("postgres")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sh", "-c", prepareKey, "keyturn"))
                .withCommand("postgres", "-c", "fsync=off", "-c", "ssl=on",
                        "-c", "ssl_cert_file=/var/lib/postgresql/tls/server.crt",
                        "-c", "ssl_key_file=/var/lib/postgresql/tls/server.key",
                        "-c", "password_encryption=scram-sha-256",
                        "-c", "log_connections=on", "-c", "log_statement=all");
        container.start();
        return container;
    }

    private <T extends GenericContainer<T>> T withCertificates(T container) {
        return container
                .withCopyFileToContainer(MountableFile.forHostPath(tls.caBundle(), 0644), CERTIFICATES + "ca.pem")
                .withCopyFileToContainer(MountableFile.forHostPath(tls.serverCertificate(), 0644),
                        CERTIFICATES + "server.crt")
                // a test key, readable by the server's user inside the container
                .withCopyFileToContainer(MountableFile.forHostPath(tls.serverKey(), 0644),
                        CERTIFICATES + "server.key");
    }

    private static String[] serverTlsOptions() {
        return new String[] {"--ssl-ca=" + CERTIFICATES + "ca.pem", "--ssl-cert=" + CERTIFICATES + "server.crt",
            "--ssl-key=" + CERTIFICATES + "server.key"};
    }

    private static DatabaseServer rootOf(JdbcDatabaseContainer<?> container, int port) {
        return new DatabaseServer(container.getHost(), container.getMappedPort(port), "root", container.getPassword(),
                container.getDatabaseName(), () -> Optional.of(container.getLogs()));
    }

    private static DockerImageName image(String name, String defaultImage) {
        return DockerImageName.parse(System.getProperty("keyturn.image." + name, defaultImage));
    }

    /** Runs {@code scripts/test-services tls}, which needs only openssl, to make the test CA. */
    private static TestCa makeTestCa(Path root) {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/test-services").toString(), "tls")
                .inheritIO();
        try {
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/test-services tls could not make the test CA; is openssl "
                        + "installed?");
            }
        } catch (IOException e) {
            throw new IllegalStateException("scripts/test-services tls could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the test CA", e);
        }
        return TestCa.in(root.resolve(".test-services/tls"));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
