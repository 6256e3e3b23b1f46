package dev.keyturn.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.testing.MotoServer;
import dev.keyturn.core.testing.SecretsFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Each deployable jar, run by Lambda's own Java runtime interface client exactly as template.yaml
 * configures the function (see {@link LambdaFunction}), completes a rotation: the four steps against
 * moto as Secrets Manager and a real database server. This proves the artifact itself: that its
 * handler loads, that the runtime's serializer can build the event from what the jar ships, that the
 * SDK finds its HTTP client and SnapStart-style credentials, and that the driver works from the jar.
 *
 * <p>No MySQL server runs here: the MySQL function and Aurora's MySQL side rotate an account on the
 * MariaDB test server, which speaks the same protocol. No SQL Server or Oracle server runs here
 * either: those functions are run against a closed port, and must start, store the new password and
 * then answer with a clear error.
 */
class LambdaRuntimeRotationTest {
    private static final List<String> STEPS =
            List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());
    private final Map<TestDatabase.Account, TestDatabase> accounts = new LinkedHashMap<>();

    @TempDir
    Path workDirectory;

    static Stream<Arguments> enginesWithServers() {
        return Stream.of(
                Arguments.of(LambdaArtifact.POSTGRES, "postgres", TestDatabase.POSTGRES),
                Arguments.of(LambdaArtifact.MARIADB, "mariadb", TestDatabase.MARIADB),
                Arguments.of(LambdaArtifact.MYSQL, "mysql", TestDatabase.MARIADB),
                Arguments.of(LambdaArtifact.AURORA, "aurora-mysql", TestDatabase.MARIADB),
                Arguments.of(LambdaArtifact.AURORA, "aurora-postgresql", TestDatabase.POSTGRES));
    }

    static Stream<Arguments> enginesWithoutServers() {
        return Stream.of(
                Arguments.of(LambdaArtifact.SQLSERVER, "sqlserver", "master"),
                Arguments.of(LambdaArtifact.ORACLE, "oracle", "FREEPDB1"));
    }

    @ParameterizedTest(name = "{0} function rotates a {1} secret on the {2} test server")
    @MethodSource("enginesWithServers")
    void function_should_complete_a_rotation_when_run_by_the_lambda_runtime(LambdaArtifact artifact,
            String engine, TestDatabase database) throws IOException, SQLException {
        // given
        TestDatabase.Account account = createAccount(database);
        String secretArn = secrets.createSecret("keyturn-packaging",
                secretValue(engine, database.port, database.dbname.orElse(null), account));
        String token = secrets.startRotation(secretArn);

        // when
        List<LocalRuntimeApi.Result> results;
        int restores;
        int credentialRequests;
        LambdaFunction function = LambdaFunction.start(artifact, functionSettings(), workDirectory);
        try (function) {
            results = STEPS.stream().map(step -> function.invoke(step, secretArn, token))
                    .collect(Collectors.toList());
            restores = function.restores();
            credentialRequests = function.credentialRequests();
        }
        String output = function.output();

        // then
        assertThat(results).allSatisfy(result -> assertThat(result.failed()).as(result.body()).isFalse());
        assertThat(restores).as("SnapStart restore hooks run").isEqualTo(1);
        assertThat(credentialRequests).as("credentials from the container endpoint").isPositive();
        String newPassword = assertRotated(secretArn, token, database, account);
        assertThat(output)
                .contains("\"Namespace\":\"Keyturn\"")
                .doesNotContain("SnapStart priming failed")
                .doesNotContain(account.password())
                .doesNotContain(newPassword);
        assertThat(output.split("\"message\":\"step finished\"", -1)).hasSize(STEPS.size() + 1);
    }

    @ParameterizedTest(name = "{0} function reports that the server of a {1} secret is unreachable")
    @MethodSource("enginesWithoutServers")
    void function_should_report_an_unreachable_database_when_run_by_the_lambda_runtime(
            LambdaArtifact artifact, String engine, String dbname) throws IOException {
        // given
        TestDatabase.Account account = new TestDatabase.Account("keyturn_app", UUID.randomUUID().toString());
        int closedPort = closedPort();
        String original = secretValue(engine, closedPort, dbname, account);
        String secretArn = secrets.createSecret("keyturn-packaging", original);
        String token = secrets.startRotation(secretArn);

        // when
        LocalRuntimeApi.Result created;
        LocalRuntimeApi.Result set;
        LambdaFunction function = LambdaFunction.start(artifact, functionSettings(), workDirectory);
        try (function) {
            created = function.invoke("createSecret", secretArn, token);
            set = function.invoke("setSecret", secretArn, token);
        }
        String output = function.output();

        // then
        assertThat(created.failed()).as(created.body()).isFalse();
        assertThat(set.failed()).isTrue();
        assertThat(field(set.body(), "errorType")).startsWith("dev.keyturn.core.");
        assertThat(field(set.body(), "errorMessage"))
                .contains("could not reach the database")
                .contains(String.valueOf(closedPort));
        assertThat(secrets.valueOfStage(secretArn, "AWSCURRENT")).isEqualTo(original);
        String pendingPassword = field(secrets.valueOfVersion(secretArn, token).orElseThrow(), "password");
        assertThat(set.body() + output).doesNotContain(account.password()).doesNotContain(pendingPassword);
    }

    @AfterEach
    void dropAccounts() throws SQLException {
        for (Map.Entry<TestDatabase.Account, TestDatabase> created : accounts.entrySet()) {
            created.getValue().dropAccount(created.getKey());
        }
    }

    private TestDatabase.Account createAccount(TestDatabase database) throws SQLException {
        TestDatabase.Account account = database.createAccount();
        accounts.put(account, database);
        return account;
    }

    /**
     * Checks that the token's version is AWSCURRENT with a new password the server accepts, and that
     * the old password, now AWSPREVIOUS, is refused.
     *
     * @return the new password
     */
    private String assertRotated(String secretArn, String token, TestDatabase database,
            TestDatabase.Account account) throws SQLException {
        assertThat(secrets.stagesOf(secretArn, token)).contains("AWSCURRENT");
        String newPassword = field(secrets.valueOfStage(secretArn, "AWSCURRENT"), "password");
        assertThat(newPassword).isNotEqualTo(account.password());
        String previousPassword = field(secrets.valueOfStage(secretArn, "AWSPREVIOUS"), "password");
        assertThat(previousPassword).isEqualTo(account.password());
        assertThat(database.accepts(account.user(), newPassword)).as("new password accepted").isTrue();
        assertThat(database.accepts(account.user(), previousPassword)).as("old password accepted").isFalse();
        return newPassword;
    }

    /** What the tests set on top of the template's defaults: where Secrets Manager and the test CA are. */
    private static Map<String, String> functionSettings() {
        return Map.of(
                "SECRETS_MANAGER_ENDPOINT", MotoServer.endpoint().toString(),
                "TLS_CA_BUNDLE", TestServices.get().caBundle().toString());
    }

    private static String secretValue(String engine, int port, String dbname, TestDatabase.Account account) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("engine").writeValue(engine);
        json.writeFieldName("host").writeValue(TestServices.HOST);
        json.writeFieldName("port").writeValue(port);
        json.writeFieldName("username").writeValue(account.user());
        json.writeFieldName("password").writeValue(account.password());
        if (dbname != null) {
            json.writeFieldName("dbname").writeValue(dbname);
        }
        json.writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    private static String field(String json, String name) {
        JsonNode value = JsonNode.parser().parse(json).asObject().get(name);
        assertThat(value).as("field %s", name).isNotNull();
        return value.text();
    }

    /** A loopback port nothing listens on: connections to it are refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
