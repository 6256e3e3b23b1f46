package dev.keyturn.oracle;

import static dev.keyturn.core.testing.ScriptedConnection.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.RotationStateException;
import dev.keyturn.core.testing.ScriptedConnection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * single-user-overlap on Oracle (gradual password rollover), pinned at the JDBC boundary with a
 * {@link ScriptedConnection}, because no Oracle server can run here; OraclePasswordRolloverContainerTest
 * runs the same changes against Oracle Database Free wherever Docker runs.
 *
 * <p>What the server does, from Oracle's documentation:
 * <ul>
 *   <li>the rollover period, its limits (1 hour to 60 days) and the IN ROLLOVER account status:
 *       Oracle Database Security Guide, "Gradual Database Password Rollover for Applications", and
 *       https://docs.oracle.com/en/error-help/db/oci-02377 ;
 *   <li>a change within the period keeps the first password and replaces the newest, either of
 *       which REPLACE accepts, and the period stays fixed from the first change:
 *       https://docs.oracle.com/en/database/oracle/oracle-database/23/sqpug/PASSWORD.html ;
 *   <li>ORA-28007 (password cannot be reused) and ORA-28008 (invalid old password).
 * </ul>
 */
class PasswordRolloverStatementsTest {
    private final OracleEngine engine = new OracleEngine(Map.of());

    @ParameterizedTest
    @ValueSource(strings = {"1", ".0416666667", "60"})
    void overlapProblem_accepts_a_profile_with_a_rollover_time(String days) throws SQLException {
        // given
        ScriptedConnection database = user("OPEN", days);

        // when
        String problem = engine.overlapProblem(database.connection(), false, "app");

        // then
        assertThat(problem).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "DEFAULT"})
    void overlapProblem_names_the_profile_limit_when_it_is_not_set(String limit) throws SQLException {
        // given
        ScriptedConnection database = user("OPEN", limit);

        // when
        String problem = engine.overlapProblem(database.connection(), false, "app");

        // then
        assertThat(problem).contains("sets no PASSWORD_ROLLOVER_TIME (it is " + limit + ")");
    }

    @Test
    void overlapProblem_names_the_releases_that_have_rollover() throws SQLException {
        // given: before 19.12 USER_PASSWORD_LIMITS has no such row
        ScriptedConnection database = new ScriptedConnection().answer("user_password_limits", List.of());

        // when
        String problem = engine.overlapProblem(database.connection(), false, "app");

        // then
        assertThat(problem).contains("no gradual password rollover").contains("19.12").contains("21c");
    }

    @Test
    void overlapProblem_does_not_use_the_master() throws SQLException {
        // given
        ScriptedConnection database = new ScriptedConnection();

        // when
        String problem = engine.overlapProblem(database.connection(), true, "app");

        // then
        assertThat(problem).contains("only as the user");
        assertThat(database.queries()).isEmpty();
    }

    @Test
    void changePasswordKeepingCurrent_starts_a_rollover_with_the_current_password_as_replace() throws SQLException {
        // given
        ScriptedConnection database = user("OPEN", "1");

        // when
        engine.changePasswordKeepingCurrent(database.connection(), false, "app", "Current-1", "New'{1}");

        // then
        assertThat(database.executed()).containsExactly("ALTER USER \"APP\" IDENTIFIED BY \"New'{1}\" REPLACE "
                + "\"Current-1\"");
        assertThat(database.escapeProcessing()).containsExactly(false);
    }

    @Test
    void changePasswordKeepingCurrent_run_again_in_its_own_rollover_sets_only_the_new_password_again()
            throws SQLException {
        // given a first run started the rollover and crashed; the rerun logged in with the current password
        ScriptedConnection database = user("OPEN & IN ROLLOVER", "1");

        // when
        engine.changePasswordKeepingCurrent(database.connection(), false, "app", "Current-1", "New-2");

        // then the newest password is set again, with itself as REPLACE: the first one (current) stays
        assertThat(database.executed()).containsExactly("ALTER USER \"APP\" IDENTIFIED BY \"New-2\" REPLACE "
                + "\"New-2\"");
    }

    @Test
    void changePasswordKeepingCurrent_run_again_under_a_reuse_limit_takes_ora_28007_as_done() throws SQLException {
        // given
        ScriptedConnection database = user("OPEN & IN ROLLOVER", "1")
                .failOn("ALTER USER", new SQLException("ORA-28007: the password cannot be reused", "72000", 28007));

        // when
        engine.changePasswordKeepingCurrent(database.connection(), false, "app", "Current-1", "New-2");

        // then
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void changePasswordKeepingCurrent_refuses_to_cut_short_the_rollover_of_an_earlier_rotation() {
        // given the previous rotation's period still runs: REPLACE with the new password is refused
        ScriptedConnection database = user("OPEN & IN ROLLOVER", "1")
                .failOn("ALTER USER", new SQLException("ORA-28008: invalid old password", "72000", 28008));

        // when
        Throwable failure = catchThrowable(() -> engine.changePasswordKeepingCurrent(database.connection(), false,
                "app", "Current-1", "New-2"));

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("still in the password rollover period of an earlier change")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("EXPIRE PASSWORD ROLLOVER PERIOD")
                .hasMessageNotContaining("Current-1").hasMessageNotContaining("New-2");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void changePasswordKeepingCurrent_refuses_a_password_oracle_cannot_quote_before_any_sql() {
        // given
        ScriptedConnection database = user("OPEN", "1");

        // when
        Throwable failure = catchThrowable(() -> engine.changePasswordKeepingCurrent(database.connection(), false,
                "app", "Cur\"rent", "New-2"));

        // then
        assertThat(failure).isInstanceOf(InvalidSecretException.class).hasMessageNotContaining("Cur\"rent");
        assertThat(database.queries()).isEmpty();
        assertThat(database.executed()).isEmpty();
    }

    /** The session user APP, with this account status and PASSWORD_ROLLOVER_TIME. */
    private static ScriptedConnection user(String status, String rolloverDays) {
        return new ScriptedConnection()
                .answer("SESSION_USER", List.of(row("user", "APP")))
                .answer("user_password_limits", List.of(row("LIMIT", rolloverDays)))
                .answer("user_users", List.of(row("ACCOUNT_STATUS", status)));
    }
}
