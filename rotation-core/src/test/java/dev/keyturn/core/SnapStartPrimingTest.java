package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.SecretsFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The SnapStart priming runs a rotation's code before the snapshot without touching anything real:
 * every Secrets Manager call is answered by its own in-memory endpoint, the function's client and log
 * are never used, no database connection is attempted, and a rotation afterwards runs and counts as
 * it would have without priming. The database is the in-memory double (a JDBC-boundary double: the
 * core has no driver); the function's Secrets Manager client talks to moto and records its calls.
 */
class SnapStartPrimingTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @Test
    void priming_answers_every_call_of_a_single_user_rotation_in_memory() throws Exception {
        // given
        SnapStartPriming priming = new SnapStartPriming(driver.settings(), List.of(driver.database), driver.log);

        // when
        List<String> answered = priming.prime();

        // then
        assertThat(answered).containsExactly(
                "DescribeSecret", "GetSecretValue", "GetSecretValue", "GetRandomPassword", "PutSecretValue",
                "DescribeSecret", "GetSecretValue", "GetSecretValue",
                "DescribeSecret", "GetSecretValue",
                "DescribeSecret", "UpdateSecretVersionStage");
        assertThat(driver.database.attempts()).as("connection attempts").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void priming_completes_the_secrets_manager_steps_of_every_strategy(Strategy strategy) throws Exception {
        // given
        Settings settings = driver.using(strategy).settings();
        SnapStartPriming priming = new SnapStartPriming(settings, List.of(driver.database), driver.log);

        // when
        List<String> answered = priming.prime();

        // then
        assertThat(answered).contains("GetRandomPassword", "PutSecretValue").endsWith("UpdateSecretVersionStage");
        assertThat(driver.database.attempts()).as("connection attempts").isEmpty();
    }

    @Test
    void priming_calls_neither_the_function_client_nor_its_log() {
        // given
        RotationHandler handler = handlerWith(driver.log);

        // when
        handler.priming().beforeCheckpoint(null);

        // then
        assertThat(driver.calls.mark()).as("calls through the function's client").isZero();
        assertThat(driver.log.lines()).isEmpty();
        assertThat(driver.database.attempts()).as("connection attempts").isEmpty();
        assertThat(driver.database.changesApplied()).isZero();
    }

    @Test
    void a_rotation_after_priming_runs_and_counts_as_without_it() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        RotationHandler handler = handlerWith(driver.log);
        handler.priming().beforeCheckpoint(null);
        handler.priming().afterRestore(null);

        // when
        for (String step : RotationDriver.STEPS) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }

        // then
        assertThat(driver.secrets.stagesOf(arn, token)).contains(SecretVersions.CURRENT);
        assertThat(driver.database.accepts(RotationDriver.APP_USER, driver.valueOfStage(arn, "AWSCURRENT").password()))
                .isTrue();
        List<JsonNode> metrics = driver.metricLinesSince(0);
        assertThat(metrics).extracting(line -> line.field("SecretsManagerCalls").orElseThrow().asNumber())
                .containsExactly("5", "3", "2", "2");
        assertThat(driver.lines("INFO", "step started")).hasSize(RotationDriver.STEPS.size());
        driver.assertNoPasswordLeaked();
    }

    @Test
    void a_failed_priming_is_logged_and_does_not_stop_the_snapshot() {
        // given
        CapturingLogSink sink = new CapturingLogSink();
        SnapStartPriming priming = new SnapStartPriming(driver.settings(), List.of(primeFails(driver.database)), sink);

        // when / then
        assertThatCode(() -> priming.beforeCheckpoint(null)).doesNotThrowAnyException();
        assertThat(sink.lines()).singleElement().asString()
                .contains("\"level\":\"WARN\"")
                .contains("SnapStart priming failed")
                .contains(SQLException.class.getName());
    }

    private RotationHandler handlerWith(CapturingLogSink sink) {
        return new RotationDriver.InMemoryRotationHandler(driver.calls.client(), driver.settings(), sink,
                driver.database);
    }

    /** The in-memory engine, except that its driver priming fails, as a broken driver's might. */
    private static DatabaseEngine primeFails(InMemoryDatabaseEngine engine) {
        return (DatabaseEngine) Proxy.newProxyInstance(DatabaseEngine.class.getClassLoader(),
                new Class<?>[] {DatabaseEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("prime")) {
                        throw new SQLException("the driver could not parse the placeholder");
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
