package dev.keyturn.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections to the scram-sha-256 test cluster: TLS verification, timeouts and failure classes. */
class PostgresConnectTest {
    private final TestCluster cluster = TestCluster.get();
    private final PostgresEngine engine = new PostgresEngine();
    private final TestRoles roles = new TestRoles();

    @AfterEach
    void dropRoles() throws SQLException {
        roles.close();
    }

    @Test
    void connect_should_use_tls_verified_against_the_ca_bundle() throws SQLException {
        // given
        ConnectionRequest request = cluster.verified(TestCluster.HOST, cluster.adminUser, cluster.adminPassword,
                cluster.caBundle(), true);

        // when
        try (Connection connection = engine.connect(request)) {
            // then
            assertThat(sessionUsesTls(connection)).isTrue();
        }
    }

    @Test
    void connect_should_accept_localhost_which_the_certificate_names() throws SQLException {
        ConnectionRequest request = cluster.verified("localhost", cluster.adminUser, cluster.adminPassword,
                cluster.caBundle(), true);

        try (Connection connection = engine.connect(request)) {
            assertThat(sessionUsesTls(connection)).isTrue();
        }
    }

    @Test
    void connect_should_refuse_a_certificate_signed_by_another_ca() {
        ConnectionRequest request = cluster.verified(TestCluster.HOST, cluster.adminUser, cluster.adminPassword,
                cluster.wrongCaBundle(), true);

        assertThatThrownBy(() -> engine.connect(request).close())
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(engine.classify(e)).isEqualTo(LoginFailure.OTHER));
    }

    @Test
    void connect_should_refuse_a_host_the_certificate_does_not_name_when_host_names_are_checked() {
        ConnectionRequest request = cluster.verified(TestCluster.ALIAS_HOST, cluster.adminUser,
                cluster.adminPassword, cluster.caBundle(), true);

        assertThatThrownBy(() -> engine.connect(request).close())
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(engine.classify(e)).isEqualTo(LoginFailure.OTHER));
    }

    @Test
    void connect_should_accept_a_host_the_certificate_does_not_name_when_host_names_are_not_checked()
            throws SQLException {
        ConnectionRequest request = cluster.verified(TestCluster.ALIAS_HOST, cluster.adminUser,
                cluster.adminPassword, cluster.caBundle(), false);

        try (Connection connection = engine.connect(request)) {
            assertThat(sessionUsesTls(connection)).isTrue();
        }
    }

    @Test
    void connect_should_fall_back_to_the_jvm_trust_store_without_a_bundle_and_so_refuse_the_test_ca() {
        // the JVM's trust store does not hold the test CA, so this proves verification happens
        ConnectionRequest request = cluster.request(TestCluster.HOST, cluster.adminUser, cluster.adminPassword,
                TlsSettings.Mode.VERIFIED, new TrustSettings(Optional.empty(), true));

        assertThatThrownBy(() -> engine.connect(request).close())
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(engine.classify(e)).isEqualTo(LoginFailure.OTHER));
    }

    @Test
    void connect_should_not_use_tls_for_a_plaintext_request() throws SQLException {
        try (Connection connection = engine.connect(cluster.plaintext(cluster.adminUser, cluster.adminPassword))) {
            assertThat(sessionUsesTls(connection)).isFalse();
        }
    }

    @Test
    void classify_should_call_a_wrong_password_refused() throws SQLException {
        String user = roles.create(TestCluster.uniqueName("kt_refused"), "right-password-1");

        SQLException failure = connectFailure(cluster.plaintext(user, "wrong-password-1"));

        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.REFUSED);
    }

    @Test
    void classify_should_call_an_unknown_user_refused() {
        SQLException failure = connectFailure(cluster.plaintext(TestCluster.uniqueName("kt_nobody"), "pw-12345678"));

        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.REFUSED);
    }

    @Test
    void classify_should_call_a_closed_port_unreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConnectionRequest request = new ConnectionRequest(TestCluster.HOST, closedPort, Optional.empty(), "x", "y",
                TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true), TestCluster.TIMEOUT);

        assertThat(engine.classify(connectFailure(request))).isEqualTo(LoginFailure.UNREACHABLE);
    }

    @Test
    void classify_should_call_an_unknown_host_unreachable() {
        // .invalid is reserved (RFC 2606) and never resolves
        ConnectionRequest request = new ConnectionRequest("keyturn-test.invalid", 5432, Optional.empty(), "x", "y",
                TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true), TestCluster.TIMEOUT);

        assertThat(engine.classify(connectFailure(request))).isEqualTo(LoginFailure.UNREACHABLE);
    }

    @Test
    void connect_should_open_a_database_whose_name_needs_encoding() throws SQLException {
        // given a database whose name would break a URL if it were pasted in
        String database = "kt db/?&=#" + TestCluster.uniqueName("");
        roles.asAdmin("CREATE DATABASE \"" + database + "\"");
        try {
            ConnectionRequest request = new ConnectionRequest(TestCluster.HOST, TestCluster.PORT,
                    Optional.of(database), cluster.adminUser, cluster.adminPassword, TlsSettings.Mode.PLAINTEXT,
                    new TrustSettings(Optional.empty(), true), TestCluster.TIMEOUT);

            // when
            try (Connection connection = engine.connect(request);
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT current_database()")) {
                // then
                row.next();
                assertThat(row.getString(1)).isEqualTo(database);
            }
        } finally {
            roles.asAdmin("DROP DATABASE \"" + database + "\"");
        }
    }

    @Test
    void connect_should_refuse_a_host_that_would_add_url_parameters() {
        ConnectionRequest request = new ConnectionRequest("db.example.com/postgres?sslmode=disable", 5432,
                Optional.empty(), "x", "y", TlsSettings.Mode.VERIFIED, new TrustSettings(Optional.empty(), true),
                TestCluster.TIMEOUT);

        assertThatThrownBy(() -> engine.connect(request)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("host");
    }

    @Test
    void url_should_bracket_an_ipv6_address_and_default_the_database() {
        ConnectionRequest request = new ConnectionRequest("::1", 5432, Optional.empty(), "x", "y",
                TlsSettings.Mode.PLAINTEXT, new TrustSettings(Optional.empty(), true), TestCluster.TIMEOUT);

        assertThat(PostgresConnector.url(request)).isEqualTo("jdbc:postgresql://[::1]:5432/postgres");
    }

    @Test
    void properties_should_carry_the_timeouts_and_no_tls_fallback() {
        ConnectionRequest request = cluster.verified(TestCluster.HOST, "x", "y", cluster.caBundle(), true);

        assertThat(PostgresConnector.properties(request))
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", cluster.caBundle().toString())
                .containsEntry("connectTimeout", "5")
                .containsEntry("loginTimeout", "5")
                .containsEntry("socketTimeout", "5");
    }

    private SQLException connectFailure(ConnectionRequest request) {
        try (Connection unexpected = engine.connect(request)) {
            throw new AssertionError("connected, but the test expected a failure: " + unexpected);
        } catch (SQLException e) {
            return e;
        }
    }

    private static boolean sessionUsesTls(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            row.next();
            return row.getBoolean(1);
        }
    }
}
