package dev.keyturn.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.Settings;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.MotoServer;
import dev.keyturn.core.testing.SecretsFixture;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler Lambda runs, wired to the PostgreSQL engine, against moto and the test cluster. */
class PostgresRotationHandlerTest {
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final TestCluster cluster = TestCluster.get();
    private final TestRoles roles = new TestRoles();
    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());
    private final CapturingLogSink logs = new CapturingLogSink();

    @AfterEach
    void dropRoles() throws SQLException {
        roles.close();
    }

    @Test
    void handleRequest_should_rotate_a_postgres_secret_through_the_four_steps() throws SQLException {
        // given
        String user = roles.create(TestCluster.uniqueName("kt_handler"), "first-password-1");
        String arn = secrets.createSecret("kt-handler", secretJson("postgresql", user, "first-password-1"));
        String token = secrets.startRotation(arn);
        PostgresRotationHandler handler = handler();

        // when
        for (String step : STEPS) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }

        // then
        DatabaseSecret current = DatabaseSecret.parse(secrets.valueOfStage(arn, "AWSCURRENT"));
        assertThat(secrets.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(roles.canLogin(user, current.password())).isTrue();
        assertThat(roles.canLogin(user, "first-password-1")).isFalse();
        assertThat(logs.all()).doesNotContain(current.password()).doesNotContain("first-password-1");
    }

    @Test
    void handleRequest_should_refuse_a_secret_of_another_engine_and_name_the_ones_it_rotates() {
        String arn = secrets.createSecret("kt-handler", secretJson("mysql", "app", "first-password-1"));
        String token = secrets.startRotation(arn);

        assertThatThrownBy(() -> handler().handleRequest(SecretsFixture.event("createSecret", arn, token), null))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("'mysql'")
                .hasMessageContaining("postgres (or postgresql)");
        assertThat(secrets.valueOfVersion(arn, token)).isEmpty();
    }

    private PostgresRotationHandler handler() {
        Settings settings = Settings.from(Map.of("ROTATION_STRATEGY", "single-user",
                "TLS_CA_BUNDLE", cluster.caBundle().toString()));
        return new PostgresRotationHandler(MotoServer.client(), settings, logs, new PostgresEngine());
    }

    private static String secretJson(String engine, String user, String password) {
        return "{\"engine\":\"" + engine + "\",\"host\":\"" + TestCluster.HOST + "\",\"port\":" + TestCluster.PORT
                + ",\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"dbname\":\"postgres\","
                + "\"ssl\":true}";
    }
}
