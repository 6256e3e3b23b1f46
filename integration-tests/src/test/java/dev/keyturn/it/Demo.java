package dev.keyturn.it;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationStep;
import dev.keyturn.core.SecretsManagerClients;
import dev.keyturn.core.testing.SecretsFixture;
import dev.keyturn.postgres.PostgresRotationHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * One rotation of a PostgreSQL user's secret, start to finish, on this machine: the secret lives in
 * the local moto endpoint, the database is the scram-sha-256 cluster of scripts/test-services, and
 * the steps run through {@link PostgresRotationHandler} built exactly as Lambda builds it, from the
 * environment that scripts/demo sets. No password is printed; fingerprints show that they differ.
 */
public final class Demo {
    private final LocalServices services = LocalServices.get();
    private final PostgresUnderTest postgres = new PostgresUnderTest(services);
    private final SecretsManagerClient client = SecretsManagerClients.fromEnvironment(System.getenv());
    private final SecretsFixture secrets = new SecretsFixture(client);

    private Demo() {
    }

    public static void main(String[] args) throws SQLException {
        new Demo().run();
    }

    private void run() throws SQLException {
        String user = "keyturn_demo_" + RotationHarness.randomHex(3);
        String password = "Demo-" + RotationHarness.randomHex(12);
        postgres.createUser(user, password);
        String arn = null;
        try {
            arn = secrets.createSecret("keyturn-demo", postgres.secret(user, password).json());
            say("1. Created PostgreSQL user " + user + " at " + postgres.server().host() + ":"
                    + postgres.server().port() + " and its secret in Secrets Manager (moto at "
                    + System.getenv("SECRETS_MANAGER_ENDPOINT") + "):");
            say("   " + arn);
            printLabels("Version labels before the rotation:", arn);
            rotate(arn);
            printLabels("Version labels after the rotation:", arn);
            prove(arn);
        } finally {
            cleanUp(user, arn);
        }
    }

    private void rotate(String arn) {
        String token = secrets.startRotation(arn);
        say("2. RotateSecret started rotation " + token + " (moto cannot invoke a Lambda, so the demo invokes");
        say("   the handler once per step, as Secrets Manager would; its JSON log lines follow):");
        PostgresRotationHandler handler = new PostgresRotationHandler();
        for (RotationStep step : RotationStep.values()) {
            SecretsManagerRotationEvent event = SecretsFixture.event(step.wireName(), arn, token);
            handler.handleRequest(event, null);
        }
        say("   The four steps finished.");
    }

    private void prove(String arn) throws SQLException {
        DatabaseSecret current = DatabaseSecret.parse(secrets.valueOfStage(arn, "AWSCURRENT"));
        DatabaseSecret previous = DatabaseSecret.parse(secrets.valueOfStage(arn, "AWSPREVIOUS"));
        say("3. The database, asked directly:");
        say("   AWSCURRENT  password (fingerprint " + fingerprint(current.password()) + "): "
                + loginResult(current));
        say("   AWSPREVIOUS password (fingerprint " + fingerprint(previous.password()) + "): "
                + loginResult(previous));
        boolean rotated = postgres.canLogin(current.username(), current.password())
                && !postgres.canLogin(previous.username(), previous.password());
        if (!rotated) {
            throw new IllegalStateException("the rotation did not take effect in the database");
        }
        say("The new password works and the old one is refused.");
    }

    private String loginResult(DatabaseSecret secret) throws SQLException {
        if (!postgres.canLogin(secret.username(), secret.password())) {
            return "refused (SQLState 28P01, wrong password)";
        }
        try (Connection connection = postgres.connect(secret.username(), secret.password())) {
            return "logs in as " + connection.getMetaData().getUserName();
        }
    }

    private void printLabels(String title, String arn) {
        say(title);
        for (Map.Entry<String, List<String>> version : secrets.stages(arn).entrySet()) {
            String fingerprint = secrets.valueOfVersion(arn, version.getKey())
                    .map(value -> fingerprint(DatabaseSecret.parse(value).password()))
                    .orElse("----");
            say("   version " + version.getKey() + "  password " + fingerprint + "  " + version.getValue());
        }
    }

    private void cleanUp(String user, String arn) throws SQLException {
        postgres.dropUser(user);
        if (arn != null) {
            String secretArn = arn;
            client.deleteSecret(r -> r.secretId(secretArn).forceDeleteWithoutRecovery(true));
        }
        say("(The demo user and secret were removed again.)");
    }

    /** The first 4 hex digits of the SHA-256 of a password: enough to tell two apart, useless to guess one. */
    private static String fingerprint(String password) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
