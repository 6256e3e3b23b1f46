package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Single-user rotation of a PostgreSQL user through the four steps, as Secrets Manager runs it. */
class PostgresSingleUserRotationTest extends PostgresRotationTestBase {

    @Test
    void a_full_rotation_makes_the_new_password_current_and_refuses_the_replaced_one() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_single");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);

        // when
        String token = harness.rotate(harness.handler(Strategy.SINGLE_USER), arn);

        // then
        DatabaseSecret current = harness.current(arn);
        assertThat(harness.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(current.username()).isEqualTo(user.name());
        assertThat(current.password()).isNotEqualTo(user.password());
        assertThat(harness.logsIn(current)).isTrue();
        assertThat(postgres.canLogin(user.name(), user.password())).isFalse();
        assertThat(harness.previous(arn).password()).isEqualTo(user.password());
        assertThat(current.keys()).containsExactly("engine", "host", "port", "username", "password", "dbname", "ssl");
    }

    @Test
    void a_rotation_that_is_not_recovering_makes_no_failed_login() throws SQLException {
        TestUser user = harness.newUser("kt_quiet");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);

        harness.rotate(harness.handler(Strategy.SINGLE_USER), arn);

        assertThat(harness.logs().lines()).filteredOn(line -> line.contains("\"step finished\""))
                .hasSize(4)
                .allMatch(line -> line.contains("\"failedLogins\":0"));
    }

    @Test
    void three_rotations_in_a_row_each_replace_the_password() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_thrice");
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);
        RotationHandler handler = harness.handler(Strategy.SINGLE_USER);

        for (int rotation = 1; rotation <= 3; rotation++) {
            DatabaseSecret before = harness.current(arn);

            // when
            harness.rotate(handler, arn);

            // then
            DatabaseSecret after = harness.current(arn);
            assertThat(after.password()).as("rotation %d", rotation).isNotEqualTo(before.password());
            assertThat(harness.logsIn(after)).as("rotation %d: AWSCURRENT logs in", rotation).isTrue();
            assertThat(harness.logsIn(before)).as("rotation %d: the replaced password", rotation).isFalse();
            assertThat(harness.previous(arn).password()).as("rotation %d: AWSPREVIOUS", rotation)
                    .isEqualTo(before.password());
        }
    }
}
