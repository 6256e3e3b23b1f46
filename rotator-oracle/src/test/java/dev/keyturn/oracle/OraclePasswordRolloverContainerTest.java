package dev.keyturn.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.RotationStateException;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.oracle.OracleContainer;

/**
 * single-user-overlap against Oracle Database Free (23ai), which has gradual password rollover:
 * what {@link PasswordRolloverStatementsTest} pins at the JDBC boundary, checked by a real server.
 * Runs in Docker; without Docker it is skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class OraclePasswordRolloverContainerTest {
    private static final String OLDEST = "Oldest_pw_1";
    private static final String CURRENT = "Current_pw_2";
    private static final String NEW = "New_pw_3";

    @Container
    static final OracleContainer ORACLE = new OracleContainer("gvenzl/oracle-free:23-slim-faststart");

    private final OracleEngine engine = new OracleEngine(Map.of());

    @Test
    void a_rotation_and_its_rerun_leave_exactly_the_current_and_the_new_password() throws SQLException {
        // given a user whose previous rotation's rollover is over: only the current password works
        String user = userWithRolloverProfile("KT_ROLL");
        asSystem("ALTER USER " + user + " IDENTIFIED BY " + CURRENT);
        asSystem("ALTER USER " + user + " EXPIRE PASSWORD ROLLOVER PERIOD");

        for (int run = 1; run <= 2; run++) {
            // when
            try (Connection asUser = engine.connect(request(user, CURRENT))) {
                assertThat(engine.overlapProblem(asUser, false, user)).isNull();
                engine.changePasswordKeepingCurrent(asUser, false, user, CURRENT, NEW);
            }

            // then
            assertThat(logsIn(user, NEW)).as("run %d: new", run).isTrue();
            assertThat(logsIn(user, CURRENT)).as("run %d: current", run).isTrue();
            assertThat(logsIn(user, OLDEST)).as("run %d: oldest", run).isFalse();
        }
    }

    @Test
    void a_rotation_inside_the_previous_rollover_period_changes_nothing() throws SQLException {
        // given the previous rotation's period still runs: the oldest and the current password work
        String user = userWithRolloverProfile("KT_EARLY");
        asSystem("ALTER USER " + user + " IDENTIFIED BY " + CURRENT);

        // when
        Throwable failure;
        try (Connection asUser = engine.connect(request(user, CURRENT))) {
            failure = catchThrowable(() -> engine.changePasswordKeepingCurrent(asUser, false, user, CURRENT, NEW));
        }

        // then
        assertThat(failure).isInstanceOf(RotationStateException.class);
        assertThat(logsIn(user, CURRENT)).isTrue();
        assertThat(logsIn(user, NEW)).isFalse();
    }

    @Test
    void a_user_whose_profile_has_no_rollover_time_is_told_so() throws SQLException {
        // given
        String user = "KT_PLAIN" + suffix();
        asSystem("CREATE USER " + user + " IDENTIFIED BY " + CURRENT);
        asSystem("GRANT CREATE SESSION TO " + user);

        // when
        String problem;
        try (Connection asUser = engine.connect(request(user, CURRENT))) {
            problem = engine.overlapProblem(asUser, false, user);
        }

        // then
        assertThat(problem).contains("PASSWORD_ROLLOVER_TIME");
    }

    private static String userWithRolloverProfile(String prefix) throws SQLException {
        String suffix = suffix();
        String user = prefix + suffix;
        asSystem("CREATE PROFILE KT_ROLLOVER" + suffix + " LIMIT PASSWORD_ROLLOVER_TIME 1");
        asSystem("CREATE USER " + user + " IDENTIFIED BY " + OLDEST + " PROFILE KT_ROLLOVER" + suffix);
        asSystem("GRANT CREATE SESSION TO " + user);
        return user;
    }

    private static String suffix() {
        return Long.toString(System.nanoTime() % 1_000_000);
    }

    private static void asSystem(String sql) throws SQLException {
        try (Connection system = new OracleEngine(Map.of()).connect(request("system", ORACLE.getPassword()));
                Statement statement = system.createStatement()) {
            statement.execute(sql);
        }
    }

    private boolean logsIn(String user, String password) throws SQLException {
        try (Connection connection = engine.connect(request(user, password))) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (engine.classify(e) == LoginFailure.REFUSED) {
                return false;
            }
            throw e;
        }
    }

    private static ConnectionRequest request(String user, String password) {
        return new ConnectionRequest(ORACLE.getHost(), ORACLE.getOraclePort(), Optional.of(ORACLE.getDatabaseName()),
                user, password, TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true),
                Duration.ofSeconds(30));
    }
}
