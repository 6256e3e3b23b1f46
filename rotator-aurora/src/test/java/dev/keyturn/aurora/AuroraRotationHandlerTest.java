package dev.keyturn.aurora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.Settings;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.MotoServer;
import dev.keyturn.core.testing.SecretsFixture;
import dev.keyturn.mysql.testing.MariaDbTestServer;
import dev.keyturn.mysql.testing.TestAccounts;
import dev.keyturn.postgres.PostgresEngine;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The Aurora function end to end, with moto as Secrets Manager. No Aurora cluster runs here: MariaDB
 * stands in for Aurora MySQL (the same protocol; see the MySQL module's tests for the forms only
 * MySQL runs), and the test PostgreSQL 15 with password checks stands in for Aurora PostgreSQL.
 */
class AuroraRotationHandlerTest {
    private static final MariaDbTestServer MARIADB = MariaDbTestServer.get();
    private static final Map<String, String> SERVICES = MariaDbTestServer.testServiceSettings();
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());
    private final CapturingLogSink logs = new CapturingLogSink();
    private TestAccounts accounts;

    @BeforeEach
    void connect() throws SQLException {
        accounts = new TestAccounts(MARIADB, AuroraEngine.mysql());
    }

    @AfterEach
    void dropEverything() throws SQLException {
        accounts.close();
    }

    @Test
    void an_aurora_mysql_secret_should_be_rotated_by_the_mysql_engine() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", "Start-pw-1");
        String arn = secrets.createSecret("aurora-mysql", mysqlSecret("aurora-mysql", user, ""));

        rotate(arn);

        String password = currentField(arn, "password");
        assertThat(logsIn(AuroraEngine.mysql(), mariaDbLogin(user, password))).isTrue();
        assertThat(logsIn(AuroraEngine.mysql(), mariaDbLogin(user, "Start-pw-1"))).isFalse();
        assertThat(logs.all()).contains("\"aurora-mysql\"").doesNotContain(password, "Start-pw-1");
    }

    @Test
    void a_mysql_secret_with_a_cluster_identifier_should_be_rotated_by_the_mysql_engine() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", "Start-pw-1");
        String arn = secrets.createSecret("aurora-mysql-plain", mysqlSecret("mysql", user,
                ",\"dbClusterIdentifier\":\"cluster-1\""));

        rotate(arn);

        assertThat(logsIn(AuroraEngine.mysql(), mariaDbLogin(user, currentField(arn, "password")))).isTrue();
        assertThat(currentField(arn, "dbClusterIdentifier")).isEqualTo("cluster-1");
    }

    @Test
    void an_aurora_postgresql_secret_should_be_rotated_by_the_postgresql_engine() throws SQLException {
        assumeTrue(SERVICES.containsKey("KEYTURN_PG_ADMIN_PASSWORD"),
                "the test PostgreSQL runs (scripts/test-services)");
        String role = TestAccounts.uniqueName("kt");
        try (Connection admin = new PostgresEngine().connect(postgresLogin(SERVICES.get("KEYTURN_PG_ADMIN_USER"),
                SERVICES.get("KEYTURN_PG_ADMIN_PASSWORD")))) {
            execute(admin, "SET log_statement = 'none'");
            execute(admin, "CREATE ROLE \"" + role + "\" LOGIN PASSWORD 'Start-pw-1'");
            try {
                String arn = secrets.createSecret("aurora-postgresql", postgresSecret(role));

                rotate(arn);

                String password = currentField(arn, "password");
                assertThat(logsIn(AuroraEngine.postgresql(), postgresLogin(role, password))).isTrue();
                assertThat(logsIn(AuroraEngine.postgresql(), postgresLogin(role, "Start-pw-1"))).isFalse();
                assertThat(logs.all()).contains("\"aurora-postgresql\"").doesNotContain(password);
            } finally {
                execute(admin, "DROP ROLE IF EXISTS \"" + role + "\"");
            }
        }
    }

    @Test
    void a_plain_mysql_secret_should_be_refused_before_anything_changes() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", "Start-pw-1");
        String arn = secrets.createSecret("plain-mysql", mysqlSecret("mysql", user, ""));
        String token = secrets.startRotation(arn);

        assertThatThrownBy(() -> handler().handleRequest(SecretsFixture.event("createSecret", arn, token), null))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("the secret's engine is 'mysql'")
                .hasMessageContaining("dbClusterIdentifier");

        assertThat(secrets.valueOfVersion(arn, token)).isEmpty();
        assertThat(logsIn(AuroraEngine.mysql(), mariaDbLogin(user, "Start-pw-1"))).isTrue();
    }

    private AuroraRotationHandler handler() {
        Map<String, String> env = new HashMap<>();
        env.put("ROTATION_STRATEGY", "single-user");
        if (MARIADB.offersTls()) {
            env.put("TLS_CA_BUNDLE", MARIADB.ca().toString());
        } else {
            env.put("TLS_DEFAULT", "disabled");
        }
        return new AuroraRotationHandler(secrets.client(), Settings.from(env), logs);
    }

    private void rotate(String arn) {
        AuroraRotationHandler handler = handler();
        String token = secrets.startRotation(arn);
        for (String step : STEPS) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }
        assertThat(secrets.stagesOf(arn, token)).contains("AWSCURRENT");
    }

    private static String mysqlSecret(String engine, String user, String extraKeys) {
        return "{\"engine\":\"" + engine + "\",\"host\":\"" + MARIADB.host() + "\",\"port\":" + MARIADB.port()
                + ",\"username\":\"" + user + "\",\"password\":\"Start-pw-1\",\"ssl\":" + MARIADB.offersTls()
                + extraKeys + "}";
    }

    private static String postgresSecret(String role) {
        return "{\"engine\":\"aurora-postgresql\",\"host\":\"" + SERVICES.get("KEYTURN_PG_HOST") + "\",\"port\":"
                + SERVICES.get("KEYTURN_PG_PORT") + ",\"dbname\":\"postgres\",\"username\":\"" + role
                + "\",\"password\":\"Start-pw-1\",\"ssl\":" + MARIADB.offersTls() + "}";
    }

    private String currentField(String arn, String key) {
        return JsonNode.parser().parse(secrets.valueOfStage(arn, "AWSCURRENT")).asObject().get(key).asString();
    }

    private static ConnectionRequest mariaDbLogin(String user, String password) {
        return MARIADB.plaintext(user, password);
    }

    private static ConnectionRequest postgresLogin(String user, String password) {
        int port = Integer.parseInt(SERVICES.get("KEYTURN_PG_PORT"));
        return new ConnectionRequest(SERVICES.get("KEYTURN_PG_HOST"), port, Optional.of("postgres"), user, password,
                TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true), Duration.ofSeconds(5));
    }

    private static boolean logsIn(DatabaseEngine engine, ConnectionRequest request) throws SQLException {
        try (Connection connection = engine.connect(request)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (engine.classify(e) == LoginFailure.REFUSED) {
                return false;
            }
            throw e;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
