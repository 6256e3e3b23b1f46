package dev.keyturn.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * single-user-overlap against real MySQL 8.0 and 8.4, which check the forms
 * {@link PasswordOverlapStatementsTest} pins at the JDBC boundary: after a change, and after the same
 * change run again, exactly the new and the current password log in. The servers require the
 * current password for one's own change ({@code password_require_current}), as a hardened server
 * does. They run in Docker; without Docker these tests are skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class MySqlOverlapContainersTest {
    private static final String ROOT_PASSWORD = "Root-pw-1";
    private static final String OLDEST = "Oldest-pw-1";
    private static final String CURRENT = "Current-pw-2";
    private static final String NEW = "New-pw-3";

    @Container
    static final MySQLContainer MYSQL_80 = mysql("mysql:8.0");
    @Container
    static final MySQLContainer MYSQL_84 = mysql("mysql:8.4");

    private final MySqlEngine engine = new MySqlEngine();

    static MySQLContainer mysql(String image) {
        return new MySQLContainer(DockerImageName.parse(image)).withUsername("root").withPassword(ROOT_PASSWORD)
                .withCommand("--password-require-current=ON");
    }

    static Stream<MySQLContainer> servers() {
        return Stream.of(MYSQL_80, MYSQL_84);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void a_user_with_application_password_admin_keeps_exactly_the_current_and_the_new_password(MySQLContainer mysql)
            throws SQLException {
        // given an account that accepted an older password before the current one
        String user = accountWithHistory(mysql, "kt_own", "");
        asRoot(mysql, "GRANT APPLICATION_PASSWORD_ADMIN ON *.* TO '" + user + "'@'%'");

        // when setSecret's change runs, then runs again as a retry would (logged in with the current password)
        for (int run = 0; run < 2; run++) {
            try (Connection asUser = engine.connect(request(mysql, user, CURRENT))) {
                assertThat(engine.overlapProblem(asUser, false, user)).isNull();
                engine.changePasswordKeepingCurrent(asUser, false, user, CURRENT, NEW);
            }

            // then
            assertExactlyCurrentAndNew(mysql, user);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void the_master_keeps_exactly_the_current_and_the_new_password_with_and_without_a_reuse_policy(
            MySQLContainer mysql) throws SQLException {
        for (String policy : new String[] {"", "PASSWORD HISTORY 5"}) {
            // given
            String user = accountWithHistory(mysql, "kt_master", policy);

            // when
            for (int run = 0; run < 2; run++) {
                try (Connection root = engine.connect(request(mysql, "root", ROOT_PASSWORD))) {
                    assertThat(engine.overlapProblem(root, true, user)).isNull();
                    engine.changePasswordKeepingCurrent(root, true, user, CURRENT, NEW);
                }

                // then
                assertExactlyCurrentAndNew(mysql, user);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void a_user_without_the_privilege_is_told_what_it_lacks(MySQLContainer mysql) throws SQLException {
        // given
        String user = accountWithHistory(mysql, "kt_plain", "");

        // when
        String problem;
        try (Connection asUser = engine.connect(request(mysql, user, CURRENT))) {
            problem = engine.overlapProblem(asUser, false, user);
        }

        // then
        assertThat(problem).contains("APPLICATION_PASSWORD_ADMIN");
    }

    /** An account whose password was {@link #OLDEST} and is now {@link #CURRENT}, the oldest retained. */
    private static String accountWithHistory(MySQLContainer mysql, String prefix, String options)
            throws SQLException {
        String user = prefix + Long.toHexString(System.nanoTime()).substring(8);
        asRoot(mysql, "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + OLDEST + "' " + options);
        asRoot(mysql, "ALTER USER '" + user + "'@'%' IDENTIFIED BY '" + CURRENT + "' RETAIN CURRENT PASSWORD");
        return user;
    }

    private void assertExactlyCurrentAndNew(MySQLContainer mysql, String user) throws SQLException {
        assertThat(logsIn(mysql, user, NEW)).as("new password").isTrue();
        assertThat(logsIn(mysql, user, CURRENT)).as("current password").isTrue();
        assertThat(logsIn(mysql, user, OLDEST)).as("the password before the current one").isFalse();
    }

    private static void asRoot(MySQLContainer mysql, String sql) throws SQLException {
        try (Connection root = new MySqlEngine().connect(request(mysql, "root", ROOT_PASSWORD));
                Statement statement = root.createStatement()) {
            statement.execute(sql);
        }
    }

    private boolean logsIn(MySQLContainer mysql, String user, String password) throws SQLException {
        try (Connection connection = engine.connect(request(mysql, user, password))) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (engine.classify(e) == LoginFailure.REFUSED) {
                return false;
            }
            throw e;
        }
    }

    private static ConnectionRequest request(MySQLContainer mysql, String user, String password) {
        return new ConnectionRequest(mysql.getHost(), mysql.getMappedPort(3306), Optional.empty(), user, password,
                TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true), Duration.ofSeconds(10));
    }
}
