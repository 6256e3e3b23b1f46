package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Alternating-users rotation on a MySQL-family server: the other user is a separate account that
 * gets a copy of the current user's grants, TLS requirement and limits, and every rotation brings
 * that copy back in line with the user AWSCURRENT names.
 */
abstract class MySqlFamilyAlternatingUsersScenarios extends MySqlFamilyRotationTestBase {

    @Test
    void a_full_rotation_hands_over_to_the_clone_with_the_same_grants_and_leaves_the_original_working()
            throws SQLException {
        // given
        TestUser user = harness.newUser("kt_alt");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);

        // when
        String token = harness.rotate(harness.handler(Strategy.ALTERNATING_USERS), arn);

        // then
        DatabaseSecret current = harness.current(arn);
        assertThat(harness.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(current.username()).isEqualTo(user.name() + "_clone");
        assertThat(harness.logsIn(current)).isTrue();
        assertThat(harness.previous(arn).username()).isEqualTo(user.name());
        assertThat(harness.logsIn(harness.previous(arn))).isTrue();
        assertThat(current.masterArn()).contains(harness.masterSecret());
        assertThat(db.grantsWithoutGrantee(current.username())).containsExactlyInAnyOrderElementsOf(
                db.grantsWithoutGrantee(user.name()));
    }

    @Test
    void three_rotations_in_a_row_alternate_between_the_two_users() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_alt3");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
        RotationHandler handler = harness.handler(Strategy.ALTERNATING_USERS);
        String[] expectedUsers = {user.name() + "_clone", user.name(), user.name() + "_clone"};

        for (int rotation = 0; rotation < 3; rotation++) {
            DatabaseSecret before = harness.current(arn);

            // when
            harness.rotate(handler, arn);

            // then
            DatabaseSecret after = harness.current(arn);
            assertThat(after.username()).as("rotation %d", rotation + 1).isEqualTo(expectedUsers[rotation]);
            assertThat(harness.logsIn(after)).as("rotation %d: AWSCURRENT logs in", rotation + 1).isTrue();
            assertThat(harness.previous(arn).password()).isEqualTo(before.password());
            assertThat(harness.logsIn(harness.previous(arn))).as("rotation %d: AWSPREVIOUS still logs in",
                    rotation + 1).isTrue();
        }
    }

    @Test
    void a_grant_to_the_current_user_reaches_the_other_user_at_the_next_rotation() throws SQLException {
        // given the clone in use
        TestUser user = harness.newUser("kt_grant");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
        RotationHandler handler = harness.handler(Strategy.ALTERNATING_USERS);
        harness.rotate(handler, arn);
        String current = harness.current(arn).username();

        // when the current user is granted more, and the rotation moves to the original
        db.asAdmin("GRANT DELETE, UPDATE ON " + db.quotedDatabase() + ".* TO ?@?", current, "%");
        db.asAdmin("GRANT PROCESS ON *.* TO ?@?", current, "%");
        harness.rotate(handler, arn);

        // then
        assertThat(harness.current(arn).username()).isEqualTo(user.name());
        assertThat(db.grantsWithoutGrantee(user.name())).containsExactlyInAnyOrderElementsOf(
                db.grantsWithoutGrantee(current)).anyMatch(line -> line.contains("PROCESS"));
    }

    @Test
    void a_privilege_revoked_from_the_current_user_is_taken_from_the_other_user_at_the_next_rotation()
            throws SQLException {
        // given the original user with more privileges than it will keep, and the clone in use
        TestUser user = harness.newUser("kt_revoke");
        db.asAdmin("GRANT DELETE ON " + db.quotedDatabase() + ".* TO ?@? WITH GRANT OPTION", user.name(), "%");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
        RotationHandler handler = harness.handler(Strategy.ALTERNATING_USERS);
        harness.rotate(handler, arn);
        String clone = harness.current(arn).username();
        assertThat(db.grantsWithoutGrantee(clone)).anyMatch(line -> line.contains("DELETE"));

        // when the clone, now current, loses them, and the rotation moves to the original and back
        db.asAdmin("REVOKE DELETE, GRANT OPTION ON " + db.quotedDatabase() + ".* FROM ?@?", clone, "%");
        harness.rotate(handler, arn);
        harness.rotate(handler, arn);

        // then neither user holds them
        assertThat(harness.current(arn).username()).isEqualTo(clone);
        assertThat(db.grantsWithoutGrantee(user.name())).noneMatch(line -> line.contains("DELETE"))
                .noneMatch(line -> line.contains("GRANT OPTION"));
        assertThat(db.grantsWithoutGrantee(clone)).containsExactlyInAnyOrderElementsOf(
                db.grantsWithoutGrantee(user.name()));
    }
}
