package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.APP_CLONE;
import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.RotationDriver.newPassword;
import static dev.keyturn.core.RotationDriver.quoted;
import static dev.keyturn.core.RotationDriver.secretJson;
import static dev.keyturn.core.RotationDriver.withKey;
import static dev.keyturn.core.SecretVersions.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Every input the function cannot rotate is refused with a message that says what is wrong, and
 * nothing is written: the secret keeps its versions and labels, the pending version gets no value, and
 * the database (the in-memory JDBC-boundary double; the core has no driver) sees no login and no change.
 */
class RotatorBadInputTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @Test
    void malformed_json_is_refused_without_quoting_it() {
        String value = secretJson(APP_USER, newPassword("initial")).replace("}", "");

        RotationException failure = assertCreateSecretRefuses(value, "the secret value is not valid JSON");

        assertThat(failure).hasMessageNotContaining("initial-");
    }

    @Test
    void a_json_array_is_refused() {
        assertCreateSecretRefuses("[" + secretJson(APP_USER, newPassword("initial")) + "]",
                "the secret value is JSON but not an object");
    }

    @Test
    void a_secret_without_the_credentials_is_refused_with_every_missing_key_named() {
        RotationException failure = assertCreateSecretRefuses("{\"engine\":\"memdb\",\"dbname\":\"orders\"}",
                "the secret value is not a usable database secret");

        assertThat(failure.getMessage()).contains("key 'host' is missing", "key 'username' is missing",
                "key 'password' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"five\"", "\"\"", "0", "65536", "54.32", "true"})
    void a_port_that_is_not_a_port_number_is_refused(String port) {
        String value = secretJson(APP_USER, newPassword("initial"))
                .replace("\"port\":" + RotationDriver.PORT, "\"port\":" + port);

        assertCreateSecretRefuses(value, "key 'port' must be a whole number from 1 to 65535");
    }

    @Test
    void a_secret_for_another_engine_is_refused_with_both_engines_named() {
        String value = secretJson(APP_USER, newPassword("initial")).replace("\"memdb\"", "\"oracle\"");

        assertCreateSecretRefuses(value, "the secret's engine is 'oracle', which this function does not rotate",
                "it rotates 'memdb'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app'; DROP USER master; --", "app\"x", "app\\x", "app`x"})
    void a_user_name_with_a_quote_or_a_backslash_is_refused(String username) {
        assertCreateSecretRefuses(secretJson(username, newPassword("initial")),
                "contains a quote or a backslash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app\u0000x", "app\nx", "app\u0007", "app\u007f"})
    void a_user_name_with_a_control_character_is_refused(String username) {
        assertCreateSecretRefuses(secretJson(username, newPassword("initial")),
                "key 'username' contains a control character");
    }

    @Test
    void a_user_name_too_long_for_the_engine_is_refused() {
        assertCreateSecretRefuses(secretJson("reporting_service", newPassword("initial")),
                "user name reporting_service has 17 characters; memdb accepts at most 16");
    }

    @Test
    void a_user_name_the_engine_reserves_is_refused_with_the_engines_reason() {
        assertCreateSecretRefuses(secretJson("sys_app", newPassword("initial")),
                "user name sys_app cannot be rotated: names starting with sys_ are reserved by memdb");
    }

    @Test
    void a_password_longer_than_any_credential_is_refused() {
        assertCreateSecretRefuses(secretJson(APP_USER, "p".repeat(1025)),
                "key 'password' is longer than 1024 characters");
    }

    @Test
    void an_ssl_key_that_is_not_a_boolean_is_refused() {
        assertCreateSecretRefuses(withKey(secretJson(APP_USER, newPassword("initial")), "ssl", "\"maybe\""),
                "key 'ssl' must be true or false");
    }

    @Test
    void a_secret_value_over_65536_bytes_is_refused() {
        String value = withKey(secretJson(APP_USER, newPassword("initial")), "notes", quoted("n".repeat(70_000)));

        assertCreateSecretRefuses(value, "more than the 65536 Secrets Manager stores");
    }

    @Test
    void a_value_that_a_longer_new_password_would_push_over_65536_bytes_is_refused() {
        // given a value just under the limit with a short password; the new one has 32 characters
        String base = withKey(secretJson(APP_USER, "Qz8kLmX2"), "notes", quoted(""));
        int padding = DatabaseSecret.MAX_VALUE_BYTES - 10 - base.getBytes(StandardCharsets.UTF_8).length;
        String value = withKey(secretJson(APP_USER, "Qz8kLmX2"), "notes", quoted("n".repeat(padding)));
        assertThat(value.getBytes(StandardCharsets.UTF_8)).hasSize(DatabaseSecret.MAX_VALUE_BYTES - 10);

        // then
        assertCreateSecretRefuses(value, "the new value would have 65550 bytes, more than the 65536");
    }

    @Test
    void a_secret_stored_as_binary_is_refused() {
        // given
        String arn = driver.secrets.client().createSecret(r -> r.name("keyturn-binary-" + UUID.randomUUID())
                .secretBinary(SdkBytes.fromUtf8String(secretJson(APP_USER, newPassword("initial"))))).arn();
        String token = driver.startRotation(arn);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("createSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class).hasMessageContaining("has no SecretString");
        driver.assertNothingWritten(arn, token, before);
    }

    @Test
    void alternating_users_without_masterarn_is_refused() {
        driver.using(Strategy.ALTERNATING_USERS);

        assertCreateSecretRefuses(secretJson(APP_USER, newPassword("initial")),
                "alternating-users rotation needs the key 'masterarn'");
    }

    @Test
    void alternating_users_refuses_a_user_whose_clone_name_would_be_too_long_for_the_engine() {
        driver.using(Strategy.ALTERNATING_USERS);
        String value = withKey(secretJson("twelve_chars", newPassword("initial")), "masterarn", quoted("arn:x"));

        assertCreateSecretRefuses(value, "user name twelve_chars_clone has 18 characters; memdb accepts at most 16");
    }

    @Test
    void setSecret_refuses_a_pending_user_that_alternating_users_does_not_expect() {
        // given AWSPENDING was made by a single-user function, then the strategy changed
        String arn = driver.createAppSecretWithMaster();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.using(Strategy.ALTERNATING_USERS);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the AWSPENDING version is for user " + APP_USER + ", but this strategy "
                        + "expects " + APP_CLONE)
                .hasMessageContaining("remove AWSPENDING from version " + token);
        driver.assertNothingChanged(arn, before);
    }

    @Test
    void setSecret_refuses_a_pending_user_that_single_user_does_not_expect() {
        // given AWSPENDING was made by an alternating-users function, then the strategy changed
        driver.using(Strategy.ALTERNATING_USERS);
        String arn = driver.createAppSecretWithMaster();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.using(Strategy.SINGLE_USER);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the AWSPENDING version is for user " + APP_CLONE + ", but this strategy "
                        + "expects " + APP_USER);
        driver.assertNothingChanged(arn, before);
    }

    @Test
    void setSecret_refuses_a_pending_password_the_engine_cannot_take() {
        // given someone put a pending value by hand, with a character the engine refuses
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        putPendingByHand(arn, token, secretJson(APP_USER, newPassword("has;semicolon")));
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the AWSPENDING password cannot be set: the password contains a character "
                        + "the engine refuses");
        driver.assertNothingChanged(arn, before);
    }

    @Test
    void setSecret_refuses_a_pending_version_for_another_host() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        putPendingByHand(arn, token, secretJson(APP_USER, newPassword("next")).replace("db.internal", "db.other"));
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the AWSPENDING version names another engine or host than AWSCURRENT");
        driver.assertNothingChanged(arn, before);
    }

    @Test
    void setSecret_refuses_a_masterarn_that_names_no_secret() {
        // given
        driver.using(Strategy.ALTERNATING_USERS);
        String missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:keyturn-no-master-AbCdEf";
        String arn = driver.createSecret(withKey(secretJson(APP_USER, newPassword("initial")), "masterarn",
                quoted(missing)));
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("secret " + missing + " has no readable AWSCURRENT version");
        driver.assertNothingChanged(arn, before);
    }

    @Test
    void setSecret_refuses_a_master_secret_that_is_not_a_database_secret() {
        // given
        driver.using(Strategy.ALTERNATING_USERS);
        String masterArn = driver.createSecret("{\"username\":\"keyturn_admin\"}");
        String arn = driver.createSecret(withKey(secretJson(APP_USER, newPassword("initial")), "masterarn",
                quoted(masterArn)));
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the master secret " + masterArn + " named by 'masterarn' is not usable")
                .hasMessageContaining("key 'password' is missing");
        driver.assertNothingChanged(arn, before);
    }

    /** Creates the secret, starts a rotation, and checks createSecret refuses it and writes nothing. */
    private RotationException assertCreateSecretRefuses(String value, String... messageParts) {
        // given
        String arn = driver.createSecret(value);
        String token = driver.startRotation(arn);
        RotationDriver.Before before = driver.before(arn);

        // when
        RotationException failure = driver.stepFails("createSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class)
                .hasMessageStartingWith("Secret " + arn + ", step createSecret: ");
        assertThat(failure.getMessage()).contains(messageParts);
        driver.assertNothingWritten(arn, token, before);
        return failure;
    }

    private void putPendingByHand(String arn, String token, String value) {
        driver.secrets.client().putSecretValue(r -> r.secretId(arn).clientRequestToken(token).secretString(value)
                .versionStages(PENDING));
    }
}
