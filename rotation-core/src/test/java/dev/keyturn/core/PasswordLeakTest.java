package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.SecretVersions.CURRENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No password reaches a log line or an exception message, on any path: the normal one, every
 * fallback, driver errors that quote the failed statement, and an unexpected exception from an
 * engine. Every other test class runs the same check after each test; this one drives the paths where
 * a leak is most likely, and proves the check itself would notice one. The database is the in-memory
 * JDBC-boundary double (the core has no driver), whose error messages quote passwords on purpose.
 */
class PasswordLeakTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @Test
    void no_password_leaks_from_a_rotation_through_every_fallback_and_failure() {
        // given debug logging, TLS fallback, and a password no version holds
        driver.with(Settings.TLS_DEFAULT, "preferred");
        String arn = driver.createAppSecretWithMaster();
        driver.rotate(arn);
        driver.database.breakTls();
        driver.database.resetPasswordByHand(APP_USER, driver.unrelatedPassword());
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        String pendingPassword = driver.valueOfVersion(arn, token).password();

        // when a change fails quoting the statement, then an engine throws something unexpected
        driver.database.failNextChangeQuotingPassword();
        RotationException quoted = driver.stepFails("setSecret", arn, token);
        driver.database.nextChangeThrows(new IllegalStateException("driver defect near PASSWORD '"
                + pendingPassword + "'", new IllegalArgumentException("bad literal '" + pendingPassword + "'")));
        RotationException unexpected = driver.stepFails("setSecret", arn, token);
        driver.database.lock(APP_USER);
        driver.stepFails("setSecret", arn, token);
        driver.database.unlock(APP_USER);
        driver.steps(arn, token, "setSecret", "testSecret", "finishSecret");

        // then the messages say where the passwords were, without them
        assertThat(quoted).isInstanceOf(DatabaseException.class).hasMessageContaining("PASSWORD '****'");
        assertThat(unexpected).hasMessageContaining("unexpected java.lang.IllegalStateException")
                .hasMessageContaining("This is a defect");
        assertThat(RotationDriver.fullText(unexpected)).contains("driver defect near PASSWORD '****'",
                "bad literal '****'");
        assertThat(driver.lines("WARN", "reconciled")).hasSize(1);
        assertThat(driver.lines("DEBUG", "logged in")).isNotEmpty();
        assertThat(driver.thrown()).hasSize(3);
        assertThat(driver.passwordsToLookFor()).contains(pendingPassword,
                driver.valueOfStage(arn, CURRENT).password());
        driver.assertNoPasswordLeaked();
    }

    @Test
    void no_password_leaks_from_refused_inputs_whose_messages_describe_the_value() {
        // given secrets that are refused for their password or their shape
        String longPassword = "L".repeat(1025);
        String[] values = {
            RotationDriver.secretJson(APP_USER, longPassword),
            RotationDriver.secretJson(APP_USER, "tab\there-" + RotationDriver.newPassword("ctl")),
            RotationDriver.secretJson(APP_USER, RotationDriver.newPassword("broken")).replace("}", ""),
            "[" + RotationDriver.secretJson(APP_USER, RotationDriver.newPassword("array")) + "]",
        };

        // when
        for (String value : values) {
            String arn = driver.createSecret(value);
            driver.stepFails("createSecret", arn, driver.startRotation(arn));
        }

        // then
        assertThat(driver.thrown()).hasSize(values.length);
        assertThat(driver.passwordsToLookFor()).hasSizeGreaterThanOrEqualTo(values.length);
    }

    @Test
    void the_leak_check_notices_a_password_in_a_log_line_even_when_json_escaped() {
        // given a rotation, and then a line that carries its password in escaped form
        RotationDriver leaky = new RotationDriver(Strategy.SINGLE_USER);
        String arn = leaky.createAppSecret();
        leaky.rotate(arn);
        String password = leaky.valueOfStage(arn, CURRENT).password();
        String escaped = password.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat);
        leaky.log.write(LogLevel.INFO, "{\"message\":\"oops\",\"value\":\"" + escaped + "\"}");

        // when / then
        assertThatThrownBy(leaky::assertNoPasswordLeaked).isInstanceOf(AssertionError.class)
                .hasMessageContaining("contains a password");
    }

    @Test
    void the_leak_check_notices_a_password_in_the_cause_of_an_exception() {
        // given a step that failed with a password deep in its causes, as an unscrubbed wrapper would
        RotationDriver leaky = new RotationDriver(Strategy.SINGLE_USER);
        String arn = leaky.createAppSecret();
        String password = leaky.valueOfStage(arn, CURRENT).password();
        leaky.database.nextChangeThrows(new IllegalStateException("outer"));
        String token = leaky.startRotation(arn);
        leaky.step("createSecret", arn, token);
        RotationException failure = leaky.stepFails("setSecret", arn, token);
        failure.addSuppressed(new IllegalStateException("suppressed " + password));

        // when / then
        assertThatThrownBy(leaky::assertNoPasswordLeaked).isInstanceOf(AssertionError.class)
                .hasMessageContaining("an exception contains a password");
    }

    @Test
    void the_leak_check_looks_for_every_version_of_every_secret_of_the_test() {
        // given
        driver.using(Strategy.ALTERNATING_USERS);
        String arn = driver.createAppSecretWithMaster();
        String masterArn = driver.valueOfStage(arn, CURRENT).masterArn().orElseThrow();

        // when
        for (int i = 0; i < 2; i++) {
            driver.rotate(arn);
        }

        // then the three user versions and the master's password are all looked for
        assertThat(driver.passwordsToLookFor()).hasSize(4)
                .contains(driver.valueOfStage(masterArn, CURRENT).password());
    }

    @Test
    void secret_and_connection_descriptions_hide_the_password() {
        // given
        String password = RotationDriver.newPassword("shown");
        DatabaseSecret secret = DatabaseSecret.parse(RotationDriver.secretJson(APP_USER, password));
        ConnectionRequest request = new ConnectionRequest("db.internal", 5432, Optional.of("orders"), APP_USER,
                password, TlsSettings.Mode.VERIFIED, new TrustSettings(Optional.empty(), true), Duration.ofSeconds(5));

        // when
        String descriptions = secret + " " + secret.withCredentials("other", password) + " " + request;

        // then
        assertThat(descriptions).doesNotContain(password).contains("password=****", APP_USER, "db.internal:5432");
    }
}
