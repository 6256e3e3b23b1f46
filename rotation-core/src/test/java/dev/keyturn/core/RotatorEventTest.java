package dev.keyturn.core;

import static dev.keyturn.core.SecretVersions.CURRENT;
import static dev.keyturn.core.SecretVersions.PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.keyturn.core.testing.SecretsFixture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * What every step checks before it does anything: the event, whether rotation is on, and which
 * labels the token's version carries. Against moto_server and the in-memory database (a JDBC-boundary
 * double: the core has no driver).
 */
class RotatorEventTest {
    static final List<String> STEPS = RotationDriver.STEPS;

    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @ParameterizedTest
    @FieldSource("STEPS")
    void every_step_fails_when_rotation_is_disabled_for_the_secret(String step) {
        // given a rotation in progress whose secret then had rotation turned off
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.secrets.client().cancelRotateSecret(r -> r.secretId(arn));
        assertThat(driver.secrets.client().describeSecret(r -> r.secretId(arn)).rotationEnabled()).isFalse();
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails(step, arn, token);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("rotation is not enabled for the secret");
        driver.assertNothingWritten(arn, token, before);
    }

    @ParameterizedTest
    @FieldSource("STEPS")
    void every_step_fails_when_the_token_is_not_a_version_of_the_secret(String step) {
        // given
        String arn = driver.createAppSecret();
        String pendingToken = driver.startRotation(arn);
        String stranger = UUID.randomUUID().toString();
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails(step, arn, stranger);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("version " + stranger + " is not a version of the secret");
        driver.assertNothingWritten(arn, pendingToken, before);
    }

    @ParameterizedTest
    @FieldSource("STEPS")
    void every_step_fails_when_the_tokens_version_is_not_labelled_pending(String step) {
        // given a finished rotation, and a new one whose token is not the one invoked
        String arn = driver.createAppSecret();
        driver.rotate(arn);
        String previous = versionWith(arn, PREVIOUS);
        String pendingToken = driver.startRotation(arn);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails(step, arn, previous);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("version " + previous + " is not labelled AWSPENDING");
        driver.assertNothingWritten(arn, pendingToken, before);
    }

    @ParameterizedTest
    @FieldSource("STEPS")
    void every_step_returns_quietly_when_the_tokens_version_is_already_current(String step) {
        // given a finished rotation
        String arn = driver.createAppSecret();
        String token = driver.rotate(arn);
        RotationDriver.Before before = driver.before(arn);
        int mark = driver.logMark();

        // when
        driver.step(step, arn, token);

        // then
        driver.assertNothingChanged(arn, before);
        assertThat(driver.linesSince(mark))
                .filteredOn(line -> line.field("message").map(JsonNode::asString).orElse("").equals("step finished"))
                .singleElement()
                .extracting(line -> line.field("outcome").orElseThrow().asString())
                .isEqualTo("version already AWSCURRENT; nothing to do");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = " ")
    void an_event_without_a_secret_id_is_refused(String secretId) {
        // given
        SecretsManagerRotationEvent event = SecretsFixture.event("createSecret", secretId,
                UUID.randomUUID().toString());

        // when
        RotationException failure = driver.invocationFails(event);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the event has no SecretId");
        assertThat(driver.calls.operationsSince(0)).isEmpty();
        assertThat(driver.lines("ERROR", "step failed")).hasSize(1);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void an_event_without_a_client_request_token_is_refused(String token) {
        // given
        String arn = driver.createAppSecret();
        String pendingToken = driver.startRotation(arn);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("createSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the event has no ClientRequestToken");
        driver.assertNothingWritten(arn, pendingToken, before);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"deleteSecret", "CreateSecret", "create"})
    void an_event_with_an_unknown_step_is_refused_with_the_step_named(String step) {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails(step, arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the event's Step is '" + step + "'")
                .hasMessageContaining("expected createSecret, setSecret, testSecret or finishSecret");
        driver.assertNothingWritten(arn, token, before);
    }

    @Test
    void a_missing_event_is_refused() {
        // when
        RotationException failure = driver.invocationFails(null);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class).hasMessageContaining("no SecretId");
    }

    @Test
    void a_secret_that_does_not_exist_is_reported_as_such_and_not_as_a_defect() {
        // given
        String arn = driver.createAppSecret();
        String missing = arn.substring(0, arn.lastIndexOf(':') + 1) + "keyturn-no-such-secret-AbCdEf";

        // when
        RotationException failure = driver.stepFails("createSecret", missing, UUID.randomUUID().toString());

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("secret " + missing + " does not exist")
                .hasMessageNotContaining("defect");
    }

    private String versionWith(String arn, String stage) {
        return driver.secrets.stages(arn).entrySet().stream()
                .filter(entry -> entry.getValue().contains(stage))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void the_current_version_of_a_secret_with_no_rotation_in_progress_is_left_alone() {
        // given a secret whose only version is current
        String arn = driver.createAppSecret();
        driver.startRotation(arn);
        String current = versionWith(arn, CURRENT);
        RotationDriver.Before before = driver.before(arn);

        // when
        for (String step : STEPS) {
            driver.step(step, arn, current);
        }

        // then
        driver.assertNothingChanged(arn, before);
    }
}
