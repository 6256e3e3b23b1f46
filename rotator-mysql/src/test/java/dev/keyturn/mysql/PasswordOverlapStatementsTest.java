package dev.keyturn.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keyturn.core.RotationStateException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * single-user-overlap's statements on MySQL (RETAIN CURRENT PASSWORD) and what the engine makes of
 * the server's refusals. Pinned at the JDBC boundary with {@link RecordingConnection}, because no
 * MySQL server runs here and MariaDB has no secondary passwords; {@link MySqlOverlapContainersTest}
 * runs the same rotations against real MySQL 8.0 and 8.4 wherever Docker is available, and
 * rotator-mariadb runs the MariaDB form against the real MariaDB here.
 *
 * <p>The facts the refusals rest on, from the MySQL 8.0 Reference Manual: "Password Management",
 * section "Dual Password Support" (a primary change without RETAIN CURRENT PASSWORD leaves the
 * secondary password unchanged; APPLICATION_PASSWORD_ADMIN for one's own secondary password, CREATE
 * USER for other accounts'), and ALTER USER's REPLACE clause (a REPLACE that does not match the
 * current password fails the statement even where it is optional: error 3891).
 */
class PasswordOverlapStatementsTest {
    private static final String VERSION = "SELECT VERSION()";
    private static final String HOSTS = "SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host";
    private static final String ONE_GRANTEE_PRIVILEGES = String.format(PasswordOverlap.GLOBAL_PRIVILEGES, "?");
    private static final String ONE_GRANTEE_SCHEMA = String.format(PasswordOverlap.MYSQL_SCHEMA_PRIVILEGES, "?");

    private final MySqlEngine engine = new MySqlEngine();

    // what the server must offer

    @Test
    void overlapProblem_should_accept_a_user_holding_application_password_admin() throws SQLException {
        // given
        RecordingConnection server = mysql("8.0.40", "app@%", "APPLICATION_PASSWORD_ADMIN");

        // when
        String problem = engine.overlapProblem(server.connection(), false, "app");

        // then
        assertThat(problem).isNull();
        assertThat(server.executed()).isEmpty();
    }

    @Test
    void overlapProblem_should_name_the_missing_privilege_of_a_user() throws SQLException {
        // given
        RecordingConnection server = mysql("8.4.3", "app@10.0.%", "SELECT");

        // when
        String problem = engine.overlapProblem(server.connection(), false, "app");

        // then
        assertThat(problem).contains("APPLICATION_PASSWORD_ADMIN (or CREATE USER)").contains("'app'@'10.0.%'");
    }

    @Test
    void overlapProblem_should_ask_a_master_for_create_user_not_application_password_admin() throws SQLException {
        // given
        RecordingConnection withoutCreateUser = mysql("8.0.40", "admin@%", "APPLICATION_PASSWORD_ADMIN");
        RecordingConnection withCreateUser = mysql("8.0.40", "admin@%", "CREATE USER");

        // when
        String refused = engine.overlapProblem(withoutCreateUser.connection(), true, "app");
        String accepted = engine.overlapProblem(withCreateUser.connection(), true, "app");

        // then
        assertThat(refused).contains("another account's password").contains("CREATE USER")
                .contains("'admin'@'%' lacks it");
        assertThat(accepted).isNull();
    }

    @Test
    void overlapProblem_should_count_a_privilege_held_through_an_enabled_role() throws SQLException {
        // given a master whose CREATE USER comes from a role, as on RDS for MySQL 8.0.36 and later
        String twoGrantees = String.format(PasswordOverlap.GLOBAL_PRIVILEGES, "?, ?");
        RecordingConnection server = new RecordingConnection().answer(VERSION, rows("8.0.36"))
                .answer(PasswordOverlap.SESSION_ACCOUNT, rows("admin@%"))
                .answer(PasswordOverlap.MYSQL_ROLES, List.of(List.of("rds_superuser_role", "%")))
                .answer(twoGrantees, grantees -> grantees.contains("'rds_superuser_role'@'%'")
                        ? rows("CREATE USER") : rows())
                .answer(String.format(PasswordOverlap.MYSQL_SCHEMA_PRIVILEGES, "?, ?"), rows());

        // when
        String problem = engine.overlapProblem(server.connection(), true, "app");

        // then
        assertThat(problem).isNull();
    }

    @Test
    void overlapProblem_should_not_ask_for_enabled_roles_before_mysql_8_0_19() throws SQLException {
        // given: the recording double fails on any query it was not given, ENABLED_ROLES included
        RecordingConnection server = new RecordingConnection().answer(VERSION, rows("8.0.18"))
                .answer(PasswordOverlap.SESSION_ACCOUNT, rows("app@%"))
                .answer(ONE_GRANTEE_PRIVILEGES, rows("APPLICATION_PASSWORD_ADMIN"))
                .answer(ONE_GRANTEE_SCHEMA, rows());

        // when
        String problem = engine.overlapProblem(server.connection(), false, "app");

        // then
        assertThat(problem).isNull();
    }

    @Test
    void overlapProblem_should_refuse_mysql_before_8_0_14_and_aurora_mysql_2() throws SQLException {
        for (String version : List.of("8.0.13", "5.7.12-log", "5.7.mysql_aurora.2.11.2")) {
            // given
            RecordingConnection server = new RecordingConnection().answer(VERSION, rows(version));

            // when
            String problem = engine.overlapProblem(server.connection(), false, "app");

            // then
            assertThat(problem).as(version).contains("has no secondary passwords").contains("8.0.14");
        }
    }

    @Test
    void overlapProblem_should_refuse_mariadb_before_10_4() throws SQLException {
        // given
        RecordingConnection server = new RecordingConnection().answer(VERSION, rows("10.3.39-MariaDB"));

        // when
        String problem = engine.overlapProblem(server.connection(), true, "app");

        // then
        assertThat(problem).contains("MariaDB 10.3.39 keeps one password per account").contains("10.4");
    }

    // the user's own account

    @Test
    void changePasswordKeepingCurrent_should_retain_the_current_password_in_one_statement() throws SQLException {
        // given
        RecordingConnection server = mysql("8.0.40", "app@%", "APPLICATION_PASSWORD_ADMIN");

        // when
        engine.changePasswordKeepingCurrent(server.connection(), false, "app", "current-pw", "new-pw");

        // then
        assertThat(server.executed()).containsExactly(PasswordOverlap.RETAIN_OWN + " <- [new-pw, current-pw]");
    }

    @Test
    void changePasswordKeepingCurrent_run_again_should_check_that_the_new_password_is_primary() throws SQLException {
        // given a first run made the new password primary and kept the current one, which logged in now
        RecordingConnection server = mysql("8.0.40", "app@%", "APPLICATION_PASSWORD_ADMIN")
                .failNext(PasswordOverlap.RETAIN_OWN, refusal(PasswordOverlap.INCORRECT_CURRENT_PASSWORD));

        // when
        engine.changePasswordKeepingCurrent(server.connection(), false, "app", "current-pw", "new-pw");

        // then no RETAIN again: the secondary (current) password stays
        assertThat(server.executed()).containsExactly(
                PasswordOverlap.RETAIN_OWN + " <- [new-pw, current-pw] -> error 3891",
                PasswordOverlap.CHECK_OWN_PRIMARY + " <- [new-pw, new-pw]");
    }

    @Test
    void changePasswordKeepingCurrent_run_again_under_a_reuse_policy_takes_the_history_refusal_as_done()
            throws SQLException {
        // given
        RecordingConnection server = mysql("8.0.40", "app@%", "APPLICATION_PASSWORD_ADMIN")
                .failNext(PasswordOverlap.RETAIN_OWN, refusal(PasswordOverlap.PASSWORD_IN_HISTORY))
                .failNext(PasswordOverlap.CHECK_OWN_PRIMARY, refusal(PasswordOverlap.PASSWORD_IN_HISTORY));

        // when
        engine.changePasswordKeepingCurrent(server.connection(), false, "app", "current-pw", "new-pw");

        // then
        assertThat(server.executed()).hasSize(2).allMatch(statement -> statement.endsWith("-> error 3638"));
    }

    @Test
    void changePasswordKeepingCurrent_should_stop_when_the_primary_is_neither_password() throws SQLException {
        // given someone else changed the primary password during the rotation
        RecordingConnection server = mysql("8.0.40", "app@%", "APPLICATION_PASSWORD_ADMIN")
                .failNext(PasswordOverlap.RETAIN_OWN, refusal(PasswordOverlap.INCORRECT_CURRENT_PASSWORD))
                .failNext(PasswordOverlap.CHECK_OWN_PRIMARY, refusal(PasswordOverlap.INCORRECT_CURRENT_PASSWORD));

        // when
        Throwable failure = catchThrowable(() -> engine.changePasswordKeepingCurrent(server.connection(), false,
                "app", "current-pw", "new-pw"));

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("neither the AWSCURRENT nor the AWSPENDING one")
                .hasMessageContaining("Nothing was changed")
                .hasMessageNotContaining("current-pw").hasMessageNotContaining("new-pw");
    }

    @Test
    void changePasswordKeepingCurrent_should_pass_on_any_other_refusal() throws SQLException {
        // given
        RecordingConnection server = mysql("8.0.40", "app@%", "APPLICATION_PASSWORD_ADMIN")
                .failNext(PasswordOverlap.RETAIN_OWN, refusal(1227));

        // when
        Throwable failure = catchThrowable(() -> engine.changePasswordKeepingCurrent(server.connection(), false,
                "app", "current-pw", "new-pw"));

        // then
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(((SQLException) failure).getErrorCode()).isEqualTo(1227);
        assertThat(server.executed()).hasSize(1);
    }

    // another account, through the master

    @Test
    void changePasswordKeepingCurrent_as_master_should_make_current_primary_then_retain_it_on_every_host()
            throws SQLException {
        // given
        RecordingConnection server = mysql("8.4.3", "admin@%", "CREATE USER").answer(HOSTS, rows("%", "localhost"));

        // when
        engine.changePasswordKeepingCurrent(server.connection(), true, "app", "current-pw", "new-pw");

        // then
        assertThat(server.executed()).containsExactly(
                PasswordOverlap.SET_PRIMARY + " <- [app, %, current-pw]",
                PasswordOverlap.RETAIN_FOR + " <- [app, %, new-pw]",
                PasswordOverlap.SET_PRIMARY + " <- [app, localhost, current-pw]",
                PasswordOverlap.RETAIN_FOR + " <- [app, localhost, new-pw]");
    }

    @Test
    void changePasswordKeepingCurrent_as_master_under_a_reuse_policy_skips_the_refused_steps() throws SQLException {
        // given a rerun: both passwords are in the account's history
        RecordingConnection server = mysql("8.0.40", "admin@%", "CREATE USER").answer(HOSTS, rows("%"))
                .failNext(PasswordOverlap.SET_PRIMARY, refusal(PasswordOverlap.PASSWORD_IN_HISTORY))
                .failNext(PasswordOverlap.RETAIN_FOR, refusal(PasswordOverlap.PASSWORD_IN_HISTORY));

        // when
        engine.changePasswordKeepingCurrent(server.connection(), true, "app", "current-pw", "new-pw");

        // then
        assertThat(server.executed()).containsExactly(
                PasswordOverlap.SET_PRIMARY + " <- [app, %, current-pw] -> error 3638",
                PasswordOverlap.RETAIN_FOR + " <- [app, %, new-pw] -> error 3638");
    }

    @Test
    void changePasswordKeepingCurrent_as_master_should_refuse_a_user_without_an_account() throws SQLException {
        // given
        RecordingConnection server = mysql("8.0.40", "admin@%", "CREATE USER").answer(HOSTS, rows());

        // when
        Throwable failure = catchThrowable(() -> engine.changePasswordKeepingCurrent(server.connection(), true,
                "ghost", "current-pw", "new-pw"));

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class).hasMessageContaining("user ghost has no "
                + "account");
        assertThat(server.executed()).isEmpty();
    }

    /** A MySQL server whose session account holds {@code privileges} directly and has no role. */
    private static RecordingConnection mysql(String version, String account, String... privileges) {
        return new RecordingConnection().answer(VERSION, rows(version))
                .answer(PasswordOverlap.SESSION_ACCOUNT, rows(account))
                .answer(PasswordOverlap.MYSQL_ROLES, rows())
                .answer(ONE_GRANTEE_PRIVILEGES, rows(privileges))
                .answer(ONE_GRANTEE_SCHEMA, rows());
    }

    private static SQLException refusal(int code) {
        return new SQLException("refused by the server", "HY000", code);
    }

    private static List<List<String>> rows(String... values) {
        return Arrays.stream(values).map(List::of).toList();
    }
}
