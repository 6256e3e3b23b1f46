package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.RotationDriver.newPassword;
import static dev.keyturn.core.SecretVersions.CURRENT;
import static dev.keyturn.core.SecretVersions.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.keyturn.core.testing.SecretsFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;

/**
 * What the function writes into the secret and its log: the pending value keeps every key it does not
 * own, the new password follows the settings and the engine's rules, and every message names the
 * secret and the step. Against moto_server and the in-memory JDBC-boundary double (no driver in core).
 */
class RotatorSecretValueTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @Test
    void keys_the_function_does_not_own_are_kept_unchanged_and_in_order() {
        // given
        String password = newPassword("initial");
        driver.database.addUser(APP_USER, password);
        String original = "{\"engine\":\"memdb\",\"host\":\"db.internal\",\"port\":\"15432\",\"username\":\"app\","
                + "\"password\":\"" + password + "\",\"dbname\":\"orders\","
                + "\"dbClusterIdentifier\":\"orders-cluster\","
                + "\"owner\":{\"team\":\"payments\",\"tags\":[\"pci\",1,true,null],\"limits\":{\"rate\":1.50}},"
                + "\"price\":1.50,\"big\":123456789012345678901234567890,\"ratio\":-2.5E-3,"
                + "\"greeting\":\"Grüße aus Köln, 東京から 👋\",\"escaped\":\"tab\\tquote\\\"slash\\\\\","
                + "\"enabled\":false,\"nothing\":null,\"empty\":{},\"list\":[]}";
        String arn = driver.createSecret(original);
        String token = driver.startRotation(arn);

        // when
        driver.step("createSecret", arn, token);

        // then every key but the password holds the same JSON value, in the same order
        String pending = driver.secrets.valueOfVersion(arn, token).orElseThrow();
        Map<String, JsonNode> before = JsonNode.parser().parse(original).asObject();
        Map<String, JsonNode> after = JsonNode.parser().parse(pending).asObject();
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((key, value) -> {
            if (!key.equals("password")) {
                assertThat(after.get(key)).as(key).isEqualTo(value);
            }
        });
        assertThat(after.get("password").asString()).isNotEqualTo(password);
        assertThat(pending).contains("\"rate\":1.50", "\"price\":1.50", "123456789012345678901234567890",
                "\"ratio\":-2.5E-3", "\"port\":\"15432\"");
    }

    @Test
    void the_new_password_has_the_default_length_and_none_of_the_excluded_characters() {
        // given
        String arn = driver.createAppSecret();

        // when
        for (int i = 0; i < 3; i++) {
            driver.rotate(arn);

            // then
            String password = driver.valueOfStage(arn, CURRENT).password();
            assertThat(password).hasSize(32).doesNotContainAnyWhitespaces();
            assertThat(password.chars()).noneMatch(c -> "/@\"'\\;:".indexOf(c) >= 0);
        }
    }

    @Test
    void the_password_settings_reach_GetRandomPassword() {
        // given
        driver.with(PasswordPolicy.LENGTH, "20")
                .with(PasswordPolicy.EXCLUDE_PUNCTUATION, "true")
                .with(PasswordPolicy.EXCLUDE_UPPERCASE, "true");
        String arn = driver.createAppSecret();

        // when
        driver.rotate(arn);

        // then
        String password = driver.valueOfStage(arn, CURRENT).password();
        assertThat(password).hasSize(20).matches("[a-z0-9]+");
    }

    @Test
    void a_password_length_above_the_engines_maximum_is_capped_with_a_warning() {
        // given
        driver.with(PasswordPolicy.LENGTH, "100");
        String arn = driver.createAppSecret();

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.valueOfStage(arn, CURRENT).password()).hasSize(InMemoryDatabaseEngine.MAX_PASSWORD_LENGTH);
        assertThat(driver.lines("WARN", "PASSWORD_LENGTH is above what the engine accepts")).singleElement()
                .satisfies(line -> assertThat(line.field("maxLength").orElseThrow().asNumber()).isEqualTo("64"));
    }

    @Test
    void createSecret_puts_the_value_on_the_token_as_AWSPENDING_with_the_events_rotation_token() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        SecretsManagerRotationEvent event = SecretsFixture.event("createSecret", arn, token);
        event.setRotationToken("rotation-token-from-the-event");
        int mark = driver.calls.mark();

        // when
        driver.invoke(event);

        // then
        PutSecretValueRequest put = driver.calls.since(mark).stream()
                .filter(call -> call.operation().equals("PutSecretValue"))
                .map(call -> (PutSecretValueRequest) call.request())
                .findFirst()
                .orElseThrow();
        assertThat(put.secretId()).isEqualTo(arn);
        assertThat(put.clientRequestToken()).isEqualTo(token);
        assertThat(put.versionStages()).containsExactly(PENDING);
        assertThat(put.rotationToken()).isEqualTo("rotation-token-from-the-event");
    }

    @Test
    void createSecret_sends_no_rotation_token_when_the_event_has_none() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        int mark = driver.calls.mark();

        // when
        driver.step("createSecret", arn, token);

        // then
        assertThat(driver.calls.since(mark)).filteredOn(call -> call.operation().equals("PutSecretValue"))
                .singleElement()
                .satisfies(call -> assertThat(((PutSecretValueRequest) call.request()).rotationToken()).isNull());
    }

    @Test
    void a_failed_step_names_the_secret_arn_and_the_step_in_the_exception_and_in_its_log_line() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.makeUnreachable();

        // when
        RotationException failure = driver.stepFails("testSecret", arn, token);

        // then
        assertThat(failure).hasMessageStartingWith("Secret " + arn + ", step testSecret: ");
        assertThat(driver.lines("ERROR", "step failed")).singleElement().satisfies(line -> {
            assertThat(line.field("secretId").orElseThrow().asString()).isEqualTo(arn);
            assertThat(line.field("step").orElseThrow().asString()).isEqualTo("testSecret");
            assertThat(line.field("clientRequestToken").orElseThrow().asString()).isEqualTo(token);
            assertThat(line.field("error").orElseThrow().asString()).isEqualTo(failure.getMessage());
            assertThat(line.field("errorType").orElseThrow().asString()).isEqualTo("DatabaseException");
        });
    }

    @Test
    void every_log_line_of_a_step_carries_the_secret_the_step_the_token_and_the_request_id() {
        // given
        String arn = driver.createAppSecret();

        // when
        String token = driver.rotate(arn);

        // then
        assertThat(driver.lines()).filteredOn(line -> line.field("level").isPresent()).isNotEmpty()
                .allSatisfy(line -> {
                    assertThat(line.field("secretId").orElseThrow().asString()).isEqualTo(arn);
                    assertThat(line.field("clientRequestToken").orElseThrow().asString()).isEqualTo(token);
                    assertThat(line.field("step").orElseThrow().asString()).isIn(RotationDriver.STEPS);
                    assertThat(line.field("requestId").orElseThrow().asString()).startsWith("request-");
                    assertThat(line.field("timestamp")).isPresent();
                });
        assertThat(driver.lines("INFO", "step started")).hasSize(4);
        assertThat(driver.lines("INFO", "step finished")).hasSize(4)
                .allSatisfy(line -> assertThat(line.field("durationMs")).isPresent());
    }
}
