package dev.keyturn.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.PasswordRules;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import dev.keyturn.core.testing.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class SqlServerEngineTest {
    private final SqlServerEngine engine = new SqlServerEngine();

    @Test
    void classify_calls_a_closed_port_unreachable_as_the_real_driver_reports_it() throws IOException {
        // given: a port nothing listens on (the real driver, no server)
        ConnectionRequest request = request("127.0.0.1", closedPort(), TlsSettings.Mode.VERIFIED, trust(false));

        // when
        SQLException failure = catchThrowableOfType(SQLException.class, () -> engine.connect(request));

        // then
        assertThat(failure.getSQLState()).isEqualTo(SqlServerEngine.CONNECTION_FAILURE);
        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.UNREACHABLE);
        assertThat(failure.getMessage()).doesNotContain(request.password());
    }

    @Test
    void classify_calls_an_unknown_host_unreachable() {
        // given
        ConnectionRequest request = request("no-such-host.invalid", 1433, TlsSettings.Mode.PLAINTEXT, trust(true));

        // when
        SQLException failure = catchThrowableOfType(SQLException.class, () -> engine.connect(request));

        // then
        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.UNREACHABLE);
    }

    @Test
    void classify_reads_the_server_error_numbers_of_a_failed_login() {
        assertThat(engine.classify(new SQLException("Login failed for user 'app'.", "S0001", 18456)))
                .isEqualTo(LoginFailure.REFUSED);
        assertThat(engine.classify(new SQLException("account is currently locked out", "S0001", 18486)))
                .isEqualTo(LoginFailure.LOCKED);
        assertThat(engine.classify(new SQLException("The account is disabled.", "S0001", 18470)))
                .isEqualTo(LoginFailure.LOCKED);
        assertThat(engine.classify(new SQLException("Cannot open database", "S0001", 4060)))
                .isEqualTo(LoginFailure.OTHER);
    }

    @Test
    void classify_tells_a_failed_tls_handshake_from_a_server_that_never_answered() {
        // given: the driver reports both with SQLState 08S01 and error number 0
        SQLException handshake = new SQLException("could not establish a secure connection", "08S01", 0,
                new SSLHandshakeException("PKIX path building failed"));

        // when / then
        assertThat(engine.classify(handshake)).isEqualTo(LoginFailure.OTHER);
    }

    @Test
    void serves_sqlserver_secrets_and_the_rds_engine_names() {
        assertThat(engine.serves(secret("sqlserver"))).isTrue();
        assertThat(engine.serves(secret("sqlserver-ee"))).isTrue();
        assertThat(engine.serves(secret("SQLServer-web"))).isTrue();
        assertThat(engine.serves(secret("mysql"))).isFalse();
        assertThat(engine.serves(secret("sqlserverless"))).isFalse();
    }

    @Test
    void passwordRules_accept_any_printable_password_up_to_128_characters() {
        // given
        PasswordRules rules = engine.passwordRules();

        // then
        assertThat(rules.excludedCharacters()).isEmpty();
        assertThat(rules.violation(SqlServerStatementsTest.ALL_PRINTABLE)).isEmpty();
        assertThat(rules.violation("a".repeat(128))).isEmpty();
        assertThat(rules.violation("a".repeat(129))).isPresent();
    }

    @Test
    void userNameProblem_refuses_windows_logins() {
        assertThat(engine.userNameProblem("CORP\\app")).contains("Windows login");
        assertThat(engine.userNameProblem("app]user")).isNull();
    }

    @Test
    void tlsProperties_turn_encryption_off_for_plaintext() {
        // when
        Properties properties = SqlServerEngine.tlsProperties(
                request("db", 1433, TlsSettings.Mode.PLAINTEXT, trust(true)));

        // then
        assertThat(properties).containsOnlyKeys("encrypt").containsEntry("encrypt", "false");
    }

    @Test
    void tlsProperties_verify_against_the_jvm_trust_store_when_no_bundle_is_configured() {
        // when
        Properties properties = SqlServerEngine.tlsProperties(
                request("db", 1433, TlsSettings.Mode.VERIFIED, trust(true)));

        // then
        assertThat(properties).containsEntry("encrypt", "true").containsEntry("trustServerCertificate", "false")
                .doesNotContainKeys("trustStore", "trustManagerClass", "hostNameInCertificate");
    }

    @Test
    void tlsProperties_use_the_ca_bundle_as_a_pkcs12_trust_store_when_host_names_are_verified() {
        // given
        Path bundle = TestCertificates.newAuthority("Keyturn Test CA").caPem();
        TrustSettings trust = new TrustSettings(Optional.of(bundle), true);

        // when
        Properties properties = SqlServerEngine.tlsProperties(request("db", 1433, TlsSettings.Mode.VERIFIED, trust));

        // then
        assertThat(properties).containsEntry("encrypt", "true").containsEntry("trustServerCertificate", "false")
                .containsEntry("trustStoreType", "PKCS12")
                .containsEntry("trustStore", trust.caKeyStore().orElseThrow().path().toString())
                .doesNotContainKey("trustManagerClass");
    }

    @Test
    void tlsProperties_check_the_chain_alone_when_host_names_are_not_verified() {
        // given
        Path bundle = Path.of("/etc/keyturn/ca.pem");

        // when
        Properties properties = SqlServerEngine.tlsProperties(request("db", 1433, TlsSettings.Mode.VERIFIED,
                new TrustSettings(Optional.of(bundle), false)));

        // then
        assertThat(properties).containsEntry("encrypt", "true").containsEntry("trustServerCertificate", "false")
                .containsEntry("trustManagerClass", ChainOnlyTrustManager.class.getName())
                .containsEntry("trustManagerConstructorArg", bundle.toString());
    }

    private static ConnectionRequest request(String host, int port, TlsSettings.Mode mode, TrustSettings trust) {
        return new ConnectionRequest(host, port, Optional.of("appdb"), "app", "Secret-Pa55word", mode, trust,
                Duration.ofSeconds(5));
    }

    private static TrustSettings trust(boolean verifyHostname) {
        return new TrustSettings(Optional.empty(), verifyHostname);
    }

    private static DatabaseSecret secret(String engine) {
        return DatabaseSecret.parse("{\"engine\":\"" + engine + "\",\"host\":\"db\",\"username\":\"app\","
                + "\"password\":\"x\"}");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
