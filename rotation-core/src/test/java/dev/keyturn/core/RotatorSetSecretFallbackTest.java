package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.ADMIN_USER;
import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.RotationDriver.HOST;
import static dev.keyturn.core.RotationDriver.PORT;
import static dev.keyturn.core.SecretVersions.CURRENT;
import static dev.keyturn.core.SecretVersions.PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.InMemoryDatabaseEngine.LoginAttempt;
import dev.keyturn.core.InMemoryDatabaseEngine.Outcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * setSecret when AWSCURRENT does not log in: the fallbacks in order (AWSPENDING, AWSPREVIOUS, the
 * master secret) and the clear errors when nothing can. The database is the in-memory double at the
 * JDBC boundary (the core has no driver; no real server can lock or vanish on demand here).
 */
class RotatorSetSecretFallbackTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @Test
    void setSecret_changes_the_password_through_AWSPREVIOUS_when_the_database_still_has_that_one() {
        // given the user's password was put back to the previous one after a rotation
        String arn = driver.createAppSecret();
        driver.rotate(arn);
        driver.database.resetPasswordByHand(APP_USER, driver.valueOfStage(arn, PREVIOUS).password());
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        int attempts = driver.database.attempts().size();
        int mark = driver.logMark();

        // when
        driver.step("setSecret", arn, token);

        // then AWSCURRENT and AWSPENDING are refused, AWSPREVIOUS logs in and sets the new password
        assertThat(driver.database.attempts().subList(attempts, driver.database.attempts().size()))
                .extracting(LoginAttempt::outcome)
                .containsExactly(Outcome.REFUSED, Outcome.REFUSED, Outcome.ACCEPTED);
        assertThat(outcomeOfStepSince(mark)).isEqualTo("password changed, logged in with AWSPREVIOUS");
        driver.steps(arn, token, "testSecret", "finishSecret");
        assertCurrentLogsIn(arn);
    }

    @Test
    void setSecret_reconciles_through_the_master_secret_when_no_version_logs_in() {
        // given the password was changed by hand to one no version holds
        String arn = driver.createAppSecretWithMaster();
        driver.database.resetPasswordByHand(APP_USER, driver.unrelatedPassword());
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);

        // when
        driver.step("setSecret", arn, token);

        // then
        assertThat(driver.lines("WARN", "reconciled")).singleElement()
                .satisfies(line -> assertThat(line.field("user").orElseThrow().asString()).isEqualTo(APP_USER));
        assertThat(driver.database.attempts()).last().isEqualTo(new LoginAttempt(ADMIN_USER, true, Outcome.ACCEPTED));
        driver.steps(arn, token, "testSecret", "finishSecret");
        assertCurrentLogsIn(arn);
    }

    @Test
    void setSecret_fails_clearly_and_changes_nothing_when_no_version_logs_in_and_there_is_no_master() {
        // given
        String arn = driver.createAppSecret();
        driver.database.resetPasswordByHand(APP_USER, driver.unrelatedPassword());
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageStartingWith("Secret " + arn + ", step setSecret: ")
                .hasMessageContaining("none of the AWSCURRENT, AWSPENDING and AWSPREVIOUS passwords logs in as user "
                        + APP_USER)
                .hasMessageContaining("'masterarn'");
        assertThat(driver.database.snapshot()).isEqualTo(before);
        assertThat(driver.database.refusedLogins()).isEqualTo(2);
    }

    @Test
    void setSecret_fails_clearly_when_the_master_secret_does_not_log_in_either() {
        // given
        String arn = driver.createAppSecretWithMaster();
        driver.database.resetPasswordByHand(APP_USER, driver.unrelatedPassword());
        driver.database.resetPasswordByHand(ADMIN_USER, driver.unrelatedPassword());
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("the database refused the master credentials for user " + ADMIN_USER);
        assertThat(driver.database.snapshot()).isEqualTo(before);
    }

    @Test
    void an_unreachable_database_fails_the_step_naming_host_and_port() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.makeUnreachable();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then the first attempt ends it: no other password is tried against a server that is not there
        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("could not reach the database at " + HOST + ":" + PORT + " within 10s")
                .hasMessageContaining("security group");
        assertThat(((DatabaseException) failure).sqlState()).isEqualTo(InMemoryDatabaseEngine.CONNECTION_FAILURE);
        assertThat(driver.database.attempts()).extracting(LoginAttempt::outcome).containsExactly(Outcome.UNREACHABLE);
    }

    @Test
    void a_locked_account_fails_the_step_without_trying_other_passwords() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.lock(APP_USER);
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("user " + APP_USER + " is locked at " + HOST + ":" + PORT)
                .hasMessageContaining("Unlock the account");
        assertThat(((DatabaseException) failure).vendorCode()).isEqualTo(InMemoryDatabaseEngine.ACCOUNT_LOCKED);
        assertThat(driver.database.attempts()).extracting(LoginAttempt::outcome).containsExactly(Outcome.LOCKED);
        assertThat(driver.database.snapshot()).isEqualTo(before);
    }

    @Test
    void single_user_overlap_recovers_as_single_user_when_AWSCURRENT_no_longer_logs_in() {
        // given
        driver.using(Strategy.SINGLE_USER_OVERLAP);
        String arn = driver.createAppSecret();
        driver.rotate(arn);
        driver.database.resetPasswordByHand(APP_USER, driver.valueOfStage(arn, PREVIOUS).password());
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);

        // when
        driver.step("setSecret", arn, token);

        // then
        assertThat(driver.lines("WARN", "AWSCURRENT does not log in, so the old password cannot be kept"))
                .hasSize(1);
        assertThat(driver.database.passwordCount(APP_USER)).isEqualTo(1);
        driver.steps(arn, token, "testSecret", "finishSecret");
        assertCurrentLogsIn(arn);
    }

    @Test
    void single_user_overlap_refuses_a_server_that_cannot_hold_two_passwords_and_changes_nothing() {
        // given
        driver.using(Strategy.SINGLE_USER_OVERLAP);
        driver.database.overlapSupported(false);
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("cannot keep the current password valid alongside a new one")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("OVERLAP_FALLBACK");
        assertThat(driver.database.snapshot()).isEqualTo(before);
    }

    @Test
    void single_user_overlap_falls_back_to_single_user_with_a_warning_when_told_to() {
        // given
        driver.using(Strategy.SINGLE_USER_OVERLAP).with(Settings.OVERLAP_FALLBACK, "single-user");
        driver.database.overlapSupported(false);
        String arn = driver.createAppSecret();
        String oldPassword = driver.valueOfStage(arn, CURRENT).password();

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.lines("WARN", "the server cannot keep two passwords for this account")).hasSize(1);
        assertThat(driver.database.accepts(APP_USER, oldPassword)).isFalse();
        assertCurrentLogsIn(arn);
    }

    @Test
    void a_failed_password_change_reports_the_sqlstate_and_changes_nothing() {
        // given
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        driver.database.failNextChangeQuotingPassword();
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("changing the password of user " + APP_USER + " failed")
                .hasMessageContaining("SQLState " + InMemoryDatabaseEngine.SYNTAX_ERROR)
                .hasMessageContaining("PASSWORD '****'");
        assertThat(((DatabaseException) failure).sqlState()).isEqualTo(InMemoryDatabaseEngine.SYNTAX_ERROR);
        assertThat(driver.database.snapshot()).isEqualTo(before);
    }

    private String outcomeOfStepSince(int mark) {
        List<JsonNode> finished = driver.linesSince(mark).stream()
                .filter(line -> line.field("message").map(JsonNode::asString).orElse("").equals("step finished"))
                .toList();
        assertThat(finished).hasSize(1);
        return finished.get(0).field("outcome").orElseThrow().asString();
    }

    private void assertCurrentLogsIn(String arn) {
        DatabaseSecret current = driver.valueOfStage(arn, CURRENT);
        assertThat(driver.database.accepts(current.username(), current.password())).isTrue();
    }
}
