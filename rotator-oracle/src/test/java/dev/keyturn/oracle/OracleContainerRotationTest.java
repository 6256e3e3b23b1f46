package dev.keyturn.oracle;

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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import oracle.jdbc.OracleDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.oracle.OracleContainer;

/**
 * Full rotations against a real Oracle Database 23ai Free in Docker, with a real Secrets Manager
 * endpoint (moto_server). Reported as skipped where Docker is missing. The image offers no TCPS
 * listener, so these secrets say {@code "ssl": false}; TLS is covered by OracleTlsTest.
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleContainerRotationTest {
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");
    private static final String MASTER = "system";
    /** ORA-00942 (no such table, as a missing SELECT shows), ORA-01031 and 23ai's ORA-41900: no privilege. */
    private static final Set<Integer> NO_PRIVILEGE = Set.of(942, 1031, 41900);

    @Container
    static final OracleContainer ORACLE = new OracleContainer("gvenzl/oracle-free:23-slim-faststart");

    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());
    private final CapturingLogSink log = new CapturingLogSink();
    private final OracleEngine engine = new OracleEngine(Map.of());

    @BeforeAll
    static void createSchema() throws SQLException {
        asMaster("CREATE USER KEYTURN_OWNER NO AUTHENTICATION QUOTA UNLIMITED ON USERS",
                "CREATE TABLE KEYTURN_OWNER.ORDERS (ID NUMBER)",
                "CREATE ROLE ORDER_READERS",
                "GRANT SELECT ON KEYTURN_OWNER.ORDERS TO ORDER_READERS");
    }

    @Test
    void single_user_rotation_changes_the_password_of_the_user_a_lower_case_name_logs_in_as() throws SQLException {
        // given: the secret says app_..., Oracle stores APP_...
        String user = newUser("Initial-Pa55word");
        String arn = secret(user, "Initial-Pa55word", null);

        // when
        rotate(arn, handler("single-user", engine));

        // then
        DatabaseSecret current = current(arn);
        assertThat(current.password()).isNotEqualTo("Initial-Pa55word").matches("[A-Za-z].{29}");
        assertThat(logsIn(user, current.password())).isTrue();
        assertThat(logsIn(user, "Initial-Pa55word")).isFalse();
        assertNoPasswordIn(log.all(), arn);
    }

    @Test
    void single_user_rotation_passes_the_old_password_a_verify_function_demands() throws SQLException {
        // given: a profile whose verify function refuses any change that does not name the old password
        String user = newUser("Initial-Pa55word");
        asSys("CREATE OR REPLACE FUNCTION SYS.KEYTURN_NEEDS_OLD(username VARCHAR2, password VARCHAR2, "
                + "old_password VARCHAR2) RETURN BOOLEAN IS BEGIN IF old_password IS NULL THEN "
                + "RAISE_APPLICATION_ERROR(-20001, 'the old password is required'); END IF; RETURN TRUE; END;");
        String profile = "KEYTURN_" + suffix();
        asMaster("CREATE PROFILE " + profile + " LIMIT PASSWORD_VERIFY_FUNCTION KEYTURN_NEEDS_OLD",
                "ALTER USER " + user.toUpperCase(Locale.ROOT) + " PROFILE " + profile);
        String arn = secret(user, "Initial-Pa55word", null);

        // when
        rotate(arn, handler("single-user", engine));

        // then
        assertThat(logsIn(user, current(arn).password())).isTrue();
    }

    @Test
    void single_user_rotation_quotes_a_user_name_with_a_bracket_and_a_space() throws SQLException {
        // given
        String user = "keyturn app] " + suffix();
        asMaster("CREATE USER \"" + user.toUpperCase(Locale.ROOT) + "\" IDENTIFIED BY \"Initial-Pa55word\"",
                "GRANT CREATE SESSION TO \"" + user.toUpperCase(Locale.ROOT) + "\"");
        String arn = secret(user, "Initial-Pa55word", null);

        // when
        rotate(arn, handler("single-user", engine));

        // then
        assertThat(logsIn(user, current(arn).password())).isTrue();
    }

    @Test
    void alternating_users_creates_the_clone_with_the_originals_grants_and_alternates_back() throws SQLException {
        // given
        String user = newUser("Initial-Pa55word");
        String arn = secret(user, "Initial-Pa55word", masterSecret());

        // when
        rotate(arn, handler("alternating-users", engine));

        // then
        DatabaseSecret clone = current(arn);
        assertThat(clone.username()).isEqualTo(user + "_CLONE");
        assertThat(can(clone, "SELECT ID FROM KEYTURN_OWNER.ORDERS")).isTrue();
        assertThat(can(clone, "INSERT INTO KEYTURN_OWNER.ORDERS VALUES (1)")).isTrue();

        // when
        rotate(arn, handler("alternating-users", engine));

        // then
        DatabaseSecret back = current(arn);
        assertThat(back.username()).isEqualTo(user);
        assertThat(logsIn(user, back.password())).isTrue();
        assertThat(logsIn(clone.username(), clone.password())).isTrue();
    }

    @Test
    void alternating_users_resyncs_the_clone_with_what_the_original_gained_and_lost() throws SQLException {
        // given: the clone exists; then the original loses INSERT and gains DELETE
        String user = newUser("Initial-Pa55word");
        String arn = secret(user, "Initial-Pa55word", masterSecret());
        rotate(arn, handler("alternating-users", engine));
        rotate(arn, handler("alternating-users", engine));
        String stored = user.toUpperCase(Locale.ROOT);
        asMaster("REVOKE INSERT ON KEYTURN_OWNER.ORDERS FROM " + stored,
                "GRANT DELETE ON KEYTURN_OWNER.ORDERS TO " + stored);

        // when: the next rotation makes the clone current again
        rotate(arn, handler("alternating-users", engine));

        // then
        DatabaseSecret clone = current(arn);
        assertThat(clone.username()).isEqualTo(user + "_CLONE");
        assertThat(can(clone, "INSERT INTO KEYTURN_OWNER.ORDERS VALUES (2)")).isFalse();
        assertThat(can(clone, "DELETE FROM KEYTURN_OWNER.ORDERS WHERE ID = -1")).isTrue();
    }

    @Test
    void connect_by_sid_reaches_the_container_database() throws SQLException {
        // given
        ConnectionRequest bySid = new ConnectionRequest(ORACLE.getHost(), ORACLE.getOraclePort(), Optional.empty(),
                MASTER, ORACLE.getPassword(), TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true),
                Duration.ofSeconds(30), Map.of("sid", ORACLE.getSid()));

        // when / then
        try (Connection connection = engine.connect(bySid)) {
            engine.testConnection(connection);
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}, stopped after {1}")
    @CsvSource({
        "single-user, createSecret", "single-user, setSecret", "single-user, testSecret",
        "alternating-users, createSecret", "alternating-users, setSecret", "alternating-users, testSecret"})
    void a_rotation_stopped_after_a_step_finishes_when_retried_with_the_same_token(String strategy, String lastStep)
            throws SQLException {
        // given
        String user = newUser("Initial-Pa55word");
        String arn = secret(user, "Initial-Pa55word", strategy.equals("single-user") ? null : masterSecret());
        OracleRotationHandler handler = handler(strategy, engine);
        String token = secrets.startRotation(arn);
        for (String step : STEPS.subList(0, STEPS.indexOf(lastStep) + 1)) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }

        // when: Secrets Manager retries the whole rotation
        runSteps(handler, arn, token);

        // then
        DatabaseSecret current = current(arn);
        assertThat(secrets.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(logsIn(current.username(), current.password())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"single-user", "alternating-users"})
    void a_crash_inside_setSecret_after_the_database_change_is_recovered_by_the_retry(String strategy)
            throws SQLException {
        // given
        String user = newUser("Initial-Pa55word");
        String arn = secret(user, "Initial-Pa55word", strategy.equals("single-user") ? null : masterSecret());
        CrashingEngine crashing = new CrashingEngine(engine).crashAfterNextChange();
        OracleRotationHandler handler = handler(strategy, crashing);
        String token = secrets.startRotation(arn);
        handler.handleRequest(SecretsFixture.event("createSecret", arn, token), null);
        assertThatThrownBy(() -> handler.handleRequest(SecretsFixture.event("setSecret", arn, token), null))
                .isInstanceOf(RotationException.class);
        assertThat(crashing.crashes()).isEqualTo(1);

        // when
        runSteps(handler, arn, token);

        // then
        DatabaseSecret current = current(arn);
        assertThat(logsIn(current.username(), current.password())).isTrue();
        assertNoPasswordIn(log.all(), arn);
    }

    // rotation

    private OracleRotationHandler handler(String strategy, DatabaseEngine rotatingEngine) {
        return new OracleRotationHandler(secrets.client(), Settings.from(Map.of("ROTATION_STRATEGY", strategy)), log,
                rotatingEngine);
    }

    private void rotate(String arn, OracleRotationHandler handler) {
        runSteps(handler, arn, secrets.startRotation(arn));
    }

    private static void runSteps(OracleRotationHandler handler, String arn, String token) {
        for (String step : STEPS) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }
    }

    private DatabaseSecret current(String arn) {
        return DatabaseSecret.parse(secrets.valueOfStage(arn, "AWSCURRENT"));
    }

    private String secret(String user, String password, String masterArn) {
        return secrets.createSecret("oracle", json(user, password, masterArn));
    }

    private String masterSecret() {
        return secrets.createSecret("oracle-master", json(MASTER, ORACLE.getPassword(), null));
    }

    private static String json(String user, String password, String masterArn) {
        return "{\"engine\":\"oracle\",\"host\":\"" + ORACLE.getHost() + "\",\"port\":" + ORACLE.getOraclePort()
                + ",\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"dbname\":\""
                + ORACLE.getDatabaseName() + "\",\"ssl\":false"
                + (masterArn == null ? "" : ",\"masterarn\":\"" + masterArn + "\"") + "}";
    }

    private void assertNoPasswordIn(String text, String arn) {
        for (String value : secrets.allValues(arn)) {
            assertThat(text).doesNotContain(DatabaseSecret.parse(value).password());
        }
    }

    // the database, reached directly

    /** A user whose secret name is lower case, as RDS writes its master user's secret. */
    private static String newUser(String password) throws SQLException {
        String user = "app_" + suffix();
        String stored = user.toUpperCase(Locale.ROOT);
        asMaster("CREATE USER " + stored + " IDENTIFIED BY \"" + password + "\"",
                "GRANT CREATE SESSION TO " + stored,
                "GRANT ORDER_READERS TO " + stored,
                "GRANT INSERT ON KEYTURN_OWNER.ORDERS TO " + stored);
        return user;
    }

    private boolean logsIn(String user, String password) throws SQLException {
        try (Connection connection = engine.connect(request(user, password))) {
            engine.testConnection(connection);
            return true;
        } catch (SQLException e) {
            if (engine.classify(e) == LoginFailure.REFUSED) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the user may run the statement; false when Oracle denies the privilege. */
    private boolean can(DatabaseSecret user, String sql) throws SQLException {
        try (Connection connection = engine.connect(request(user.username(), user.password()));
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return true;
        } catch (SQLException e) {
            if (NO_PRIVILEGE.contains(e.getErrorCode())) {
                return false;
            }
            throw e;
        }
    }

    private static void asMaster(String... sqls) throws SQLException {
        try (Connection connection = new OracleEngine(Map.of()).connect(request(MASTER, ORACLE.getPassword()));
                Statement statement = connection.createStatement()) {
            for (String sql : sqls) {
                statement.execute(sql);
            }
        }
    }

    /** As SYS AS SYSDBA in the pluggable database: only SYS may own a password verify function. */
    private static void asSys(String sql) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "sys");
        properties.setProperty("password", ORACLE.getPassword());
        properties.setProperty("internal_logon", "sysdba");
        String url = "jdbc:oracle:thin:@//" + ORACLE.getHost() + ":" + ORACLE.getOraclePort() + "/"
                + ORACLE.getDatabaseName();
        try (Connection connection = new OracleDriver().connect(url, properties);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static ConnectionRequest request(String user, String password) {
        return new ConnectionRequest(ORACLE.getHost(), ORACLE.getOraclePort(), Optional.of(ORACLE.getDatabaseName()),
                user, password, TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true),
                Duration.ofSeconds(30));
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }
}
