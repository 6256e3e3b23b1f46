package dev.keyturn.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.RotationException;
import dev.keyturn.core.Settings;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.CrashingEngine;
import dev.keyturn.core.testing.MotoServer;
import dev.keyturn.core.testing.SecretsFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mssqlserver.MSSQLServerContainer;

/**
 * Full rotations against a real SQL Server 2022 in Docker, with a real Secrets Manager endpoint
 * (moto_server). Reported as skipped where Docker is missing. The server's certificate is
 * self-signed, so these secrets say {@code "ssl": false}; TLS is covered by the unit tests.
 */
@Testcontainers(disabledWithoutDocker = true)
class SqlServerContainerRotationTest {
    private static final String DATABASE = "keyturn";
    private static final String CONTAINED_DATABASE = "keyturn_contained";
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    @Container
    static final MSSQLServerContainer SERVER = new MSSQLServerContainer("mcr.microsoft.com/mssql/server:2022-latest")
            .acceptLicense();

    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());
    private final CapturingLogSink log = new CapturingLogSink();
    private final SqlServerEngine engine = new SqlServerEngine();

    @BeforeAll
    static void createDatabases() throws SQLException {
        asSa(null, "EXEC sp_configure 'contained database authentication', 1",
                "RECONFIGURE",
                "CREATE DATABASE [" + DATABASE + "]",
                "CREATE DATABASE [" + CONTAINED_DATABASE + "] CONTAINMENT = PARTIAL");
        asSa(DATABASE, "CREATE TABLE dbo.orders (id int)",
                "CREATE ROLE [order readers]",
                "GRANT SELECT ON dbo.orders TO [order readers]");
    }

    @Test
    void single_user_rotation_changes_the_password_and_the_old_one_stops_working() throws SQLException {
        // given
        String login = newLogin("Initial-Pa55word");
        String arn = secret(login, "Initial-Pa55word", DATABASE, null);

        // when
        rotate(arn, handler("single-user", engine));

        // then
        DatabaseSecret current = current(arn);
        assertThat(current.password()).isNotEqualTo("Initial-Pa55word");
        assertThat(logsIn(login, current.password(), DATABASE)).isTrue();
        assertThat(logsIn(login, "Initial-Pa55word", DATABASE)).isFalse();
        assertNoPasswordIn(log.all(), arn);
    }

    @Test
    void single_user_rotation_quotes_a_login_name_with_a_bracket_and_a_space() throws SQLException {
        // given
        String login = "keyturn app] " + suffix();
        createLogin(login, "Initial-Pa55word");
        String arn = secret(login, "Initial-Pa55word", DATABASE, null);

        // when
        rotate(arn, handler("single-user", engine));

        // then
        assertThat(logsIn(login, current(arn).password(), DATABASE)).isTrue();
    }

    @Test
    void recovery_through_awsprevious_gives_the_password_it_logged_in_with_as_old_password() throws SQLException {
        // given: one rotation done, then the login's password set back to the previous one by hand
        String login = newLogin("Initial-Pa55word");
        String arn = secret(login, "Initial-Pa55word", DATABASE, null);
        rotate(arn, handler("single-user", engine));
        asSa(null, "ALTER LOGIN " + Tsql.identifier(login) + " WITH PASSWORD = N'Initial-Pa55word'");

        // when: AWSCURRENT and AWSPENDING are refused; AWSPREVIOUS logs in and changes the password
        rotate(arn, handler("single-user", engine));

        // then
        assertThat(logsIn(login, current(arn).password(), DATABASE)).isTrue();
        assertThat(logsIn(login, "Initial-Pa55word", DATABASE)).isFalse();
    }

    @Test
    void single_user_rotation_changes_a_contained_database_user_with_alter_user() throws SQLException {
        // given
        String user = "reporter_" + suffix();
        asSa(CONTAINED_DATABASE, "CREATE USER " + Tsql.identifier(user) + " WITH PASSWORD = N'Initial-Pa55word'");
        String arn = secret(user, "Initial-Pa55word", CONTAINED_DATABASE, null);

        // when
        rotate(arn, handler("single-user", engine));

        // then
        assertThat(logsIn(user, current(arn).password(), CONTAINED_DATABASE)).isTrue();
        assertThat(logsIn(user, "Initial-Pa55word", CONTAINED_DATABASE)).isFalse();
    }

    @Test
    void alternating_users_creates_the_clone_with_the_originals_grants_and_alternates_back() throws SQLException {
        // given
        String login = newLogin("Initial-Pa55word");
        String arn = secret(login, "Initial-Pa55word", DATABASE, masterSecret());

        // when
        rotate(arn, handler("alternating-users", engine));

        // then
        DatabaseSecret clone = current(arn);
        assertThat(clone.username()).isEqualTo(login + "_clone");
        assertThat(can(clone, "SELECT id FROM dbo.orders")).isTrue();
        assertThat(can(clone, "INSERT INTO dbo.orders VALUES (1)")).isTrue();
        assertThat(can(clone, "SELECT cpu_count FROM sys.dm_os_sys_info")).isTrue();

        // when
        rotate(arn, handler("alternating-users", engine));

        // then
        DatabaseSecret back = current(arn);
        assertThat(back.username()).isEqualTo(login);
        assertThat(logsIn(login, back.password(), DATABASE)).isTrue();
        assertThat(logsIn(clone.username(), clone.password(), DATABASE)).isTrue();
    }

    @Test
    void alternating_users_resyncs_the_clone_with_what_the_original_gained_and_lost() throws SQLException {
        // given: the clone exists; then the original loses INSERT and gains DELETE
        String login = newLogin("Initial-Pa55word");
        String arn = secret(login, "Initial-Pa55word", DATABASE, masterSecret());
        rotate(arn, handler("alternating-users", engine));
        rotate(arn, handler("alternating-users", engine));
        asSa(DATABASE, "REVOKE INSERT ON dbo.orders FROM " + Tsql.identifier(login),
                "GRANT DELETE ON dbo.orders TO " + Tsql.identifier(login));

        // when: the next rotation makes the clone current again
        rotate(arn, handler("alternating-users", engine));

        // then
        DatabaseSecret clone = current(arn);
        assertThat(clone.username()).isEqualTo(login + "_clone");
        assertThat(can(clone, "INSERT INTO dbo.orders VALUES (2)")).isFalse();
        assertThat(can(clone, "DELETE FROM dbo.orders WHERE id = -1")).isTrue();
    }

    @Test
    void alternating_users_copies_a_contained_database_user() throws SQLException {
        // given
        String user = "reporter_" + suffix();
        asSa(CONTAINED_DATABASE, "CREATE USER " + Tsql.identifier(user) + " WITH PASSWORD = N'Initial-Pa55word'",
                "ALTER ROLE [db_datareader] ADD MEMBER " + Tsql.identifier(user));
        String arn = secret(user, "Initial-Pa55word", CONTAINED_DATABASE, masterSecret());

        // when
        rotate(arn, handler("alternating-users", engine));

        // then
        DatabaseSecret clone = current(arn);
        assertThat(clone.username()).isEqualTo(user + "_clone");
        assertThat(logsIn(clone.username(), clone.password(), CONTAINED_DATABASE)).isTrue();
    }

    @ParameterizedTest(name = "{0}, stopped after {1}")
    @CsvSource({
        "single-user, createSecret", "single-user, setSecret", "single-user, testSecret",
        "alternating-users, createSecret", "alternating-users, setSecret", "alternating-users, testSecret"})
    void a_rotation_stopped_after_a_step_finishes_when_retried_with_the_same_token(String strategy, String lastStep)
            throws SQLException {
        // given
        String login = newLogin("Initial-Pa55word");
        String arn = secret(login, "Initial-Pa55word", DATABASE, strategy.equals("single-user") ? null
                : masterSecret());
        SqlServerRotationHandler handler = handler(strategy, engine);
        String token = secrets.startRotation(arn);
        for (String step : STEPS.subList(0, STEPS.indexOf(lastStep) + 1)) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }

        // when: Secrets Manager retries the whole rotation
        runSteps(handler, arn, token);

        // then
        DatabaseSecret current = current(arn);
        assertThat(secrets.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(logsIn(current.username(), current.password(), DATABASE)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"single-user", "alternating-users"})
    void a_crash_inside_setSecret_after_the_database_change_is_recovered_by_the_retry(String strategy)
            throws SQLException {
        // given
        String login = newLogin("Initial-Pa55word");
        String arn = secret(login, "Initial-Pa55word", DATABASE, strategy.equals("single-user") ? null
                : masterSecret());
        CrashingEngine crashing = new CrashingEngine(engine).crashAfterNextChange();
        SqlServerRotationHandler handler = handler(strategy, crashing);
        String token = secrets.startRotation(arn);
        handler.handleRequest(SecretsFixture.event("createSecret", arn, token), null);
        assertThatThrownBy(() -> handler.handleRequest(SecretsFixture.event("setSecret", arn, token), null))
                .isInstanceOf(RotationException.class);
        assertThat(crashing.crashes()).isEqualTo(1);

        // when
        runSteps(handler, arn, token);

        // then
        DatabaseSecret current = current(arn);
        assertThat(logsIn(current.username(), current.password(), DATABASE)).isTrue();
        assertNoPasswordIn(log.all(), arn);
    }

    // rotation

    private SqlServerRotationHandler handler(String strategy, DatabaseEngine rotatingEngine) {
        return new SqlServerRotationHandler(secrets.client(), Settings.from(Map.of("ROTATION_STRATEGY", strategy)),
                log, rotatingEngine);
    }

    private void rotate(String arn, SqlServerRotationHandler handler) {
        runSteps(handler, arn, secrets.startRotation(arn));
    }

    private static void runSteps(SqlServerRotationHandler handler, String arn, String token) {
        for (String step : STEPS) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }
    }

    private DatabaseSecret current(String arn) {
        return DatabaseSecret.parse(secrets.valueOfStage(arn, "AWSCURRENT"));
    }

    private String secret(String user, String password, String database, String masterArn) {
        return secrets.createSecret("sqlserver", json(user, password, database, masterArn));
    }

    private String masterSecret() {
        return secrets.createSecret("sqlserver-master", json(SERVER.getUsername(), SERVER.getPassword(), DATABASE,
                null));
    }

    private static String json(String user, String password, String database, String masterArn) {
        return "{\"engine\":\"sqlserver\",\"host\":\"" + SERVER.getHost() + "\",\"port\":"
                + SERVER.getMappedPort(MSSQLServerContainer.MS_SQL_SERVER_PORT) + ",\"username\":\"" + user
                + "\",\"password\":\"" + password + "\",\"dbname\":\"" + database + "\",\"ssl\":false"
                + (masterArn == null ? "" : ",\"masterarn\":\"" + masterArn + "\"") + "}";
    }

    private void assertNoPasswordIn(String text, String arn) {
        for (String value : secrets.allValues(arn)) {
            assertThat(text).doesNotContain(DatabaseSecret.parse(value).password());
        }
    }

    // the database, reached directly

    private String newLogin(String password) throws SQLException {
        String login = "app_" + suffix();
        createLogin(login, password);
        return login;
    }

    private static void createLogin(String login, String password) throws SQLException {
        String quoted = Tsql.identifier(login);
        asSa(null, "CREATE LOGIN " + quoted + " WITH PASSWORD = " + Tsql.unicodeLiteral(password)
                + ", DEFAULT_DATABASE = [" + DATABASE + "]",
                "GRANT VIEW SERVER STATE TO " + quoted);
        asSa(DATABASE, "CREATE USER " + quoted + " FOR LOGIN " + quoted,
                "ALTER ROLE [order readers] ADD MEMBER " + quoted,
                "GRANT INSERT ON dbo.orders TO " + quoted);
    }

    private boolean logsIn(String user, String password, String database) throws SQLException {
        try (Connection connection = engine.connect(request(user, password, database))) {
            engine.testConnection(connection);
            return true;
        } catch (SQLException e) {
            if (engine.classify(e) == LoginFailure.REFUSED) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the user may run the statement; false when the server denies the permission. */
    private boolean can(DatabaseSecret user, String sql) throws SQLException {
        try (Connection connection = engine.connect(request(user.username(), user.password(), DATABASE));
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == 229 || e.getErrorCode() == 300) {
                return false;
            }
            throw e;
        }
    }

    private static void asSa(String database, String... sqls) throws SQLException {
        try (Connection connection = new SqlServerEngine().connect(request(SERVER.getUsername(), SERVER.getPassword(),
                database)); Statement statement = connection.createStatement()) {
            for (String sql : sqls) {
                statement.execute(sql);
            }
        }
    }

    private static ConnectionRequest request(String user, String password, String database) {
        return new ConnectionRequest(SERVER.getHost(), SERVER.getMappedPort(MSSQLServerContainer.MS_SQL_SERVER_PORT),
                Optional.ofNullable(database), user, password, TlsSettings.Mode.PLAINTEXT,
                new TrustSettings(Optional.empty(), true), Duration.ofSeconds(30));
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
