package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.testing.CapturingLogSink;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The secret's other string keys reach the engine with each connection request (Oracle reads its
 * {@code sid} there), and the credentials never travel that way. The engine here is a stand-in at the
 * JDBC boundary: only the request it receives matters.
 */
class LoginsAttributesTest {

    @Test
    void a_connection_request_carries_the_secrets_string_keys_but_not_its_credentials() {
        // given
        AtomicReference<ConnectionRequest> received = new AtomicReference<>();
        DatabaseSecret secret = DatabaseSecret.parse("{\"engine\":\"oracle\",\"host\":\"db\",\"port\":1521,"
                + "\"username\":\"app\",\"password\":\"Secret-Pa55\",\"sid\":\"ORCL\",\"ssl\":false,"
                + "\"dbClusterIdentifier\":\"c1\"}");
        Logins logins = new Logins(recordingEngine(received), Settings.from(Map.of("ROTATION_STRATEGY", "single-user")),
                RotationLog.to(new CapturingLogSink()), new StepCounters(), new HashSet<>());

        // when
        logins.tryLogin(secret, "app", "Secret-Pa55", "AWSCURRENT");

        // then
        ConnectionRequest request = received.get();
        assertThat(request.attribute("sid")).contains("ORCL");
        assertThat(request.attribute("dbClusterIdentifier")).contains("c1");
        assertThat(request.attributes()).doesNotContainKeys("username", "password", "ssl", "port");
        assertThat(request.attributes().values()).doesNotContain("Secret-Pa55");
    }

    @Test
    void a_request_made_without_attributes_has_none() {
        // when
        ConnectionRequest request = new ConnectionRequest("db", 1, java.util.Optional.empty(), "u", "p",
                TlsSettings.Mode.PLAINTEXT, new TrustSettings(java.util.Optional.empty(), true),
                java.time.Duration.ofSeconds(1));

        // then
        assertThat(request.attributes()).isEmpty();
        assertThat(request.attribute("sid")).isEmpty();
    }

    private static DatabaseEngine recordingEngine(AtomicReference<ConnectionRequest> received) {
        return new DatabaseEngine() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public boolean serves(DatabaseSecret secret) {
                return true;
            }

            @Override
            public String servedEngines() {
                return "any";
            }

            @Override
            public int defaultPort() {
                return 1;
            }

            @Override
            public int maxUserNameLength() {
                return 128;
            }

            @Override
            public PasswordRules passwordRules() {
                return PasswordRules.upTo(128);
            }

            @Override
            public Connection connect(ConnectionRequest request) {
                received.set(request);
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
            }

            @Override
            public LoginFailure classify(SQLException failure) {
                return LoginFailure.OTHER;
            }

            @Override
            public void changeOwnPassword(Connection asUser, String username, String oldPassword,
                    String newPassword) {
            }

            @Override
            public void setPassword(Connection asMaster, String username, String newPassword) {
            }

            @Override
            public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser,
                    String newPassword) {
            }
        };
    }
}
