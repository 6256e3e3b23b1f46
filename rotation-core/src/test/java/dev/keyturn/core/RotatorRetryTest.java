package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.ADMIN_USER;
import static dev.keyturn.core.RotationDriver.APP_CLONE;
import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.RotationDriver.STEPS;
import static dev.keyturn.core.SecretVersions.CURRENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.InMemoryDatabaseEngine.LoginAttempt;
import dev.keyturn.core.InMemoryDatabaseEngine.Outcome;
import dev.keyturn.core.InMemoryDatabaseEngine.SimulatedCrash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets Manager retries a failed rotation with the same token, from createSecret. Each step must
 * finish the job from any state a crash leaves, without doing it twice. The crash between a database
 * change and the step's return is modelled by the in-memory database (a JDBC-boundary double: the
 * core has no driver, and no real server can be told to kill the function at that moment).
 */
class RotatorRetryTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @Test
    void createSecret_run_again_after_it_stored_the_value_keeps_that_value_and_writes_nothing() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        String stored = driver.secrets.valueOfVersion(arn, token).orElseThrow();
        int calls = driver.calls.mark();

        // when
        driver.step("createSecret", arn, token);

        // then
        assertThat(driver.calls.operationsSince(calls)).containsExactly("DescribeSecret", "GetSecretValue");
        assertThat(driver.secrets.valueOfVersion(arn, token)).contains(stored);
        assertRotationCompletes(arn, token, "setSecret", "testSecret", "finishSecret");
        assertThat(driver.secrets.valueOfStage(arn, CURRENT)).isEqualTo(stored);
    }

    @Test
    void setSecret_run_again_after_the_database_changed_finds_the_pending_password_with_one_failed_login() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.steps(arn, token, "createSecret", "setSecret");
        int changes = driver.database.changesApplied();
        int attempts = driver.database.attempts().size();
        int mark = driver.logMark();

        // when
        driver.step("setSecret", arn, token);

        // then AWSCURRENT is refused once, AWSPENDING logs in, and nothing is changed again
        assertThat(driver.database.attempts().subList(attempts, driver.database.attempts().size())).containsExactly(
                new LoginAttempt(APP_USER, true, Outcome.REFUSED), new LoginAttempt(APP_USER, true, Outcome.ACCEPTED));
        assertThat(driver.metricsSince(mark).failedLogins()).isEqualTo(1);
        assertThat(driver.database.changesApplied()).isEqualTo(changes);
        assertRotationCompletes(arn, token, "testSecret", "finishSecret");
    }

    @Test
    void a_crash_inside_setSecret_after_the_database_change_is_recovered_by_the_retried_rotation() {
        // given the function dies right after the password change
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.crashAfterNextChange();
        assertThatThrownBy(() -> driver.step("setSecret", arn, token)).isInstanceOf(SimulatedCrash.class);
        String pendingPassword = driver.valueOfVersion(arn, token).password();
        assertThat(driver.database.accepts(APP_USER, pendingPassword)).isTrue();
        long refusedBefore = driver.database.refusedLogins();

        // when Secrets Manager retries the whole rotation
        assertRotationCompletes(arn, token, STEPS.toArray(String[]::new));

        // then
        assertThat(driver.database.refusedLogins() - refusedBefore).isEqualTo(1);
        assertThat(driver.database.changesApplied()).isEqualTo(1);
    }

    @Test
    void testSecret_run_again_passes_again() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.steps(arn, token, "createSecret", "setSecret", "testSecret");

        // when
        driver.step("testSecret", arn, token);

        // then
        assertThat(driver.database.queries()).hasSize(2);
        assertRotationCompletes(arn, token, "finishSecret");
    }

    @Test
    void finishSecret_run_again_finds_the_version_current_and_returns_quietly() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.steps(arn, token, STEPS.toArray(String[]::new));
        RotationDriver.Before before = driver.before(arn);

        // when
        driver.step("finishSecret", arn, token);

        // then
        driver.assertNothingChanged(arn, before);
        assertCurrentLogsIn(arn, token);
    }

    @Test
    void every_step_run_twice_in_a_row_still_ends_in_a_finished_rotation() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);

        // when
        for (String step : STEPS) {
            driver.step(step, arn, token);
            driver.step(step, arn, token);
        }

        // then exactly one password change, and only the rerun of setSecret saw a refusal
        assertCurrentLogsIn(arn, token);
        assertThat(driver.database.changesApplied()).isEqualTo(1);
        assertThat(driver.database.refusedLogins()).isEqualTo(1);
    }

    @Test
    void alternating_users_setSecret_after_a_crash_syncs_the_other_user_again_without_a_failed_login() {
        // given
        driver.using(Strategy.ALTERNATING_USERS);
        String arn = driver.createAppSecretWithMaster();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.crashAfterNextChange();
        assertThatThrownBy(() -> driver.step("setSecret", arn, token)).isInstanceOf(SimulatedCrash.class);

        // when
        assertRotationCompletes(arn, token, STEPS.toArray(String[]::new));

        // then
        assertThat(driver.valueOfStage(arn, CURRENT).username()).isEqualTo(APP_CLONE);
        assertThat(driver.database.refusedLogins()).isZero();
        assertThat(driver.database.attempts()).extracting(LoginAttempt::user)
                .containsExactly(ADMIN_USER, ADMIN_USER, APP_CLONE);
    }

    @Test
    void single_user_overlap_setSecret_after_a_crash_keeps_exactly_the_current_and_the_new_password() {
        // given
        driver.using(Strategy.SINGLE_USER_OVERLAP);
        String arn = driver.createAppSecret();
        String oldPassword = driver.valueOfStage(arn, CURRENT).password();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.crashAfterNextChange();
        assertThatThrownBy(() -> driver.step("setSecret", arn, token)).isInstanceOf(SimulatedCrash.class);

        // when
        assertRotationCompletes(arn, token, STEPS.toArray(String[]::new));

        // then
        assertThat(driver.database.refusedLogins()).isZero();
        assertThat(driver.database.accepts(APP_USER, oldPassword)).isTrue();
        assertThat(driver.database.passwordCount(APP_USER)).isEqualTo(2);
    }

    @Test
    void a_rotation_whose_testSecret_failed_completes_when_retried() {
        // given testSecret failed because the account was locked for a moment
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.steps(arn, token, "createSecret", "setSecret");
        InMemoryDatabaseEngine.State afterSet = driver.database.snapshot();
        driver.database.lock(APP_USER);
        driver.stepFails("testSecret", arn, token);
        driver.database.unlock(APP_USER);

        // when
        assertRotationCompletes(arn, token, STEPS.toArray(String[]::new));

        // then the retry changed nothing more in the database
        assertThat(driver.database.snapshot()).isEqualTo(afterSet);
    }

    /** Runs the remaining steps; the token's version is then current and its credentials log in. */
    private void assertRotationCompletes(String arn, String token, String... remainingSteps) {
        driver.steps(arn, token, remainingSteps);
        assertCurrentLogsIn(arn, token);
        driver.assertNoPasswordLeaked();
    }

    private void assertCurrentLogsIn(String arn, String token) {
        assertThat(driver.secrets.stagesOf(arn, token)).contains(CURRENT);
        DatabaseSecret current = driver.valueOfStage(arn, CURRENT);
        assertThat(driver.database.accepts(current.username(), current.password())).isTrue();
    }
}
