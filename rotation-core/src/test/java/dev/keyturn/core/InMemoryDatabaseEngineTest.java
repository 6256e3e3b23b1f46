package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyturn.core.InMemoryDatabaseEngine.LoginAttempt;
import dev.keyturn.core.InMemoryDatabaseEngine.Outcome;
import dev.keyturn.core.InMemoryDatabaseEngine.SimulatedCrash;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * The test double itself: it must behave like a server where the rotation tests rely on it, or those
 * tests prove nothing. It stands at the JDBC boundary because the core has no database driver.
 */
class InMemoryDatabaseEngineTest {
    private final InMemoryDatabaseEngine database = new InMemoryDatabaseEngine()
            .addUser("app", "app-password-1", "SELECT ON orders")
            .addAdmin("admin", "admin-password-1");

    @Test
    void a_login_is_accepted_only_with_a_password_the_user_has_and_every_attempt_is_recorded() throws Exception {
        // when
        try (Connection connection = database.connect(request("app", "app-password-1", true))) {
            assertThat(connection.isClosed()).isFalse();
        }
        SQLException refused = catchThrowableOfType(SQLException.class,
                () -> database.connect(request("app", "wrong", false)));
        SQLException unknown = catchThrowableOfType(SQLException.class,
                () -> database.connect(request("nobody", "app-password-1", false)));

        // then
        assertThat(database.classify(refused)).isEqualTo(LoginFailure.REFUSED);
        assertThat(database.classify(unknown)).isEqualTo(LoginFailure.REFUSED);
        assertThat(database.attempts()).containsExactly(new LoginAttempt("app", true, Outcome.ACCEPTED),
                new LoginAttempt("app", false, Outcome.REFUSED), new LoginAttempt("nobody", false, Outcome.REFUSED));
    }

    @Test
    void the_simulated_failures_read_as_a_real_engine_would_classify_them() {
        // given
        database.lock("app");
        SQLException locked = catchThrowableOfType(SQLException.class,
                () -> database.connect(request("app", "app-password-1", false)));
        database.breakTls();
        SQLException tls = catchThrowableOfType(SQLException.class,
                () -> database.connect(request("admin", "admin-password-1", true)));
        database.makeUnreachable();
        SQLException unreachable = catchThrowableOfType(SQLException.class,
                () -> database.connect(request("admin", "admin-password-1", false)));

        // then
        assertThat(database.classify(locked)).isEqualTo(LoginFailure.LOCKED);
        assertThat(database.classify(tls)).isEqualTo(LoginFailure.OTHER);
        assertThat(tls.getCause()).isInstanceOf(SSLException.class);
        assertThat(database.classify(unreachable)).isEqualTo(LoginFailure.UNREACHABLE);
        assertThat(unreachable.getCause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void changing_ones_own_password_needs_the_password_the_session_logged_in_with() throws Exception {
        try (Connection connection = database.connect(request("app", "app-password-1", false))) {
            assertThatThrownBy(() -> database.changeOwnPassword(connection, "app", "other-old", "new-password-1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("old password");
            assertThatThrownBy(() -> database.changeOwnPassword(connection, "admin", "app-password-1", "x-1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");

            database.changeOwnPassword(connection, "app", "app-password-1", "new-password-1");
        }

        assertThat(database.accepts("app", "new-password-1")).isTrue();
        assertThat(database.accepts("app", "app-password-1")).isFalse();
    }

    @Test
    void only_an_admin_sets_passwords_or_creates_users_and_a_closed_connection_does_nothing() throws Exception {
        Connection asApp = database.connect(request("app", "app-password-1", false));
        assertThatThrownBy(() -> database.setPassword(asApp, "admin", "x-password-1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("may not manage users");
        asApp.close();
        assertThatThrownBy(() -> database.changeOwnPassword(asApp, "app", "app-password-1", "x-password-1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("closed");

        try (Connection asAdmin = database.connect(request("admin", "admin-password-1", false))) {
            database.createOrSyncUser(asAdmin, "app", "app_clone", "clone-password-1");
        }

        assertThat(database.accepts("app_clone", "clone-password-1")).isTrue();
        assertThat(database.privilegesOf("app_clone")).containsExactly("SELECT ON orders");
        assertThat(database.changesApplied()).isEqualTo(1);
    }

    @Test
    void keeping_the_current_password_leaves_exactly_two() throws Exception {
        try (Connection connection = database.connect(request("app", "app-password-1", false))) {
            database.changePasswordKeepingCurrent(connection, false, "app", "app-password-1", "app-password-2");
            database.changePasswordKeepingCurrent(connection, false, "app", "app-password-2", "app-password-3");
        }

        assertThat(database.accepts("app", "app-password-1")).isFalse();
        assertThat(database.passwordCount("app")).isEqualTo(2);
    }

    @Test
    void a_simulated_crash_comes_after_the_change_is_applied() throws Exception {
        database.crashAfterNextChange();

        try (Connection connection = database.connect(request("app", "app-password-1", false))) {
            assertThatThrownBy(() -> database.changeOwnPassword(connection, "app", "app-password-1", "after-1"))
                    .isInstanceOf(SimulatedCrash.class);
        }

        assertThat(database.accepts("app", "after-1")).isTrue();
    }

    @Test
    void the_nothing_written_check_notices_a_value_stored_on_the_pending_version() {
        // given
        RotationDriver driver = new RotationDriver(Strategy.SINGLE_USER);
        String arn = driver.createAppSecret();
        String token = driver.startRotation(arn);
        RotationDriver.Before before = driver.before(arn);

        // when
        driver.step("createSecret", arn, token);

        // then
        assertThatThrownBy(() -> driver.assertNothingWritten(arn, token, before))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Secrets Manager writes");
    }

    private static ConnectionRequest request(String user, String password, boolean tls) {
        return new ConnectionRequest("db.internal", 15432, Optional.empty(), user, password,
                tls ? TlsSettings.Mode.VERIFIED : TlsSettings.Mode.PLAINTEXT,
                new TrustSettings(Optional.empty(), true), Duration.ofSeconds(1));
    }
}
