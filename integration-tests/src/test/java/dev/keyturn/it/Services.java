package dev.keyturn.it;

import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The servers the integration tests run against. Two implementations: the local ones that
 * {@code scripts/test-services} starts (the default), and containers that Testcontainers starts
 * with {@code -Dkeyturn.services=containers} on a machine with Docker.
 */
public interface Services {
    String PROPERTY = "keyturn.services";

    /** The implementation {@code -Dkeyturn.services} chooses, one per test JVM. */
    static Services get() {
        String mode = System.getProperty(PROPERTY, "local");
        switch (mode) {
            case "local":
                return LocalServices.get();
            case "containers":
                return ContainerServices.get();
            default:
                throw new IllegalStateException("-D" + PROPERTY + "=" + mode + " is not known; use 'local' (the "
                        + "servers scripts/test-services starts) or 'containers' (Testcontainers, needs Docker).");
        }
    }

    /** What runs where, for messages. */
    String description();

    /** A Secrets Manager endpoint (moto) and a client for it with dummy credentials. */
    SecretsManagerClient secretsManager();

    /** The endpoint URL, for the function's {@code SECRETS_MANAGER_ENDPOINT}. */
    String secretsManagerEndpoint();

    /** A PostgreSQL server that checks passwords (scram-sha-256) and offers TLS. */
    DatabaseServer postgres();

    /** A MariaDB server that offers TLS. */
    DatabaseServer mariadb();

    /** A MySQL 8 server; the local services have none. */
    Optional<DatabaseServer> mysql();

    TestCa tls();
}
