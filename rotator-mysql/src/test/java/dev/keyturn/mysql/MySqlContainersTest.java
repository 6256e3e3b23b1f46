package dev.keyturn.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link MySqlEngine} against real MySQL servers, for what the MariaDB stand-in cannot show: the
 * {@code REPLACE} clause that {@code password_require_current=ON} demands, {@code IDENTIFIED WITH}
 * forms, roles with hosts, default roles, partial revokes, and MySQL's locked-account codes. The
 * servers run in Docker; without Docker these tests are skipped, and
 * {@link MySqlStatementFormsTest} still pins the statements at the JDBC boundary.
 */
@Testcontainers(disabledWithoutDocker = true)
abstract class MySqlContainersTest {
    private static final String ROOT_PASSWORD = "Root-pw-1";
    private static final String START_PASSWORD = "Start-pw-1";

    private final MySqlEngine engine = new MySqlEngine();
    private final List<String> cleanup = new ArrayList<>();
    private Connection root;

    static MySQLContainer mysql(String image) {
        return new MySQLContainer(DockerImageName.parse(image)).withUsername("root").withPassword(ROOT_PASSWORD)
                .withCommand("--password-require-current=ON", "--partial-revokes=ON");
    }

    protected abstract MySQLContainer container();

    @BeforeEach
    void connect() throws SQLException {
        root = engine.connect(request("root", ROOT_PASSWORD));
    }

    @AfterEach
    void dropEverything() throws SQLException {
        try {
            for (String statement : cleanup) {
                run(statement);
            }
        } finally {
            root.close();
        }
    }

    @Test
    void changeOwnPassword_should_pass_the_current_password_the_server_requires() throws SQLException {
        createUser("kt_own", "%", "");

        try (Connection asUser = engine.connect(request("kt_own", START_PASSWORD))) {
            engine.changeOwnPassword(asUser, "kt_own", START_PASSWORD, MySqlEngineOnMariaDbTest.ALL_PRINTABLE);
        }

        assertThat(logsIn("kt_own", MySqlEngineOnMariaDbTest.ALL_PRINTABLE)).isTrue();
        assertThat(logsIn("kt_own", START_PASSWORD)).isFalse();
    }

    @Test
    void setPassword_should_change_every_host_of_the_user() throws SQLException {
        // a new password clears PASSWORD EXPIRE, which shows the change on an account no test can log in to
        createUser("kt_hosts", "%", "PASSWORD EXPIRE");
        createUser("kt_hosts", "10.0.%", "PASSWORD EXPIRE");

        engine.setPassword(root, "kt_hosts", "New-pw-2");

        assertThat(logsIn("kt_hosts", "New-pw-2")).isTrue();
        assertThat(column("SELECT CONCAT(Host, '=', password_expired) FROM mysql.user WHERE User = 'kt_hosts' "
                + "ORDER BY Host")).containsExactly("%=N", "10.0.%=N");
    }

    @Test
    void createOrSyncUser_should_copy_mysql_8_roles_default_roles_partial_revokes_and_the_plugin()
            throws SQLException {
        run("CREATE ROLE IF NOT EXISTS 'kt_reader'@'%'");
        cleanup.add("DROP ROLE IF EXISTS 'kt_reader'@'%'");
        createUser("kt_app", "%", "REQUIRE SSL WITH MAX_USER_CONNECTIONS 4");
        cleanup.add("DROP USER IF EXISTS 'kt_app_clone'@'%'");
        run("GRANT SELECT, INSERT ON *.* TO 'kt_app'@'%'");
        run("REVOKE INSERT ON mysql.* FROM 'kt_app'@'%'");
        run("GRANT XA_RECOVER_ADMIN ON *.* TO 'kt_app'@'%' WITH GRANT OPTION");
        run("GRANT 'kt_reader'@'%' TO 'kt_app'@'%'");
        run("SET DEFAULT ROLE 'kt_reader'@'%' TO 'kt_app'@'%'");

        engine.createOrSyncUser(root, "kt_app", "kt_app_clone", "Clone-pw-1");

        assertThat(grantsWithoutGrantee("kt_app_clone")).containsExactlyInAnyOrderElementsOf(
                grantsWithoutGrantee("kt_app"));
        assertThat(column("SELECT CONCAT_WS('|', plugin, ssl_type, max_user_connections) FROM mysql.user "
                + "WHERE User IN ('kt_app', 'kt_app_clone') GROUP BY 1")).hasSize(1);
        assertThat(column("SELECT DEFAULT_ROLE_USER FROM mysql.default_roles WHERE USER = 'kt_app_clone'"))
                .containsExactly("kt_reader");
    }

    @Test
    void createOrSyncUser_should_take_away_what_the_original_lost() throws SQLException {
        createUser("kt_sync", "%", "");
        cleanup.add("DROP USER IF EXISTS 'kt_sync_clone'@'%'");
        run("GRANT SELECT, DELETE ON mysql.* TO 'kt_sync'@'%' WITH GRANT OPTION");
        run("GRANT BACKUP_ADMIN ON *.* TO 'kt_sync'@'%'");
        engine.createOrSyncUser(root, "kt_sync", "kt_sync_clone", "Clone-pw-1");

        run("REVOKE DELETE, GRANT OPTION ON mysql.* FROM 'kt_sync'@'%'");
        run("REVOKE BACKUP_ADMIN ON *.* FROM 'kt_sync'@'%'");
        engine.createOrSyncUser(root, "kt_sync", "kt_sync_clone", "Clone-pw-2");

        assertThat(grantsWithoutGrantee("kt_sync_clone")).containsExactlyInAnyOrderElementsOf(
                grantsWithoutGrantee("kt_sync"));
        assertThat(logsIn("kt_sync_clone", "Clone-pw-2")).isTrue();
    }

    @Test
    void classify_should_read_mysqls_locked_and_blocked_accounts() throws SQLException {
        createUser("kt_locked", "%", "ACCOUNT LOCK");
        createUser("kt_blocked", "%", "FAILED_LOGIN_ATTEMPTS 1 PASSWORD_LOCK_TIME 1");

        assertThat(failure("kt_locked", START_PASSWORD)).isEqualTo(LoginFailure.LOCKED);
        assertThat(failure("kt_blocked", "wrong")).isIn(LoginFailure.REFUSED, LoginFailure.LOCKED);
        assertThat(failure("kt_blocked", START_PASSWORD)).isEqualTo(LoginFailure.LOCKED);
    }

    private void createUser(String user, String host, String options) throws SQLException {
        cleanup.add("DROP USER IF EXISTS '" + user + "'@'" + host + "'");
        run("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY '" + START_PASSWORD + "' " + options);
    }

    private List<String> grantsWithoutGrantee(String user) throws SQLException {
        return column("SHOW GRANTS FOR '" + user + "'@'%'").stream()
                .map(line -> line.replace("`" + user + "`@`%`", "<grantee>")).toList();
    }

    private ConnectionRequest request(String user, String password) {
        return new ConnectionRequest(container().getHost(), container().getMappedPort(3306), Optional.empty(), user,
                password, TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true),
                Duration.ofSeconds(10));
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

    private LoginFailure failure(String user, String password) {
        try (Connection connection = engine.connect(request(user, password))) {
            throw new AssertionError("logged in as " + user + ", but expected a failure: " + connection);
        } catch (SQLException e) {
            return engine.classify(e);
        }
    }

    private void run(String sql) throws SQLException {
        try (Statement statement = root.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> column(String sql) throws SQLException {
        try (PreparedStatement statement = root.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getString(1));
            }
            return values;
        }
    }
}
