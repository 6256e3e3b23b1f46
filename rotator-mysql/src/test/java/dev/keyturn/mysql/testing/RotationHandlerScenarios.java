package dev.keyturn.mysql.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.MotoServer;
import dev.keyturn.core.testing.SecretsFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * A MySQL-family function end to end: the handler Lambda calls, moto as Secrets Manager, and the real
 * MariaDB test server. The MySQL and MariaDB modules each run it with their own engine and handler.
 */
public abstract class RotationHandlerScenarios {
    private static final MariaDbTestServer SERVER = MariaDbTestServer.get();
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());
    private final CapturingLogSink logs = new CapturingLogSink();
    private final DatabaseEngine engine = engine();
    private TestAccounts accounts;

    /** The engine under test, also used to check logins. */
    protected abstract DatabaseEngine engine();

    /** The {@code engine} value its secrets carry. */
    protected abstract String engineValue();

    /** The function's handler, built with the test's client, settings and log. */
    protected abstract RotationHandler handler(SecretsFixture secrets, Settings settings, CapturingLogSink logs);

    @BeforeEach
    protected void connect() throws SQLException {
        accounts = new TestAccounts(SERVER, engine);
    }

    @AfterEach
    protected void dropEverything() throws SQLException {
        accounts.close();
    }

    @Test
    public void single_user_rotation_should_leave_the_new_password_in_the_database_and_in_awscurrent()
            throws Exception {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", "Start-pw-1");
        String arn = secrets.createSecret(engineValue() + "-single", secretJson(user, "Start-pw-1", null));

        rotate(handler("single-user"), arn);

        Map<String, String> current = fields(secrets.valueOfStage(arn, "AWSCURRENT"));
        assertThat(current.get("username")).isEqualTo(user);
        assertThat(current.get("password")).isNotEqualTo("Start-pw-1");
        assertThat(logsIn(user, current.get("password"))).isTrue();
        assertThat(logsIn(user, "Start-pw-1")).isFalse();
        assertThat(logs.all()).doesNotContain(current.get("password"), "Start-pw-1");
    }

    @Test
    public void alternating_users_rotation_should_move_to_the_clone_with_the_originals_grants() throws Exception {
        String user = TestAccounts.uniqueName("kt");
        String master = TestAccounts.uniqueName("ktm");
        String db = accounts.createDatabase();
        accounts.createUser(user, "%", "Start-pw-1");
        accounts.createUser(master, "%", "Master-pw-1");
        accounts.forgetAllHostsOf(user + "_clone");
        accounts.run("GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION", master, "%");
        accounts.run("GRANT SELECT ON `" + db + "`.* TO ?@?", user, "%");
        String masterArn = secrets.createSecret(engineValue() + "-master",
                secretJson(master, "Master-pw-1", null));
        String arn = secrets.createSecret(engineValue() + "-alternating",
                secretJson(user, "Start-pw-1", masterArn));

        rotate(handler("alternating-users"), arn);

        Map<String, String> current = fields(secrets.valueOfStage(arn, "AWSCURRENT"));
        assertThat(current.get("username")).isEqualTo(user + "_clone");
        assertThat(current.get("masterarn")).isEqualTo(masterArn);
        assertThat(logsIn(user + "_clone", current.get("password"))).isTrue();
        assertThat(logsIn(user, "Start-pw-1")).as("the original keeps working until the next rotation").isTrue();
        assertThat(accounts.grantsWithoutGrantee(user + "_clone", "%"))
                .containsExactlyInAnyOrderElementsOf(accounts.grantsWithoutGrantee(user, "%"));
        assertThat(logs.all()).doesNotContain(current.get("password"), "Start-pw-1", "Master-pw-1");
    }

    private RotationHandler handler(String strategy) {
        Map<String, String> env = new HashMap<>();
        env.put("ROTATION_STRATEGY", strategy);
        if (SERVER.offersTls()) {
            env.put("TLS_CA_BUNDLE", SERVER.ca().toString());
        } else {
            env.put("TLS_DEFAULT", "disabled");
        }
        return handler(secrets, Settings.from(env), logs);
    }

    private void rotate(RotationHandler handler, String arn) {
        String token = secrets.startRotation(arn);
        for (String step : STEPS) {
            handler.handleRequest(SecretsFixture.event(step, arn, token), null);
        }
        assertThat(secrets.stagesOf(arn, token)).contains("AWSCURRENT");
    }

    private String secretJson(String user, String password, String masterArn) {
        StringBuilder json = new StringBuilder("{\"engine\":\"" + engineValue() + "\",\"host\":\""
                + SERVER.host() + "\",\"port\":" + SERVER.port() + ",\"username\":\"" + user
                + "\",\"password\":\"" + password + "\",\"ssl\":" + SERVER.offersTls()
                + ",\"kept\":\"as it was\"");
        if (masterArn != null) {
            json.append(",\"masterarn\":\"").append(masterArn).append('"');
        }
        return json.append('}').toString();
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> fields = new HashMap<>();
        JsonNode.parser().parse(json).asObject().forEach((key, value) ->
                fields.put(key, value.isString() ? value.asString() : value.toString()));
        assertThat(fields).containsEntry("kept", "as it was");
        return fields;
    }

    private boolean logsIn(String user, String password) throws SQLException {
        try (Connection connection = engine.connect(SERVER.plaintext(user, password))) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (engine.classify(e) == LoginFailure.REFUSED) {
                return false;
            }
            throw e;
        }
    }
}
