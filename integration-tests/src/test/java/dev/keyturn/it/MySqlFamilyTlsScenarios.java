package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationException;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.RotationStep;
import dev.keyturn.core.Settings;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TLS between the function and a MySQL-family server. These servers write no log the tests can read,
 * so TLS is shown by the accounts themselves: one that REQUIRE SSL refuses every session without
 * TLS, so a rotation that completes for it used TLS for every login.
 */
abstract class MySqlFamilyTlsScenarios extends MySqlFamilyRotationTestBase {

    @Test
    void with_ssl_true_and_the_test_ca_a_user_that_requires_tls_is_rotated() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_tls");
        db.asAdmin("ALTER USER ?@? REQUIRE SSL", user.name(), "%");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);

        // when
        harness.rotate(harness.handler(Strategy.SINGLE_USER), arn);

        // then
        DatabaseSecret current = harness.current(arn);
        assertThat(db.canLoginWithTls(user.name(), current.password())).isTrue();
        assertThat(db.canLogin(user.name(), current.password())).as("REQUIRE SSL refuses plaintext").isFalse();
    }

    @Test
    void the_clone_of_a_user_that_requires_tls_requires_it_too() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_tlsalt");
        db.asAdmin("ALTER USER ?@? REQUIRE SSL", user.name(), "%");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);

        // when
        harness.rotate(harness.handler(Strategy.ALTERNATING_USERS), arn);

        // then
        DatabaseSecret current = harness.current(arn);
        assertThat(current.username()).isEqualTo(user.name() + "_clone");
        assertThat(db.canLoginWithTls(current.username(), current.password())).isTrue();
        assertThat(db.canLogin(current.username(), current.password())).isFalse();
    }

    @Test
    void a_certificate_from_another_ca_fails_the_step_and_changes_nothing() throws SQLException {
        // given a function that trusts only an unrelated CA
        TestUser user = harness.newUser("kt_wrongca");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);
        RotationHandler handler = trustingTheWrongCa("required");
        String token = harness.startRotation(arn);
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);

        // when
        assertThatThrownBy(() -> harness.step(handler, RotationStep.SET_SECRET, arn, token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("TLS");

        // then
        assertThat(harness.stagesOf(arn, token)).doesNotContain("AWSCURRENT");
        assertThat(db.canLogin(user.name(), user.password())).isTrue();
    }

    @Test
    void without_an_ssl_key_tls_is_required_by_default_and_never_falls_back() throws SQLException {
        // given a secret with no ssl key, and TLS_DEFAULT left at its default
        TestUser user = harness.newUser("kt_nossl");
        String arn = harness.createSecret(db.secret(user.name(), user.password()).put("ssl", null));
        Map<String, String> env = harness.environment(Strategy.SINGLE_USER);
        env.put("TLS_CA_BUNDLE", services.tls().wrongCaBundle().toString());
        RotationHandler handler = harness.handler(Settings.from(env), db.engine());
        String token = harness.startRotation(arn);
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);

        // when
        assertThatThrownBy(() -> harness.step(handler, RotationStep.SET_SECRET, arn, token))
                .isInstanceOf(RotationException.class);

        // then
        assertThat(db.canLogin(user.name(), user.password())).isTrue();
    }

    /**
     * TLS_DEFAULT=preferred falls back only when the failure is TLS itself, which the engine must tell
     * apart from a refused password or an unreachable server: this shows it does, on a real server.
     */
    @Test
    void with_tls_default_preferred_a_failed_handshake_falls_back_to_plaintext_with_a_warning()
            throws SQLException {
        // given a secret with no ssl key, a function that trusts only an unrelated CA, and preferred
        TestUser user = harness.newUser("kt_prefer");
        String arn = harness.createSecret(db.secret(user.name(), user.password()).put("ssl", null));
        RotationHandler handler = trustingTheWrongCa("preferred");

        // when
        harness.rotate(handler, arn);

        // then
        assertThat(harness.logsIn(harness.current(arn))).isTrue();
        assertThat(harness.logs().all()).contains("connecting without TLS");
    }

    private RotationHandler trustingTheWrongCa(String tlsDefault) {
        Map<String, String> env = harness.environment(Strategy.SINGLE_USER);
        env.put("TLS_CA_BUNDLE", services.tls().wrongCaBundle().toString());
        env.put("TLS_DEFAULT", tlsDefault);
        return harness.handler(Settings.from(env), db.engine());
    }
}
