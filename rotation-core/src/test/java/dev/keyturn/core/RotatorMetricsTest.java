package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The cost of a rotation as its EMF metric lines report it, read back with the SDK's JSON parser:
 * a normal rotation makes no failed login, and single-user stays within 12 Secrets Manager calls and 2
 * logins. The counts are checked against what moto (through an SDK interceptor) and the in-memory
 * database (a JDBC-boundary double: the core has no driver) actually saw.
 */
class RotatorMetricsTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void a_normal_rotation_makes_no_failed_login(Strategy strategy) {
        // given
        driver.using(strategy);
        String arn = driver.createAppSecretWithMaster();
        int mark = driver.logMark();

        // when
        driver.rotate(arn);
        driver.rotate(arn);

        // then
        RotationDriver.StepTotals totals = driver.metricsSince(mark);
        assertThat(totals.steps()).isEqualTo(8);
        assertThat(totals.failedLogins()).isZero();
        assertThat(totals.failedSteps()).isZero();
        assertThat(driver.database.refusedLogins()).isZero();
    }

    @Test
    void a_single_user_rotation_makes_at_most_12_secrets_manager_calls_and_2_database_logins() {
        // given
        String arn = driver.createAppSecret();
        int mark = driver.logMark();
        int calls = driver.calls.mark();

        // when
        driver.rotate(arn);

        // then
        RotationDriver.StepTotals totals = driver.metricsSince(mark);
        assertThat(totals.secretsManagerCalls()).isLessThanOrEqualTo(12);
        assertThat(totals.databaseLogins()).isEqualTo(2);
        assertThat(totals.secretsManagerCalls()).isEqualTo(driver.calls.since(calls).size());
        assertThat(totals.databaseLogins()).isEqualTo(driver.database.attempts().size());
    }

    @Test
    void the_metric_lines_count_what_each_step_did() {
        // given
        String arn = driver.createAppSecret();
        int mark = driver.logMark();

        // when
        driver.rotate(arn);

        // then
        List<JsonNode> lines = driver.metricLinesSince(mark);
        assertThat(lines).extracting(line -> line.field("Step").orElseThrow().asString())
                .containsExactlyElementsOf(RotationDriver.STEPS);
        assertThat(lines).extracting(line -> number(line, "DatabaseLogins")).containsExactly(0L, 1L, 1L, 0L);
        assertThat(lines).extracting(line -> number(line, "SecretsManagerCalls")).containsExactly(5L, 3L, 2L, 2L);
        assertThat(lines).extracting(line -> line.field("Engine").orElseThrow().asString())
                .containsOnly(InMemoryDatabaseEngine.ENGINE);
    }

    @Test
    void a_metric_line_has_the_embedded_metric_format_shape() {
        // given
        String arn = driver.createAppSecret();
        int mark = driver.logMark();

        // when
        driver.rotate(arn);

        // then
        JsonNode line = driver.metricLinesSince(mark).get(0);
        JsonNode aws = line.field("_aws").orElseThrow();
        assertThat(aws.field("Timestamp").orElseThrow().isNumber()).isTrue();
        JsonNode directive = aws.field("CloudWatchMetrics").orElseThrow().index(0).orElseThrow();
        assertThat(directive.field("Namespace").orElseThrow().asString()).isEqualTo("Keyturn");
        assertThat(directive.field("Dimensions").orElseThrow().asArray()).singleElement()
                .satisfies(set -> assertThat(set.asArray()).extracting(JsonNode::asString)
                        .containsExactly("Engine", "Step"));
        assertThat(directive.field("Metrics").orElseThrow().asArray())
                .extracting(metric -> metric.field("Name").orElseThrow().asString())
                .containsExactly("StepDuration", "StepFailed", "DatabaseLogins", "FailedLogins",
                        "SecretsManagerCalls");
        assertThat(line.field("level")).as("a metric line is passed through unchanged").isEmpty();
    }

    @Test
    void a_failed_step_writes_a_metric_line_that_says_so() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.resetPasswordByHand(RotationDriver.APP_USER, driver.unrelatedPassword());
        int mark = driver.logMark();

        // when
        driver.stepFails("setSecret", arn, token);

        // then
        RotationDriver.StepTotals totals = driver.metricsSince(mark);
        assertThat(totals.steps()).isEqualTo(1);
        assertThat(totals.failedSteps()).isEqualTo(1);
        assertThat(totals.databaseLogins()).isEqualTo(2);
        assertThat(totals.failedLogins()).isEqualTo(2);
    }

    @Test
    void an_event_without_a_known_step_writes_no_metric_line() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        int mark = driver.logMark();

        // when
        driver.stepFails("rollbackSecret", arn, token);

        // then
        assertThat(driver.metricLinesSince(mark)).isEmpty();
        assertThat(driver.lines("ERROR", "step failed")).hasSize(1);
    }

    private static long number(JsonNode line, String field) {
        return Long.parseLong(line.field(field).orElseThrow().asNumber());
    }
}
