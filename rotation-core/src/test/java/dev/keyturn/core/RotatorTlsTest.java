package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.RotationDriver.newPassword;
import static dev.keyturn.core.RotationDriver.secretJson;
import static dev.keyturn.core.RotationDriver.withKey;
import static dev.keyturn.core.SecretVersions.CURRENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.InMemoryDatabaseEngine.LoginAttempt;
import dev.keyturn.core.InMemoryDatabaseEngine.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the secret's {@code ssl} key and {@code TLS_DEFAULT} choose between verified TLS and plaintext,
 * and that no fallback happens unless the secret leaves it open and the setting allows it. A failed
 * handshake is simulated by the in-memory database (a JDBC-boundary double: the core has no driver);
 * the engine modules test real handshakes against the test CA.
 */
class RotatorTlsTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @ParameterizedTest
    @ValueSource(strings = {"required", "preferred", "disabled"})
    void ssl_true_never_falls_back_to_plaintext_whatever_TLS_DEFAULT_says(String tlsDefault) {
        // given
        driver.with(Settings.TLS_DEFAULT, tlsDefault);
        String arn = createAppSecretWithSsl("true");
        driver.database.breakTls();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("the TLS handshake failed")
                .hasMessageContaining("TLS_CA_BUNDLE");
        assertThat(driver.database.attempts()).containsExactly(new LoginAttempt(APP_USER, true, Outcome.TLS_FAILED));
        assertThat(driver.database.snapshot()).isEqualTo(before);
        assertThat(driver.lines("WARN", "TLS")).isEmpty();
    }

    @Test
    void no_ssl_key_with_the_default_setting_requires_tls_without_fallback() {
        // given
        String arn = driver.createAppSecret();
        driver.database.breakTls();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(DatabaseException.class).hasMessageContaining("the TLS handshake failed");
        assertThat(driver.database.attempts()).extracting(LoginAttempt::tls).containsExactly(true);
    }

    @Test
    void no_ssl_key_with_TLS_DEFAULT_preferred_falls_back_to_plaintext_with_a_warning() {
        // given
        driver.with(Settings.TLS_DEFAULT, "preferred");
        String arn = driver.createAppSecret();
        driver.database.breakTls();

        // when
        driver.rotate(arn);

        // then each login tried TLS first, warned, and then logged in without it
        assertThat(driver.database.attempts()).containsExactly(
                new LoginAttempt(APP_USER, true, Outcome.TLS_FAILED),
                new LoginAttempt(APP_USER, false, Outcome.ACCEPTED),
                new LoginAttempt(APP_USER, true, Outcome.TLS_FAILED),
                new LoginAttempt(APP_USER, false, Outcome.ACCEPTED));
        assertThat(driver.lines("WARN", "TLS connection failed; connecting without TLS")).hasSize(2)
                .allSatisfy(line -> assertThat(line.field("host").orElseThrow().asString())
                        .isEqualTo(RotationDriver.HOST));
        assertCurrentLogsIn(arn);
    }

    @Test
    void no_ssl_key_with_TLS_DEFAULT_preferred_uses_tls_when_the_handshake_works() {
        // given
        driver.with(Settings.TLS_DEFAULT, "preferred");
        String arn = driver.createAppSecret();

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.database.attempts()).extracting(LoginAttempt::tls).containsExactly(true, true);
        assertThat(driver.lines("WARN", "TLS")).isEmpty();
    }

    @Test
    void no_ssl_key_with_TLS_DEFAULT_disabled_connects_in_plaintext() {
        // given
        driver.with(Settings.TLS_DEFAULT, "disabled");
        String arn = driver.createAppSecret();
        driver.database.breakTls();

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.database.attempts()).extracting(LoginAttempt::tls).containsExactly(false, false);
        assertCurrentLogsIn(arn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "\"false\"", "\"FALSE\""})
    void ssl_false_connects_in_plaintext_even_when_TLS_DEFAULT_is_required(String ssl) {
        // given
        driver.with(Settings.TLS_DEFAULT, "required");
        String arn = createAppSecretWithSsl(ssl);
        driver.database.breakTls();

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.database.attempts()).extracting(LoginAttempt::tls).containsExactly(false, false);
        assertCurrentLogsIn(arn);
    }

    @Test
    void ssl_given_as_the_string_true_means_verified_tls() {
        // given
        driver.with(Settings.TLS_DEFAULT, "disabled");
        String arn = createAppSecretWithSsl("\"true\"");

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.database.attempts()).extracting(LoginAttempt::tls).containsExactly(true, true);
    }

    @Test
    void the_ca_bundle_hostname_check_and_timeout_settings_reach_every_connection_through_one_trust_object() {
        // given
        driver.with(Settings.TLS_CA_BUNDLE, "/opt/ca/bundle.pem")
                .with(Settings.TLS_VERIFY_HOSTNAME, "false")
                .with(Settings.CONNECT_TIMEOUT, "3");
        String arn = driver.createAppSecret();

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.database.acceptedRequests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.trust().caBundle()).isEqualTo(Optional.of(Path.of("/opt/ca/bundle.pem")));
            assertThat(request.trust().verifyHostname()).isFalse();
            assertThat(request.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(request.host()).isEqualTo(RotationDriver.HOST);
            assertThat(request.port()).isEqualTo(RotationDriver.PORT);
            assertThat(request.dbname()).contains("orders");
        });
        // one trust object per container, so that a key store made from the bundle is written once
        assertThat(driver.database.acceptedRequests().get(0).trust())
                .isSameAs(driver.database.acceptedRequests().get(1).trust());
    }

    @Test
    void a_secret_without_a_port_connects_to_the_engines_default_port() {
        // given
        String password = newPassword("initial");
        driver.database.addUser(APP_USER, password);
        String arn = driver.createSecret(secretJson(APP_USER, password).replace(",\"port\":" + RotationDriver.PORT,
                ""));

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.database.acceptedRequests()).extracting(ConnectionRequest::port)
                .containsOnly(InMemoryDatabaseEngine.DEFAULT_PORT);
    }

    private String createAppSecretWithSsl(String rawSsl) {
        String password = newPassword("initial");
        driver.database.addUser(APP_USER, password);
        return driver.createSecret(withKey(secretJson(APP_USER, password), "ssl", rawSsl));
    }

    private void assertCurrentLogsIn(String arn) {
        DatabaseSecret current = driver.valueOfStage(arn, CURRENT);
        assertThat(driver.database.accepts(current.username(), current.password())).isTrue();
    }
}
