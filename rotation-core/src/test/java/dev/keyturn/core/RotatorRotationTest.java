package dev.keyturn.core;

import static dev.keyturn.core.RotationDriver.ADMIN_USER;
import static dev.keyturn.core.RotationDriver.APP_CLONE;
import static dev.keyturn.core.RotationDriver.APP_PRIVILEGE;
import static dev.keyturn.core.RotationDriver.APP_USER;
import static dev.keyturn.core.SecretVersions.CURRENT;
import static dev.keyturn.core.SecretVersions.PENDING;
import static dev.keyturn.core.SecretVersions.PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The four steps of each strategy, from the state RotateSecret leaves to a finished rotation, against
 * moto_server and the in-memory database (a JDBC-boundary double: the core has no driver).
 */
class RotatorRotationTest {
    private final RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);

    @AfterEach
    void no_password_leaked() {
        driver.assertNoPasswordLeaked();
    }

    @Test
    void single_user_steps_each_do_their_part_and_only_their_part() {
        // given
        String arn = driver.createAppSecret();
        String original = driver.secrets.valueOfStage(arn, CURRENT);
        String oldPassword = DatabaseSecret.parse(original).password();
        String token = driver.startRotation(arn);

        // when createSecret
        driver.step("createSecret", arn, token);

        // then a new password waits in AWSPENDING, and the database still has the old one
        DatabaseSecret pending = driver.valueOfVersion(arn, token);
        assertThat(pending.username()).isEqualTo(APP_USER);
        assertThat(pending.password()).isNotEqualTo(oldPassword);
        assertThat(driver.secrets.stagesOf(arn, token)).containsExactly(PENDING);
        assertThat(driver.database.accepts(APP_USER, oldPassword)).isTrue();
        assertThat(driver.database.changesApplied()).isZero();

        // when setSecret
        driver.step("setSecret", arn, token);

        // then the database has the new password only, and AWSCURRENT has not moved
        assertThat(driver.database.accepts(APP_USER, pending.password())).isTrue();
        assertThat(driver.database.accepts(APP_USER, oldPassword)).isFalse();
        assertThat(driver.secrets.valueOfStage(arn, CURRENT)).isEqualTo(original);

        // when testSecret
        driver.step("testSecret", arn, token);

        // then the pending credentials ran the test query
        assertThat(driver.database.queries()).containsExactly(APP_USER + ": SELECT 1");

        // when finishSecret
        driver.step("finishSecret", arn, token);

        // then the new version is current and the old one previous
        assertThat(driver.secrets.stagesOf(arn, token)).contains(CURRENT);
        assertThat(driver.secrets.valueOfStage(arn, CURRENT)).isEqualTo(pending.toJson());
        assertThat(driver.secrets.valueOfStage(arn, PREVIOUS)).isEqualTo(original);
        assertThat(loginFailure(APP_USER, oldPassword)).isEqualTo(LoginFailure.REFUSED);
    }

    /** How the database answers a login, as an engine reads it; null when it is accepted. */
    private LoginFailure loginFailure(String user, String password) {
        ConnectionRequest request = new ConnectionRequest(RotationDriver.HOST, RotationDriver.PORT, Optional.empty(),
                user, password, TlsSettings.Mode.VERIFIED, driver.settings().trust(), Duration.ofSeconds(1));
        try {
            driver.database.connect(request).close();
            return null;
        } catch (SQLException e) {
            return driver.database.classify(e);
        }
    }

    @Test
    void single_user_rotations_in_a_row_each_leave_only_the_newest_password_working() {
        // given
        String arn = driver.createAppSecret();
        List<String> passwords = new ArrayList<>(List.of(driver.valueOfStage(arn, CURRENT).password()));

        // when
        for (int i = 0; i < 3; i++) {
            driver.rotate(arn);
            passwords.add(driver.valueOfStage(arn, CURRENT).password());
        }

        // then
        assertThat(passwords).doesNotHaveDuplicates();
        assertThat(driver.valueOfStage(arn, PREVIOUS).password()).isEqualTo(passwords.get(2));
        assertThat(driver.database.accepts(APP_USER, passwords.get(3))).isTrue();
        assertThat(passwords.subList(0, 3)).noneMatch(old -> driver.database.accepts(APP_USER, old));
        assertThat(driver.database.passwordCount(APP_USER)).isEqualTo(1);
        assertThat(driver.database.refusedLogins()).isZero();
    }

    @Test
    void single_user_overlap_keeps_the_current_password_working_until_the_next_rotation() {
        // given
        driver.using(Strategy.SINGLE_USER_OVERLAP);
        String arn = driver.createAppSecret();
        String first = driver.valueOfStage(arn, CURRENT).password();
        String token = driver.startRotation(arn);

        // when
        driver.steps(arn, token, "createSecret", "setSecret");

        // then both the current and the pending password log in
        String second = driver.valueOfVersion(arn, token).password();
        assertThat(driver.database.accepts(APP_USER, first)).isTrue();
        assertThat(driver.database.accepts(APP_USER, second)).isTrue();

        // when the rotation finishes and the next one runs
        driver.steps(arn, token, "testSecret", "finishSecret");
        driver.rotate(arn);

        // then the oldest password stops working, and exactly two remain
        String third = driver.valueOfStage(arn, CURRENT).password();
        assertThat(driver.database.accepts(APP_USER, first)).isFalse();
        assertThat(driver.database.accepts(APP_USER, second)).isTrue();
        assertThat(driver.database.accepts(APP_USER, third)).isTrue();
        assertThat(driver.database.passwordCount(APP_USER)).isEqualTo(2);
        assertThat(driver.valueOfStage(arn, PREVIOUS).password()).isEqualTo(second);
    }

    @Test
    void alternating_users_switches_between_the_user_and_its_clone_on_every_rotation() {
        // given
        driver.using(Strategy.ALTERNATING_USERS);
        String arn = driver.createAppSecretWithMaster();
        String masterArn = driver.valueOfStage(arn, CURRENT).masterArn().orElseThrow();
        String masterValue = driver.secrets.valueOfStage(masterArn, CURRENT);
        List<String> users = new ArrayList<>(List.of(APP_USER));

        // when
        for (int i = 0; i < 3; i++) {
            driver.rotate(arn);
            users.add(driver.valueOfStage(arn, CURRENT).username());
        }

        // then the users alternate, each version keeps masterarn, and the master secret is untouched
        assertThat(users).containsExactly(APP_USER, APP_CLONE, APP_USER, APP_CLONE);
        assertThat(driver.valueOfStage(arn, CURRENT).masterArn()).contains(masterArn);
        assertThat(driver.valueOfStage(arn, PREVIOUS).username()).isEqualTo(APP_USER);
        assertThat(driver.secrets.valueOfStage(masterArn, CURRENT)).isEqualTo(masterValue);
        assertThat(driver.database.privilegesOf(APP_CLONE)).containsExactly(APP_PRIVILEGE);
        assertThat(driver.database.refusedLogins()).isZero();
    }

    @Test
    void alternating_users_leaves_the_current_user_working_while_the_other_is_prepared() {
        // given
        driver.using(Strategy.ALTERNATING_USERS);
        String arn = driver.createAppSecretWithMaster();
        DatabaseSecret current = driver.valueOfStage(arn, CURRENT);
        String token = driver.startRotation(arn);

        // when
        driver.steps(arn, token, "createSecret", "setSecret");

        // then
        DatabaseSecret pending = driver.valueOfVersion(arn, token);
        assertThat(pending.username()).isEqualTo(APP_CLONE);
        assertThat(driver.database.accepts(APP_USER, current.password())).isTrue();
        assertThat(driver.database.accepts(APP_CLONE, pending.password())).isTrue();
        assertThat(driver.database.attempts()).extracting(InMemoryDatabaseEngine.LoginAttempt::user)
                .containsOnly(ADMIN_USER);
    }

    @Test
    void alternating_users_carries_a_privilege_granted_since_the_last_rotation_to_the_other_user() {
        // given
        driver.using(Strategy.ALTERNATING_USERS);
        String arn = driver.createAppSecretWithMaster();
        driver.rotate(arn);
        driver.database.grant(APP_CLONE, "INSERT ON orders");

        // when
        driver.rotate(arn);

        // then
        assertThat(driver.valueOfStage(arn, CURRENT).username()).isEqualTo(APP_USER);
        assertThat(driver.database.privilegesOf(APP_USER)).containsExactlyInAnyOrder(APP_PRIVILEGE,
                "INSERT ON orders");
    }

    @Test
    void a_rotation_handler_subclass_runs_the_whole_rotation_with_the_lambda_request_id_in_its_log() {
        // given
        driver.throughHandler();
        String arn = driver.createAppSecret();
        String oldPassword = driver.valueOfStage(arn, CURRENT).password();

        // when
        String token = driver.rotate(arn);

        // then
        String newPassword = driver.valueOfStage(arn, CURRENT).password();
        assertThat(driver.secrets.stagesOf(arn, token)).contains(CURRENT);
        assertThat(driver.database.accepts(APP_USER, newPassword)).isTrue();
        assertThat(driver.database.accepts(APP_USER, oldPassword)).isFalse();
        assertThat(driver.lines("INFO", "step finished"))
                .extracting(line -> line.field("requestId").map(JsonNode::asString).orElse(null))
                .containsExactly("request-1", "request-2", "request-3", "request-4");
    }
}
