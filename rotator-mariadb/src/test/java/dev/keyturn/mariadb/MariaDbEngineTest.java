package dev.keyturn.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.mysql.testing.MariaDbTestServer;
import dev.keyturn.mysql.testing.TestAccounts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MariaDbEngine} against a real MariaDB 10.11 that checks passwords. */
class MariaDbEngineTest {
    private static final MariaDbTestServer SERVER = MariaDbTestServer.get();
    private static final String START_PASSWORD = "Start-pw-1";
    private static final String ALL_PRINTABLE = IntStream.rangeClosed(' ', '~')
            .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());

    private final MariaDbEngine engine = new MariaDbEngine();
    private TestAccounts accounts;

    @BeforeEach
    void connect() throws SQLException {
        accounts = new TestAccounts(SERVER, engine);
    }

    @AfterEach
    void dropEverything() throws SQLException {
        accounts.close();
    }

    static Stream<String> hostileNameParts() {
        return Stream.of("o'brien", "back\\slash", "with space", "q\"uote", "back`tick", "m?rk", "x;--", "ünïcødé名");
    }

    // changing a user's own password

    /** MariaDB Connector/J follows the session's sql_mode, so every quoting mode must carry the password as it is. */
    @ParameterizedTest
    @ValueSource(strings = {"", "NO_BACKSLASH_ESCAPES", "ANSI_QUOTES", "ANSI_QUOTES,NO_BACKSLASH_ESCAPES"})
    void changeOwnPassword_should_set_every_printable_character_in_each_quoting_mode(String sqlMode)
            throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", START_PASSWORD);

        try (Connection asUser = login(user, START_PASSWORD)) {
            execute(asUser, "SET SESSION sql_mode = '" + sqlMode + "'");
            engine.changeOwnPassword(asUser, user, START_PASSWORD, ALL_PRINTABLE);
        }

        assertThat(logsIn(user, ALL_PRINTABLE)).isTrue();
        assertThat(logsIn(user, START_PASSWORD)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("hostileNameParts")
    void changeOwnPassword_should_change_a_user_with_a_hostile_name(String namePart) throws SQLException {
        String user = TestAccounts.uniqueName("k") + namePart;
        accounts.createUser(user, "%", START_PASSWORD);

        try (Connection asUser = login(user, START_PASSWORD)) {
            engine.changeOwnPassword(asUser, user, START_PASSWORD, "'; DROP USER root; --");
        }

        assertThat(logsIn(user, "'; DROP USER root; --")).isTrue();
    }

    @Test
    void changeOwnPassword_should_change_a_user_whose_name_has_the_longest_length_mariadb_accepts()
            throws SQLException {
        String user = TestAccounts.uniqueName("kt") + "x".repeat(MariaDbEngine.MAX_USER_NAME_LENGTH - 8);
        accounts.createUser(user, "%", START_PASSWORD);

        try (Connection asUser = login(user, START_PASSWORD)) {
            engine.changeOwnPassword(asUser, user, START_PASSWORD, "New-pw-2");
        }

        assertThat(user).hasSize(engine.maxUserNameLength());
        assertThat(logsIn(user, "New-pw-2")).isTrue();
    }

    @Test
    void changeOwnPassword_and_setPassword_should_keep_an_ed25519_account_on_ed25519() throws SQLException {
        assumeTrue(ed25519Available(), "the server can load the auth_ed25519 plugin");
        String user = TestAccounts.uniqueName("kt");
        accounts.forget(user, "%");
        accounts.run("CREATE USER ?@? IDENTIFIED VIA ed25519 USING PASSWORD(?)", user, "%", START_PASSWORD);

        try (Connection asUser = login(user, START_PASSWORD)) {
            engine.changeOwnPassword(asUser, user, START_PASSWORD, "New-pw-2");
        }
        assertThat(pluginOf(user, "%")).isEqualTo("ed25519");
        assertThat(logsIn(user, "New-pw-2")).isTrue();

        engine.setPassword(accounts.admin(), user, "New-pw-3");
        assertThat(pluginOf(user, "%")).isEqualTo("ed25519");
        assertThat(logsIn(user, "New-pw-3")).isTrue();

        engine.createOrSyncUser(accounts.admin(), user, user + "_clone", "Clone-pw-1");
        accounts.forgetAllHostsOf(user + "_clone");
        assertThat(pluginOf(user + "_clone", "%")).isEqualTo("ed25519");
        assertThat(logsIn(user + "_clone", "Clone-pw-1")).isTrue();
    }

    // through the master

    @Test
    void setPassword_should_change_every_host_of_the_user_and_skip_a_role_of_the_same_name() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "127.0.0.1", START_PASSWORD);
        accounts.createUser(user, "localhost", START_PASSWORD);
        accounts.createRole(user);

        engine.setPassword(accounts.admin(), user, ALL_PRINTABLE);

        assertThat(logsIn(user, ALL_PRINTABLE)).isTrue();
        assertThat(accounts.column("SELECT Host FROM mysql.user WHERE User = ? AND authentication_string = "
                + "PASSWORD(?) ORDER BY Host", user, ALL_PRINTABLE)).containsExactly("127.0.0.1", "localhost");
    }

    @Test
    void createOrSyncUser_should_keep_the_clone_in_step_with_the_original() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        String db = accounts.createDatabase();
        String role = TestAccounts.uniqueName("ktr_");
        accounts.createRole(role);
        accounts.createUser(user, "%", START_PASSWORD, "REQUIRE SSL");
        accounts.forgetAllHostsOf(clone);
        accounts.run("GRANT SELECT, INSERT ON `" + db + "`.* TO ?@?", user, "%");
        accounts.run("GRANT `" + role + "` TO ?@?", user, "%");
        accounts.run("SET DEFAULT ROLE `" + role + "` FOR ?@?", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");
        assertSameGrants(user, clone);

        accounts.run("REVOKE INSERT ON `" + db + "`.* FROM ?@?", user, "%");
        accounts.run("GRANT DELETE ON `" + db + "`.t TO ?@?", user, "%");
        accounts.run("ALTER USER ?@? REQUIRE NONE", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-2");

        assertSameGrants(user, clone);
        assertThat(logsIn(clone, "Clone-pw-2")).isTrue();
    }

    // reading login failures

    @Test
    void classify_should_call_a_wrong_password_refused() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", START_PASSWORD);

        assertThat(engine.classify(loginFailure(SERVER.plaintext(user, "wrong")))).isEqualTo(LoginFailure.REFUSED);
        assertThat(engine.classify(loginFailure(SERVER.plaintext(TestAccounts.uniqueName("nobody"), "x"))))
                .isEqualTo(LoginFailure.REFUSED);
    }

    @Test
    void classify_should_call_a_locked_account_locked() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", START_PASSWORD, "ACCOUNT LOCK");

        SQLException failure = loginFailure(SERVER.plaintext(user, START_PASSWORD));

        assertThat(failure.getErrorCode()).isEqualTo(MariaDbEngine.ACCOUNT_LOCKED);
        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.LOCKED);
    }

    /**
     * The vendor code is the boundary: blocking needs max_password_errors, a global setting the
     * shared test server must not have changed under the other tests.
     */
    @Test
    void classify_should_call_an_account_blocked_after_password_errors_locked() {
        SQLException blocked = new SQLException("User is blocked because of too many credential errors", "HY000",
                MariaDbEngine.ACCOUNT_BLOCKED_BY_PASSWORD_ERRORS);

        assertThat(engine.classify(blocked)).isEqualTo(LoginFailure.LOCKED);
    }

    @Test
    void classify_should_call_a_port_where_nothing_listens_unreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        SQLException failure = loginFailure(MariaDbTestServer.request("127.0.0.1", closedPort, "anyone", "any",
                TlsSettings.Mode.PLAINTEXT, Optional.empty(), true));

        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.UNREACHABLE);
    }

    // TLS

    @Test
    void connect_should_verify_the_server_with_the_pem_bundle_with_and_without_the_host_name() throws SQLException {
        assumeTrue(SERVER.offersTls(), "the test MariaDB with TLS runs (scripts/test-services)");

        for (boolean verifyHostname : List.of(true, false)) {
            try (Connection connection = engine.connect(SERVER.verified(SERVER.adminUser(), SERVER.adminPassword(),
                    SERVER.ca(), verifyHostname))) {
                assertThat(sessionStatus(connection, "Ssl_version")).startsWith("TLS");
            }
        }
    }

    @Test
    void connect_should_accept_a_bundle_that_holds_the_right_ca_among_others(@TempDir Path dir)
            throws IOException, SQLException {
        assumeTrue(SERVER.offersTls(), "the test MariaDB with TLS runs (scripts/test-services)");
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(SERVER.wrongCa()) + Files.readString(SERVER.ca()));

        try (Connection connection = engine.connect(SERVER.verified(SERVER.adminUser(), SERVER.adminPassword(),
                bundle, true))) {
            assertThat(sessionStatus(connection, "Ssl_version")).startsWith("TLS");
        }
    }

    @Test
    void connect_should_refuse_a_certificate_from_another_ca_and_call_it_other() {
        assumeTrue(SERVER.offersTls(), "the test MariaDB with TLS runs (scripts/test-services)");

        for (boolean verifyHostname : List.of(true, false)) {
            SQLException failure = loginFailure(SERVER.verified(SERVER.adminUser(), SERVER.adminPassword(),
                    SERVER.wrongCa(), verifyHostname));

            assertThat(engine.classify(failure)).isEqualTo(LoginFailure.OTHER);
        }
    }

    @Test
    void connect_should_not_use_tls_when_asked_for_plaintext() throws SQLException {
        try (Connection connection = SERVER.admin(engine)) {
            assertThat(sessionStatus(connection, "Ssl_version")).isEmpty();
        }
    }

    @Test
    void connect_should_open_a_database_whose_name_has_url_syntax() throws SQLException {
        String db = TestAccounts.uniqueName("kt?x=1&y/") + "%3F";
        accounts.run("CREATE DATABASE `" + db + "`");
        try {
            ConnectionRequest plain = SERVER.plaintext(SERVER.adminUser(), SERVER.adminPassword());
            ConnectionRequest withDb = new ConnectionRequest(plain.host(), plain.port(), Optional.of(db),
                    plain.username(), plain.password(), plain.tls(), plain.trust(), plain.connectTimeout());

            try (Connection connection = engine.connect(withDb); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT DATABASE()")) {
                result.next();
                assertThat(result.getString(1)).isEqualTo(db);
            }
        } finally {
            accounts.run("DROP DATABASE `" + db + "`");
        }
    }

    @Test
    void connect_should_refuse_a_host_that_carries_url_syntax_before_connecting() {
        ConnectionRequest request = MariaDbTestServer.request("db.example.com/?allowLocalInfile=true", 3306, "app",
                "pw", TlsSettings.Mode.PLAINTEXT, Optional.empty(), true);

        assertThatThrownBy(() -> engine.connect(request)).isInstanceOf(InvalidSecretException.class);
    }

    // limits

    @Test
    void passwordRules_should_take_rds_limits() {
        var rules = engine.passwordRules();

        assertThat(rules.maxLength()).isEqualTo(41);
        for (String refused : List.of("/", "\"", "@", " ")) {
            assertThat(rules.violation("Abcdefgh1" + refused)).as(refused).isPresent();
        }
        assertThat(rules.violation("Ab1!#$%^&*()-_=+[]{};:,.<>?|~`'\\")).isEmpty();
    }

    @Test
    void the_engine_should_serve_mariadb_secrets_on_port_3306() {
        assertThat(engine.name()).isEqualTo("mariadb");
        assertThat(engine.defaultPort()).isEqualTo(3306);
        assertThat(engine.maxUserNameLength()).isEqualTo(128);
        assertThat(engine.userNameProblem("app ")).isNotNull();
    }

    // helpers

    private boolean ed25519Available() throws SQLException {
        if (accounts.column("SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'ed25519'")
                .contains("ACTIVE")) {
            return true;
        }
        try {
            accounts.run("INSTALL SONAME 'auth_ed25519'");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private String pluginOf(String user, String host) throws SQLException {
        return accounts.column("SELECT plugin FROM mysql.user WHERE User = ? AND Host = ?", user, host).get(0);
    }

    private void assertSameGrants(String source, String target) throws SQLException {
        assertThat(accounts.grantsWithoutGrantee(target, "%"))
                .containsExactlyInAnyOrderElementsOf(accounts.grantsWithoutGrantee(source, "%"));
    }

    private Connection login(String user, String password) throws SQLException {
        return engine.connect(SERVER.plaintext(user, password));
    }

    private boolean logsIn(String user, String password) throws SQLException {
        try (Connection connection = login(user, password)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (engine.classify(e) == LoginFailure.REFUSED) {
                return false;
            }
            throw e;
        }
    }

    private SQLException loginFailure(ConnectionRequest request) {
        try (Connection connection = engine.connect(request)) {
            throw new AssertionError("logged in, but expected a failure: " + connection);
        } catch (SQLException e) {
            return e;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String sessionStatus(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            return result.next() ? result.getString(2) : "";
        }
    }
}
