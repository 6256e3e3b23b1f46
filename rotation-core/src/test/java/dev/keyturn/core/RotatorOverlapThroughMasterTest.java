package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.ADMIN_USER;
import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.SecretVersions.CURRENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.keyturn.core.InMemoryDatabaseEngine.LoginAttempt;
import dev.keyturn.core.InMemoryDatabaseEngine.Outcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * single-user-overlap on a server where only a privileged user may give an account two passwords
 * (MariaDB asks for CREATE USER): the master secret does it when the secret names one. The
 * database is the in-memory double at the JDBC boundary; rotator-mariadb and the integration tests
 * run the same path against a real MariaDB.
 */
class RotatorOverlapThroughMasterTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER_OVERLAP);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @Test
    void setSecret_keeps_the_current_password_through_the_master_when_the_user_may_not() {
        // given
        driver.database.overlapOnlyForAdmins();
        String arn = driver.createAppSecretWithMaster();
        String first = driver.valueOfStage(arn, CURRENT).password();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        int attempts = driver.database.attempts().size();
        int mark = driver.logMark();

        // when
        driver.step("setSecret", arn, token);

        // then the user logged in with AWSCURRENT, the master did the change, and no login failed
        assertThat(driver.database.attempts().subList(attempts, driver.database.attempts().size()))
                .extracting(LoginAttempt::user, LoginAttempt::outcome)
                .containsExactly(tuple(APP_USER, Outcome.ACCEPTED),
                        tuple(ADMIN_USER, Outcome.ACCEPTED));
        assertThat(outcomeOfStepSince(mark))
                .isEqualTo("password changed through the master secret; AWSCURRENT password kept valid");
        String second = driver.valueOfVersion(arn, token).password();
        assertThat(driver.database.accepts(APP_USER, first)).isTrue();
        assertThat(driver.database.accepts(APP_USER, second)).isTrue();
        assertThat(driver.database.passwordCount(APP_USER)).isEqualTo(2);
    }

    @Test
    void setSecret_run_twice_through_the_master_keeps_exactly_the_current_and_the_new_password() {
        // given setSecret already ran once
        driver.database.overlapOnlyForAdmins();
        String arn = driver.createAppSecretWithMaster();
        String first = driver.valueOfStage(arn, CURRENT).password();
        String token = driver.startRotation(arn);
        driver.steps(arn, token, "createSecret", "setSecret");

        // when
        driver.step("setSecret", arn, token);
        driver.steps(arn, token, "testSecret", "finishSecret");

        // then
        assertThat(driver.database.accepts(APP_USER, first)).isTrue();
        assertThat(driver.database.accepts(APP_USER, driver.valueOfStage(arn, CURRENT).password())).isTrue();
        assertThat(driver.database.passwordCount(APP_USER)).isEqualTo(2);
        assertThat(driver.database.refusedLogins()).isZero();
    }

    @Test
    void setSecret_refuses_with_both_reasons_when_neither_the_user_nor_the_master_can() {
        // given
        driver.database.overlapSupported(false);
        String arn = driver.createAppSecretWithMaster();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("cannot keep the current password valid alongside a new one")
                .hasMessageContaining("the server keeps one password per account; through the master secret: "
                        + "the server keeps one password per account")
                .hasMessageContaining("Nothing was changed");
        assertThat(driver.database.snapshot()).isEqualTo(before);
    }

    @Test
    void setSecret_without_a_master_secret_names_what_the_user_lacks() {
        // given
        driver.database.overlapOnlyForAdmins();
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        driver.step("createSecret", arn, token);
        InMemoryDatabaseEngine.State before = driver.database.snapshot();

        // when
        RotationException failure = driver.stepFails("setSecret", arn, token);

        // then
        assertThat(failure).hasMessageContaining("(" + APP_USER + " may not give an account two passwords)")
                .hasMessageContaining("OVERLAP_FALLBACK");
        assertThat(driver.database.snapshot()).isEqualTo(before);
    }

    @Test
    void the_fallback_warning_carries_the_reason() {
        // given
        driver.with(Settings.OVERLAP_FALLBACK, "single-user");
        driver.database.overlapOnlyForAdmins();
        String arn = driver.createAppSecret();

        // when
        driver.rotate(arn);

        // then
        List<JsonNode> warnings = driver.lines("WARN", "the server cannot keep two passwords for this account");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).field("reason").orElseThrow().asString())
                .isEqualTo(APP_USER + " may not give an account two passwords");
        assertThat(driver.database.passwordCount(APP_USER)).isEqualTo(1);
    }

    private String outcomeOfStepSince(int mark) {
        List<JsonNode> finished = driver.linesSince(mark).stream()
                .filter(line -> line.field("message").map(JsonNode::asString).orElse("").equals("step finished"))
                .toList();
        assertThat(finished).hasSize(1);
        return finished.get(0).field("outcome").orElseThrow().asString();
    }
}
