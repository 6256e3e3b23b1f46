package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import dev.keyturn.it.fleet.EmfMetrics;
import dev.keyturn.it.fleet.FailedLoginsOnServer;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rotation that is not recovering from a crash makes no failed login, so it never counts towards
 * a lockout (MariaDB's max_password_errors, MySQL's FAILED_LOGIN_ATTEMPTS, Oracle's profile) and
 * never alarms an intrusion detector. Counted twice over two rotations in a row: by the function's
 * own FailedLogins metric, and by the server, from its log.
 */
class NoFailedLoginsRotationTest {
    private final Services services = Services.get();

    static Stream<Arguments> rotations() {
        return Stream.of(
                Arguments.of("mariadb", Strategy.SINGLE_USER),
                Arguments.of("mariadb", Strategy.SINGLE_USER_OVERLAP),
                Arguments.of("mariadb", Strategy.ALTERNATING_USERS),
                Arguments.of("postgres", Strategy.SINGLE_USER),
                Arguments.of("postgres", Strategy.SINGLE_USER_OVERLAP),
                Arguments.of("postgres", Strategy.ALTERNATING_USERS));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("rotations")
    void two_rotations_make_no_failed_login(String engine, Strategy strategy) throws SQLException {
        EngineUnderTest db = engine.equals("mariadb") ? MySqlFamilyUnderTest.mariadb(services)
                : new PostgresUnderTest(services);
        try (RotationHarness harness = new RotationHarness(services, db)) {
            // given; overlap secrets name the master (MariaDB needs it), and PostgreSQL, which keeps one
            // password per account, falls back to single-user
            TestUser user = harness.newUser("kt_nofail");
            String arn = harness.createSecret(secret(harness, db, user, strategy));
            harness.dropLater(user.name() + db.engine().cloneSuffix());
            Map<String, String> env = harness.environment(strategy);
            env.put("OVERLAP_FALLBACK", "single-user");
            RotationHandler handler = harness.handler(Settings.from(env), db.engine());
            FailedLoginsOnServer serverLog = engine.equals("mariadb") ? FailedLoginsOnServer.mariadb()
                    : FailedLoginsOnServer.postgres(db.server());
            EmfMetrics metrics = EmfMetrics.mark(harness.logs());

            // when
            harness.rotate(handler, arn);
            harness.rotate(handler, arn);

            // then
            assertThat(metrics.steps()).isEqualTo(8);
            assertThat(metrics.sum("DatabaseLogins")).isPositive();
            assertThat(metrics.sum("FailedLogins")).isZero();
            Optional<Long> onServer = serverLog.of(List.of(user.name(), user.name() + db.engine().cloneSuffix()));
            // the local servers' logs are at hand; in containers they are not
            assertThat(onServer.isPresent() || !"local".equals(System.getProperty(Services.PROPERTY, "local")))
                    .as("the server's log was read").isTrue();
            onServer.ifPresent(count -> assertThat(count).isZero());
            assertThat(harness.logsIn(harness.current(arn))).isTrue();
            harness.assertNoPasswordLeaked();
        }
    }

    private static SecretJson secret(RotationHarness harness, EngineUnderTest db, TestUser user,
            Strategy strategy) {
        SecretJson json = db.secret(user.name(), user.password());
        return strategy == Strategy.SINGLE_USER ? json : json.put("masterarn", harness.masterSecret());
    }
}
