package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.RotationStep;
import dev.keyturn.core.Settings;
import dev.keyturn.core.Strategy;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.SecretsFixture;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Runs rotations the way Secrets Manager does, against a real server and a real Secrets Manager
 * endpoint, for any {@link EngineUnderTest}: it creates users and secrets, puts a secret into the
 * state RotateSecret leaves, invokes the handler once per step, and reads back what happened.
 * Everything it creates is dropped by {@link #close()}, and {@link #assertNoPasswordLeaked()}
 * checks every log line it captured against every password any of its secrets ever held.
 */
public final class RotationHarness implements AutoCloseable {
    private final Services services;
    private final EngineUnderTest db;
    private final SecretsFixture secrets;
    private final CapturingLogSink logs = new CapturingLogSink();
    private final List<String> userNames = new ArrayList<>();
    private final List<String> userSecrets = new ArrayList<>();
    private String masterSecret;

    public RotationHarness(Services services, EngineUnderTest db) {
        this.services = services;
        this.db = db;
        this.secrets = new SecretsFixture(services.secretsManager());
    }

    public EngineUnderTest db() {
        return db;
    }

    public SecretsFixture secrets() {
        return secrets;
    }

    public CapturingLogSink logs() {
        return logs;
    }

    // settings and handlers

    /** The function's environment for a strategy: TLS verified against the test CA. */
    public Map<String, String> environment(Strategy strategy) {
        Map<String, String> env = new HashMap<>();
        env.put("ROTATION_STRATEGY", strategy.settingValue());
        env.put("TLS_CA_BUNDLE", services.tls().caBundle().toString());
        env.put("DB_CONNECT_TIMEOUT_SECONDS", "10");
        return env;
    }

    public Settings settings(Strategy strategy) {
        return Settings.from(environment(strategy));
    }

    /** A handler as a fresh Lambda container builds it, with the real engine. */
    public RotationHandler handler(Strategy strategy) {
        return handler(settings(strategy), db.engine());
    }

    /** A handler with any settings and engine, logging into {@link #logs()}. */
    public RotationHandler handler(Settings settings, DatabaseEngine engine) {
        return new RotationHandler(services.secretsManager(), settings, logs, engine) {
        };
    }

    // users and secrets

    /** A user with a random password, dropped (with its clone) when the harness closes. */
    public TestUser newUser(String prefix) throws SQLException {
        return newUser(prefix + "_" + randomHex(4), "Init-" + randomHex(12) + "!x");
    }

    /** A user with exactly this name and password. */
    public TestUser newUser(String name, String password) throws SQLException {
        userNames.add(name);
        db.createUser(name, password);
        return new TestUser(name, password);
    }

    /** Drops this user too when the harness closes, for users the rotation creates. */
    public void dropLater(String name) {
        userNames.add(name);
    }

    /** Creates the secret of a user for a strategy; alternating-users secrets name the master secret. */
    public String secretFor(TestUser user, Strategy strategy) {
        SecretJson json = db.secret(user.name(), user.password());
        if (strategy == Strategy.ALTERNATING_USERS) {
            json.put("masterarn", masterSecret());
            dropLater(user.name() + db.engine().cloneSuffix());
        }
        return createSecret(json);
    }

    public String createSecret(SecretJson json) {
        String arn = secrets.createSecret("keyturn-it", json.json());
        userSecrets.add(arn);
        return arn;
    }

    /** The secret of the server's admin account, created once. */
    public synchronized String masterSecret() {
        if (masterSecret == null) {
            masterSecret = secrets.createSecret("keyturn-it-master", db.adminSecret().json());
        }
        return masterSecret;
    }

    // running rotations

    /** Puts the secret into the state RotateSecret leaves and returns the rotation's token. */
    public String startRotation(String arn) {
        clearFinishedPendingLabel(arn);
        return secrets.startRotation(arn);
    }

    /**
     * After a finished rotation AWSPENDING stays on the version that is now AWSCURRENT. AWS takes
     * that as finished; moto's check is inverted and refuses the next RotateSecret as "still in
     * progress". So the label is taken off that version first, which changes nothing on AWS.
     */
    private void clearFinishedPendingLabel(String arn) {
        secrets.stages(arn).forEach((version, stages) -> {
            if (stages.contains("AWSPENDING") && stages.contains("AWSCURRENT")) {
                secrets.client().updateSecretVersionStage(r -> r.secretId(arn).versionStage("AWSPENDING")
                        .removeFromVersionId(version));
            }
        });
    }

    public void step(RotationHandler handler, RotationStep step, String arn, String token) {
        SecretsManagerRotationEvent event = SecretsFixture.event(step.wireName(), arn, token);
        handler.handleRequest(event, null);
    }

    /** The four steps in order, as Secrets Manager invokes them for one rotation (or its retry). */
    public void runAllSteps(RotationHandler handler, String arn, String token) {
        for (RotationStep step : RotationStep.values()) {
            step(handler, step, arn, token);
        }
    }

    /** A whole rotation from RotateSecret on; returns its token. */
    public String rotate(RotationHandler handler, String arn) {
        String token = startRotation(arn);
        runAllSteps(handler, arn, token);
        return token;
    }

    // reading back

    public DatabaseSecret current(String arn) {
        return DatabaseSecret.parse(secrets.valueOfStage(arn, "AWSCURRENT"));
    }

    public DatabaseSecret previous(String arn) {
        return DatabaseSecret.parse(secrets.valueOfStage(arn, "AWSPREVIOUS"));
    }

    /** The value of the rotation's version, once createSecret has stored it. */
    public Optional<DatabaseSecret> pending(String arn, String token) {
        return secrets.valueOfVersion(arn, token).map(DatabaseSecret::parse);
    }

    public List<String> stagesOf(String arn, String versionId) {
        return secrets.stagesOf(arn, versionId);
    }

    public boolean logsIn(DatabaseSecret secret) throws SQLException {
        return db.canLogin(secret.username(), secret.password());
    }

    /** Whether AWSCURRENT or, once stored, the rotation's AWSPENDING value logs in. */
    public boolean currentOrPendingLogsIn(String arn, String token) throws SQLException {
        if (logsIn(current(arn))) {
            return true;
        }
        Optional<DatabaseSecret> pending = pending(arn, token);
        return pending.isPresent() && logsIn(pending.get());
    }

    // checks

    /**
     * Fails when any password that any version of any secret of this harness ever held appears in
     * a captured log line (also in its JSON-escaped form), or, for user secrets, in the server's
     * log where the tests can read it.
     */
    public void assertNoPasswordLeaked() {
        String captured = logs.all();
        Optional<String> serverLog = db.server().serverLog();
        for (String arn : userSecrets) {
            for (String password : passwordsOf(arn)) {
                assertAbsent(captured, password, "the function's log lines");
                serverLog.ifPresent(log -> assertAbsent(log, password, "the database server's log"));
            }
        }
        if (masterSecret != null) {
            for (String password : passwordsOf(masterSecret)) {
                assertAbsent(captured, password, "the function's log lines");
            }
        }
    }

    private Set<String> passwordsOf(String arn) {
        Set<String> passwords = new LinkedHashSet<>();
        for (String value : secrets.allValues(arn)) {
            passwords.add(DatabaseSecret.parse(value).password());
        }
        return passwords;
    }

    private static void assertAbsent(String text, String password, String where) {
        // the message must not quote the password either
        assertThat(text.contains(password) || text.contains(jsonEscaped(password)))
                .as("a password of length %d appears in %s", password.length(), where)
                .isFalse();
    }

    private static String jsonEscaped(String value) {
        JsonWriter writer = JsonWriter.create();
        writer.writeValue(value);
        String quoted = new String(writer.getBytes(), StandardCharsets.UTF_8);
        return quoted.substring(1, quoted.length() - 1);
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() throws SQLException {
        for (int i = userNames.size() - 1; i >= 0; i--) {
            db.dropUser(userNames.get(i));
        }
    }

    /** A database user and the password it was created with. */
    public record TestUser(String name, String password) {
        @Override
        public String toString() {
            return "TestUser[" + name + ", password=****]";
        }
    }
}
