package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationException;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.RotationStep;
import dev.keyturn.core.Settings;
import dev.keyturn.core.Strategy;
import dev.keyturn.core.testing.CrashingEngine;
import dev.keyturn.it.RotationHarness.TestUser;
import dev.keyturn.it.fleet.EmfMetrics;
import dev.keyturn.it.fleet.FailedLoginsOnServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * single-user-overlap on the real MariaDB: the account accepts exactly two passwords, AWSCURRENT's
 * and AWSPENDING's from setSecret on, AWSCURRENT's and AWSPREVIOUS's once the rotation finished, and
 * the password before AWSPREVIOUS no longer. MariaDB lets only an account with CREATE USER set two
 * passwords, so the secrets name the master secret; without one the rotation is refused, or falls
 * back to single-user when OVERLAP_FALLBACK says so.
 */
class MariaDbOverlapRotationTest extends MySqlFamilyRotationTestBase {

    @Override
    protected MySqlFamilyUnderTest underTest(Services services) {
        return MySqlFamilyUnderTest.mariadb(services);
    }

    @Test
    void after_a_rotation_AWSCURRENT_and_AWSPREVIOUS_log_in_and_the_password_before_them_is_refused()
            throws SQLException {
        // given a secret already rotated once
        TestUser user = harness.newUser("kt_ovl");
        String arn = overlapSecret(user);
        RotationHandler handler = harness.handler(Strategy.SINGLE_USER_OVERLAP);
        harness.rotate(handler, arn);
        FailedLoginsOnServer serverLog = FailedLoginsOnServer.mariadb();
        EmfMetrics metrics = EmfMetrics.mark(harness.logs());

        // when
        harness.rotate(handler, arn);

        // then no login failed, as the function and the server count them (before this test's own refused one)
        assertThat(metrics.sum("FailedLogins")).isZero();
        assertThat(serverLog.of(List.of(user.name()))).hasValueSatisfying(count -> assertThat(count).isZero());
        assertThat(harness.logsIn(harness.current(arn))).as("AWSCURRENT").isTrue();
        assertThat(harness.logsIn(harness.previous(arn))).as("AWSPREVIOUS").isTrue();
        assertThat(db.canLogin(user.name(), user.password())).as("the password before AWSPREVIOUS").isFalse();
        assertThat(passwordAlternatives(user.name())).isEqualTo(2);
    }

    @Test
    void between_setSecret_and_finishSecret_both_the_old_and_the_new_password_log_in() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_ovl");
        String arn = overlapSecret(user);
        RotationHandler handler = harness.handler(Strategy.SINGLE_USER_OVERLAP);
        String token = harness.startRotation(arn);

        // when
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);
        harness.step(handler, RotationStep.SET_SECRET, arn, token);

        // then
        DatabaseSecret pending = harness.pending(arn, token).orElseThrow();
        assertThat(harness.logsIn(harness.current(arn))).as("AWSCURRENT after setSecret").isTrue();
        assertThat(harness.logsIn(pending)).as("AWSPENDING after setSecret").isTrue();
        harness.step(handler, RotationStep.TEST_SECRET, arn, token);
        assertThat(harness.logsIn(harness.current(arn))).as("AWSCURRENT after testSecret").isTrue();
        harness.step(handler, RotationStep.FINISH_SECRET, arn, token);
        assertThat(harness.current(arn).password()).isEqualTo(pending.password());
        assertThat(harness.logsIn(harness.previous(arn))).as("AWSPREVIOUS after finishSecret").isTrue();
    }

    @Test
    void setSecret_run_again_keeps_exactly_the_current_and_the_new_password() throws SQLException {
        // given the second rotation of a secret, so that an older password exists
        TestUser user = harness.newUser("kt_ovl");
        String arn = overlapSecret(user);
        RotationHandler handler = harness.handler(Strategy.SINGLE_USER_OVERLAP);
        harness.rotate(handler, arn);
        String token = harness.startRotation(arn);
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);
        harness.step(handler, RotationStep.SET_SECRET, arn, token);
        EmfMetrics metrics = EmfMetrics.mark(harness.logs());

        // when
        harness.step(handler, RotationStep.SET_SECRET, arn, token);

        // then
        assertExactlyCurrentAndPending(arn, token, user);
        assertThat(metrics.sum("FailedLogins")).isZero();
        harness.step(handler, RotationStep.TEST_SECRET, arn, token);
        harness.step(handler, RotationStep.FINISH_SECRET, arn, token);
        assertThat(harness.logsIn(harness.current(arn))).isTrue();
    }

    @Test
    void setSecret_retried_after_a_crash_behind_the_change_keeps_exactly_the_two_passwords() throws SQLException {
        // given the first setSecret changed the account and died before it returned
        TestUser user = harness.newUser("kt_ovl");
        String arn = overlapSecret(user);
        RotationHandler handler = harness.handler(Strategy.SINGLE_USER_OVERLAP);
        harness.rotate(handler, arn);
        CrashingEngine crashing = new CrashingEngine(db.engine());
        RotationHandler dying = harness.handler(harness.settings(Strategy.SINGLE_USER_OVERLAP), crashing);
        String token = harness.startRotation(arn);
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);
        crashing.crashAfterNextChange();
        assertThatThrownBy(() -> harness.step(dying, RotationStep.SET_SECRET, arn, token))
                .isInstanceOf(RuntimeException.class);
        assertThat(crashing.crashes()).isEqualTo(1);
        EmfMetrics metrics = EmfMetrics.mark(harness.logs());

        // when Secrets Manager retries the rotation with the same token
        harness.runAllSteps(handler, arn, token);

        // then
        assertThat(harness.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(harness.logsIn(harness.current(arn))).isTrue();
        assertThat(harness.logsIn(harness.previous(arn))).isTrue();
        assertThat(db.canLogin(user.name(), user.password())).isFalse();
        assertThat(passwordAlternatives(user.name())).isEqualTo(2);
        assertThat(metrics.sum("FailedLogins")).isZero();
    }

    @Test
    void without_a_master_secret_setSecret_names_the_missing_privilege_and_changes_nothing() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_ovl");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER_OVERLAP);
        RotationHandler handler = harness.handler(Strategy.SINGLE_USER_OVERLAP);
        String token = harness.startRotation(arn);
        harness.step(handler, RotationStep.CREATE_SECRET, arn, token);

        // when / then
        assertThatThrownBy(() -> harness.step(handler, RotationStep.SET_SECRET, arn, token))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("CREATE USER")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("OVERLAP_FALLBACK");
        assertThat(db.canLogin(user.name(), user.password())).isTrue();
        assertThat(harness.logsIn(harness.pending(arn, token).orElseThrow())).isFalse();
    }

    @Test
    void without_a_master_secret_and_with_the_single_user_fallback_the_rotation_completes_without_overlap()
            throws SQLException {
        // given
        TestUser user = harness.newUser("kt_ovl");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER_OVERLAP);
        Map<String, String> env = harness.environment(Strategy.SINGLE_USER_OVERLAP);
        env.put("OVERLAP_FALLBACK", "single-user");
        RotationHandler handler = harness.handler(Settings.from(env), db.engine());

        // when
        harness.rotate(handler, arn);

        // then
        assertThat(harness.logsIn(harness.current(arn))).isTrue();
        assertThat(db.canLogin(user.name(), user.password())).isFalse();
        assertThat(harness.logs().all()).contains("OVERLAP_FALLBACK is 'single-user'").contains("CREATE USER");
    }

    private String overlapSecret(TestUser user) {
        return harness.createSecret(db.secret(user.name(), user.password()).put("masterarn", harness.masterSecret()));
    }

    private void assertExactlyCurrentAndPending(String arn, String token, TestUser user) throws SQLException {
        assertThat(harness.logsIn(harness.current(arn))).as("AWSCURRENT").isTrue();
        assertThat(harness.logsIn(harness.pending(arn, token).orElseThrow())).as("AWSPENDING").isTrue();
        assertThat(db.canLogin(user.name(), user.password())).as("the password before AWSCURRENT").isFalse();
        assertThat(passwordAlternatives(user.name())).isEqualTo(2);
    }

    /** How many authentication alternatives (accepted passwords) the account {@code name@%} has. */
    private int passwordAlternatives(String name) throws SQLException {
        try (Connection admin = db.admin();
                PreparedStatement statement = admin.prepareStatement("SELECT COALESCE(JSON_LENGTH(Priv, '$.auth_or'), 1) "
                        + "FROM mysql.global_priv WHERE User = ? AND Host = '%'")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
