package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.RotationException;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.RotationStep;
import dev.keyturn.core.Settings;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TLS between the function and PostgreSQL, read back from the server's log, where every login says
 * whether it used TLS (log_connections is on for the test servers).
 */
class PostgresTlsRotationTest extends PostgresRotationTestBase {

    @Test
    void with_ssl_true_and_the_test_ca_every_login_of_the_rotation_uses_tls() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_tls");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);

        // when
        harness.rotate(harness.handler(Strategy.SINGLE_USER), arn);

        // then, read before the test logs in itself
        assertThat(loginsOf(user.name())).isNotEmpty().allMatch(line -> line.contains("SSL enabled"));
        assertThat(harness.logsIn(harness.current(arn))).isTrue();
    }

    @Test
    void a_certificate_from_another_ca_fails_the_step_and_no_plaintext_session_follows() throws SQLException {
        // given a function that trusts only an unrelated CA
        TestUser user = harness.newUser("kt_wrongca");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);
        RotationHandler handler = trustingTheWrongCa();
        String token = harness.startRotation(arn);
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);

        // when
        assertThatThrownBy(() -> harness.step(handler, RotationStep.SET_SECRET, arn, token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("TLS");

        // then the server saw no session of this user at all, so none without TLS
        assertThat(loginsOf(user.name())).isEmpty();
        assertThat(harness.stagesOf(arn, token)).doesNotContain("AWSCURRENT");
        assertThat(postgres.canLogin(user.name(), user.password())).isTrue();
    }

    @Test
    void without_an_ssl_key_tls_is_required_by_default_and_never_falls_back() throws SQLException {
        // given a secret with no ssl key, and TLS_DEFAULT left at its default
        TestUser user = harness.newUser("kt_nossl");
        String arn = harness.createSecret(postgres.secret(user.name(), user.password()).put("ssl", null));
        RotationHandler handler = trustingTheWrongCa();
        String token = harness.startRotation(arn);
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);

        // when
        assertThatThrownBy(() -> harness.step(handler, RotationStep.SET_SECRET, arn, token))
                .isInstanceOf(RotationException.class);

        // then
        assertThat(loginsOf(user.name())).isEmpty();
        assertThat(postgres.canLogin(user.name(), user.password())).isTrue();
    }

    /** A handler whose TLS_CA_BUNDLE is the unrelated CA. */
    private RotationHandler trustingTheWrongCa() {
        Map<String, String> env = harness.environment(Strategy.SINGLE_USER);
        env.put("TLS_CA_BUNDLE", services.tls().wrongCaBundle().toString());
        return harness.handler(Settings.from(env), postgres.engine());
    }

    /** The server's "connection authorized" lines for this user, TLS or not. */
    private List<String> loginsOf(String user) {
        String log = postgres.server().serverLog().orElseThrow(() -> new AssertionError("these tests read the "
                + "PostgreSQL server's log, which " + services.description() + " does not offer"));
        String authorized = "connection authorized: user=" + user + " ";
        return log.lines().filter(line -> line.contains(authorized)).toList();
    }
}
