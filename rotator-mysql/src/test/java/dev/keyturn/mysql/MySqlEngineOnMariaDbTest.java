package dev.keyturn.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.RotationStateException;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.mysql.testing.MariaDbTestServer;
import dev.keyturn.mysql.testing.TestAccounts;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MySqlEngine} against a real server that checks passwords. No MySQL server runs on this
 * machine, so MariaDB stands in for it: it speaks the same protocol, and MySQL Connector/J logs in to
 * it as to MySQL. The engine picks its statement forms from the server it reaches, so here it runs
 * the forms MariaDB accepts; the forms only MySQL accepts are pinned in
 * {@link MySqlStatementFormsTest} and run against real MySQL 8.0 and 8.4 in
 * {@link MySqlContainersTest} wherever Docker is available.
 */
class MySqlEngineOnMariaDbTest {
    private static final MariaDbTestServer SERVER = MariaDbTestServer.get();
    private static final String START_PASSWORD = "Start-pw-1";
    /** Every printable ASCII character, space to tilde. */
    static final String ALL_PRINTABLE = IntStream.rangeClosed(' ', '~')
            .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());

    private final MySqlEngine engine = new MySqlEngine();
    private TestAccounts accounts;

    @BeforeEach
    void connect() throws SQLException {
        accounts = new TestAccounts(SERVER, engine);
    }

    @AfterEach
    void dropEverything() throws SQLException {
        accounts.close();
    }

    static Stream<String> hostilePasswords() {
        return Stream.of(ALL_PRINTABLE, "'; DROP USER root; --", "\\", "it\\'s", "?", "?@?", "' OR '1'='1",
                "`backtick`", "\"double\"", "/* comment */", "%_wild_%", "trailing\\");
    }

    static Stream<String> hostileNameParts() {
        return Stream.of("o'brien", "back\\slash", "with space", "q\"uote", "back`tick", "m?rk", "x;--",
                "ünïcødé名");
    }

    // changing a user's own password

    @ParameterizedTest
    @MethodSource("hostilePasswords")
    void changeOwnPassword_should_set_any_printable_password_exactly(String password) throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", START_PASSWORD);

        try (Connection asUser = login(user, START_PASSWORD)) {
            engine.changeOwnPassword(asUser, user, START_PASSWORD, password);
        }

        assertThat(logsIn(user, password)).isTrue();
        assertThat(logsIn(user, START_PASSWORD)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("hostileNameParts")
    void changeOwnPassword_should_change_a_user_with_a_hostile_name(String namePart) throws SQLException {
        String user = TestAccounts.uniqueName("k") + namePart;
        accounts.createUser(user, "%", START_PASSWORD);

        try (Connection asUser = login(user, START_PASSWORD)) {
            engine.changeOwnPassword(asUser, user, START_PASSWORD, ALL_PRINTABLE);
        }

        assertThat(logsIn(user, ALL_PRINTABLE)).isTrue();
    }

    @Test
    void changeOwnPassword_should_change_an_account_whose_host_is_not_a_wildcard() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "127.0.0.1", START_PASSWORD);

        try (Connection asUser = login(user, START_PASSWORD)) {
            engine.changeOwnPassword(asUser, user, START_PASSWORD, "New-pw-2");
        }

        assertThat(logsIn(user, "New-pw-2")).isTrue();
        assertThat(accounts.hostsOf(user)).containsExactly("127.0.0.1");
    }

    /**
     * A server whose sql_mode has NO_BACKSLASH_ESCAPES when the session starts: Connector/J then sends
     * values with quotes or backslashes as hexadecimal literals. The connection is opened here with
     * the mode set at login, as such a server would; the engine's password rules keep those
     * characters out of generated passwords, and one that has them fails without changing anything.
     */
    @Test
    void changeOwnPassword_should_work_or_fail_safely_when_the_session_starts_without_backslash_escapes()
            throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", START_PASSWORD);
        String allowed = ALL_PRINTABLE.chars().filter(c -> engine.passwordRules().excludedCharacters().indexOf(c) < 0)
                .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());

        try (Connection asUser = loginWithoutBackslashEscapes(user, START_PASSWORD)) {
            assertThatThrownBy(() -> engine.changeOwnPassword(asUser, user, START_PASSWORD, "it's-'quoted'"))
                    .isInstanceOf(SQLException.class);
            assertThat(logsIn(user, START_PASSWORD)).isTrue();

            engine.changeOwnPassword(asUser, user, START_PASSWORD, allowed);
        }

        assertThat(engine.passwordRules().violation(allowed.substring(0, 41))).isEmpty();
        assertThat(logsIn(user, allowed)).isTrue();
    }

    // setting a password through the master

    @Test
    void setPassword_should_change_the_password_on_every_host_of_the_user() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "127.0.0.1", START_PASSWORD);
        accounts.createUser(user, "localhost", START_PASSWORD);
        accounts.createUser(user, "10.0.%", START_PASSWORD);

        engine.setPassword(accounts.admin(), user, ALL_PRINTABLE);

        assertThat(logsIn(user, ALL_PRINTABLE)).isTrue();
        assertThat(accounts.column("SELECT Host FROM mysql.user WHERE User = ? AND authentication_string = "
                + "PASSWORD(?) ORDER BY Host", user, ALL_PRINTABLE))
                .containsExactly("10.0.%", "127.0.0.1", "localhost");
    }

    @ParameterizedTest
    @MethodSource("hostileNameParts")
    void setPassword_should_reach_a_user_with_a_hostile_name(String namePart) throws SQLException {
        String user = TestAccounts.uniqueName("k") + namePart;
        accounts.createUser(user, "%", START_PASSWORD);

        engine.setPassword(accounts.admin(), user, "'; DROP USER root; --");

        assertThat(logsIn(user, "'; DROP USER root; --")).isTrue();
    }

    @Test
    void setPassword_should_refuse_a_user_that_has_no_account() {
        String user = TestAccounts.uniqueName("kt");

        assertThatThrownBy(() -> engine.setPassword(accounts.admin(), user, "New-pw-2"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("user " + user + " has no account");
    }

    // the other user of alternating-users rotation

    @Test
    void createOrSyncUser_should_give_the_clone_an_account_per_host_with_the_same_grants() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        String db = accounts.createDatabase();
        accounts.createUser(user, "127.0.0.1", START_PASSWORD);
        accounts.createUser(user, "10.1.%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        accounts.run("GRANT SELECT, INSERT ON `" + db + "`.* TO ?@?", user, "127.0.0.1");
        accounts.run("GRANT UPDATE (a) ON `" + db + "`.t TO ?@? WITH GRANT OPTION", user, "127.0.0.1");
        accounts.run("GRANT SELECT ON `" + db + "`.t TO ?@?", user, "10.1.%");

        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");

        assertThat(accounts.hostsOf(clone)).containsExactly("10.1.%", "127.0.0.1");
        assertSameGrants(user, clone, "127.0.0.1");
        assertSameGrants(user, clone, "10.1.%");
        assertThat(logsIn(clone, "Clone-pw-1")).isTrue();
        try (Connection asClone = login(clone, "Clone-pw-1"); Statement statement = asClone.createStatement()) {
            statement.execute("INSERT INTO `" + db + "`.t (a) VALUES (1)");
        }
    }

    @Test
    void createOrSyncUser_should_copy_the_tls_requirement_and_the_resource_limits() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        accounts.createUser(user, "%", START_PASSWORD, "REQUIRE SSL WITH MAX_USER_CONNECTIONS 7");
        accounts.createUser(user, "10.2.%", START_PASSWORD,
                "REQUIRE ISSUER '/CN=it''s a CA' AND SUBJECT '/CN=app' WITH MAX_QUERIES_PER_HOUR 99");
        accounts.forgetAllHostsOf(clone);

        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");

        assertThat(accountOptions(clone, "%")).isEqualTo(accountOptions(user, "%")).contains("ANY", "7");
        assertThat(accountOptions(clone, "10.2.%")).isEqualTo(accountOptions(user, "10.2.%"))
                .contains("SPECIFIED", "/CN=it's a CA", "/CN=app", "99");
        assertThat(logsIn(clone, "Clone-pw-1")).as("REQUIRE SSL refuses a plaintext login").isFalse();
    }

    @Test
    void createOrSyncUser_should_grant_what_the_original_gained_since_the_last_rotation() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        String db = accounts.createDatabase();
        accounts.createUser(user, "%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        accounts.run("GRANT SELECT ON `" + db + "`.* TO ?@?", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");

        accounts.run("GRANT INSERT, DELETE ON `" + db + "`.* TO ?@? WITH GRANT OPTION", user, "%");
        accounts.run("GRANT SELECT (b) ON `" + db + "`.t TO ?@?", user, "%");
        accounts.run("GRANT PROCESS ON *.* TO ?@?", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-2");

        assertSameGrants(user, clone, "%");
        assertThat(accounts.grantsWithoutGrantee(clone, "%"))
                .contains("GRANT SELECT, INSERT, DELETE ON `" + db + "`.* TO <grantee> WITH GRANT OPTION");
        assertThat(logsIn(clone, "Clone-pw-2")).isTrue();
    }

    @Test
    void createOrSyncUser_should_revoke_what_the_original_lost_since_the_last_rotation() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        String db = accounts.createDatabase();
        accounts.createUser(user, "%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        accounts.run("GRANT SELECT, INSERT, DELETE ON `" + db + "`.* TO ?@? WITH GRANT OPTION", user, "%");
        accounts.run("GRANT SELECT (a, b) ON `" + db + "`.t TO ?@?", user, "%");
        accounts.run("GRANT PROCESS ON *.* TO ?@?", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");

        accounts.run("REVOKE DELETE, GRANT OPTION ON `" + db + "`.* FROM ?@?", user, "%");
        accounts.run("REVOKE SELECT (b) ON `" + db + "`.t FROM ?@?", user, "%");
        accounts.run("REVOKE PROCESS ON *.* FROM ?@?", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-2");

        assertSameGrants(user, clone, "%");
        assertThat(accounts.grantsWithoutGrantee(clone, "%")).containsExactlyInAnyOrder(
                "GRANT USAGE ON *.* TO <grantee>",
                "GRANT SELECT, INSERT ON `" + db + "`.* TO <grantee>",
                "GRANT SELECT (`a`) ON `" + db + "`.`t` TO <grantee>");
    }

    @Test
    void createOrSyncUser_should_follow_a_tls_requirement_added_to_and_removed_from_the_original()
            throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        accounts.createUser(user, "%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");

        accounts.run("ALTER USER ?@? REQUIRE X509", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-2");
        assertThat(accountOptions(clone, "%")).contains("X509");

        accounts.run("ALTER USER ?@? REQUIRE NONE", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-3");
        assertThat(accountOptions(clone, "%")).isEqualTo(accountOptions(user, "%"));
        assertThat(logsIn(clone, "Clone-pw-3")).isTrue();
    }

    @Test
    void createOrSyncUser_should_copy_roles_and_the_default_role() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        String reader = TestAccounts.uniqueName("ktr_");
        String writer = TestAccounts.uniqueName("ktw_");
        String db = accounts.createDatabase();
        accounts.createRole(reader);
        accounts.createRole(writer);
        accounts.run("GRANT SELECT ON `" + db + "`.* TO `" + reader + "`");
        accounts.createUser(user, "%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        accounts.run("GRANT `" + reader + "` TO ?@?", user, "%");
        accounts.run("GRANT `" + writer + "` TO ?@? WITH ADMIN OPTION", user, "%");
        accounts.run("SET DEFAULT ROLE `" + reader + "` FOR ?@?", user, "%");

        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");

        assertSameGrants(user, clone, "%");
        try (Connection asClone = login(clone, "Clone-pw-1"); Statement statement = asClone.createStatement()) {
            statement.executeQuery("SELECT a FROM `" + db + "`.t").close();
        }

        accounts.run("SET DEFAULT ROLE NONE FOR ?@?", user, "%");
        accounts.run("REVOKE `" + writer + "` FROM ?@?", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-2");
        assertSameGrants(user, clone, "%");
    }

    @Test
    void createOrSyncUser_should_work_back_from_the_clone_to_the_original() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        String db = accounts.createDatabase();
        accounts.createUser(user, "%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        accounts.run("GRANT SELECT ON `" + db + "`.* TO ?@?", user, "%");
        engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");
        accounts.run("GRANT INSERT ON `" + db + "`.* TO ?@?", clone, "%");

        engine.createOrSyncUser(accounts.admin(), clone, user, "User-pw-2");

        assertSameGrants(clone, user, "%");
        assertThat(logsIn(user, "User-pw-2")).isTrue();
        assertThat(logsIn(clone, "Clone-pw-1")).as("the source keeps its password").isTrue();
    }

    @ParameterizedTest
    @MethodSource("hostileNameParts")
    void createOrSyncUser_should_copy_a_user_with_a_hostile_name(String namePart) throws SQLException {
        String user = TestAccounts.uniqueName("k") + namePart;
        String clone = user + "_clone";
        String db = accounts.createDatabase();
        accounts.createUser(user, "%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        accounts.run("GRANT SELECT ON `" + db + "`.* TO ?@?", user, "%");

        engine.createOrSyncUser(accounts.admin(), user, clone, ALL_PRINTABLE);

        assertSameGrants(user, clone, "%");
        assertThat(logsIn(clone, ALL_PRINTABLE)).isTrue();
    }

    @Test
    void createOrSyncUser_should_copy_grants_on_objects_with_hostile_names() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        String db = TestAccounts.uniqueName("kt ? TO `x`, ON '名ü") + "\\";
        accounts.createUser(user, "%", START_PASSWORD);
        accounts.forgetAllHostsOf(clone);
        String quotedDb = "`" + db.replace("`", "``") + "`";
        try {
            accounts.runAsWritten("CREATE DATABASE " + quotedDb);
            accounts.runAsWritten("CREATE TABLE " + quotedDb + ".`t ? ``x`` --` (`c ' TO` INT)");
            accounts.runAsWritten("GRANT SELECT (`c ' TO`), INSERT ON " + quotedDb + ".`t ? ``x`` --` TO `" + user
                    + "`@`%`");

            engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1");

            assertSameGrants(user, clone, "%");
        } finally {
            accounts.runAsWritten("DROP DATABASE IF EXISTS " + quotedDb);
        }
    }

    @Test
    void createOrSyncUser_should_refuse_an_original_that_logs_in_without_a_password() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        String clone = user + "_clone";
        accounts.forget(user, "%");
        accounts.forgetAllHostsOf(clone);
        accounts.run("CREATE USER ?@? IDENTIFIED VIA unix_socket", user, "%");

        assertThatThrownBy(() -> engine.createOrSyncUser(accounts.admin(), user, clone, "Clone-pw-1"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("'unix_socket'");
        assertThat(accounts.hostsOf(clone)).isEmpty();
    }

    @Test
    void createOrSyncUser_should_refuse_an_original_that_has_no_account() {
        String user = TestAccounts.uniqueName("kt");

        assertThatThrownBy(() -> engine.createOrSyncUser(accounts.admin(), user, user + "_clone", "Clone-pw-1"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("has no account");
    }

    // reading login failures

    @Test
    void classify_should_call_a_wrong_password_refused() throws SQLException {
        String user = TestAccounts.uniqueName("kt");
        accounts.createUser(user, "%", START_PASSWORD);

        SQLException failure = loginFailure(SERVER.plaintext(user, "wrong-password"));

        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.REFUSED);
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

    /** The vendor codes are the boundary here: MariaDB reports a locked account with its own code (4151). */
    @Test
    void classify_should_call_mysql_locked_and_blocked_accounts_locked() {
        assertThat(engine.classify(new SQLException("Access denied for user 'a'@'%'. Account is locked.", "HY000",
                MySqlEngine.ACCOUNT_LOCKED))).isEqualTo(LoginFailure.LOCKED);
        assertThat(engine.classify(new SQLException("Account is blocked for 1 day(s)", "HY000",
                MySqlEngine.ACCOUNT_BLOCKED_BY_FAILED_LOGINS))).isEqualTo(LoginFailure.LOCKED);
    }

    // connecting

    @Test
    void connect_should_verify_the_server_against_the_configured_ca() throws SQLException {
        assumeTrue(SERVER.offersTls(), "the test MariaDB with TLS runs (scripts/test-services)");

        try (Connection connection = engine.connect(SERVER.verified(SERVER.adminUser(), SERVER.adminPassword(),
                SERVER.ca(), true))) {
            assertThat(sessionStatus(connection, "Ssl_version")).startsWith("TLS");
        }
        try (Connection connection = engine.connect(SERVER.verified(SERVER.adminUser(), SERVER.adminPassword(),
                SERVER.ca(), false))) {
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
        for (String host : List.of("db.example.com/?allowLoadLocalInfile=true", "evil@host", "a b", "h:1,h2")) {
            ConnectionRequest request = MariaDbTestServer.request(host, 3306, "app", "pw", TlsSettings.Mode.PLAINTEXT,
                    Optional.empty(), true);

            assertThatThrownBy(() -> engine.connect(request)).isInstanceOf(InvalidSecretException.class)
                    .hasMessageContaining("not a host name or an IP address");
        }
        assertThat(engine.url("::1", 3306)).isEqualTo("jdbc:mysql://[::1]:3306/");
        assertThat(engine.url("db-1.cluster-x.eu-west-1.rds.amazonaws.com", 3306))
                .isEqualTo("jdbc:mysql://db-1.cluster-x.eu-west-1.rds.amazonaws.com:3306/");
    }

    // limits

    @Test
    void passwordRules_should_take_rds_limits_and_leave_out_what_hex_literals_would_carry() {
        var rules = engine.passwordRules();

        assertThat(rules.maxLength()).isEqualTo(41);
        assertThat(rules.defaultLength()).isEqualTo(32);
        for (String refused : List.of("/", "\"", "@", " ", "'", "\\")) {
            assertThat(rules.violation("Abcdefgh1" + refused)).as(refused).isPresent();
        }
        assertThat(rules.violation("A".repeat(42))).isPresent();
        assertThat(rules.violation("Ab1!#$%^&*()-_=+[]{};:,.<>?|~`")).isEmpty();
    }

    @Test
    void userNameProblem_should_refuse_names_the_server_would_store_as_another() throws SQLException {
        assertThat(engine.userNameProblem("app\uD83D\uDE00")).contains("Basic Multilingual Plane");
        assertThat(engine.userNameProblem("app ")).contains("ends with a space");
        assertThat(engine.userNameProblem("ünïcødé名 o'brien")).isNull();
        assertThat(engine.maxUserNameLength()).isEqualTo(32);
    }

    // helpers

    private void assertSameGrants(String source, String target, String host) throws SQLException {
        assertThat(accounts.grantsWithoutGrantee(target, host))
                .containsExactlyInAnyOrderElementsOf(accounts.grantsWithoutGrantee(source, host));
    }

    private List<String> accountOptions(String user, String host) throws SQLException {
        return accounts.column("SELECT CONCAT_WS('|', plugin, ssl_type, ssl_cipher, x509_issuer, x509_subject, "
                + "max_questions, max_updates, max_connections, max_user_connections, max_statement_time) "
                + "FROM mysql.user WHERE User = ? AND Host = ?", user, host).stream()
                .flatMap(row -> Stream.of(row.split("\\|"))).toList();
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

    private static Connection loginWithoutBackslashEscapes(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("sslMode", "DISABLED");
        properties.setProperty("sessionVariables", "sql_mode='NO_BACKSLASH_ESCAPES'");
        return DriverManager.getConnection("jdbc:mysql://" + SERVER.host() + ":" + SERVER.port() + "/", properties);
    }

    private static String sessionStatus(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            return result.next() ? result.getString(2) : "";
        }
    }
}
