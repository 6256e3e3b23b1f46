package dev.keyturn.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.LoginFailure;
import dev.keyturn.mysql.testing.MariaDbTestServer;
import dev.keyturn.mysql.testing.TestAccounts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * single-user-overlap on the real MariaDB server: two authentication alternatives of the account's
 * own plugin, set through the master or by an account that may, with exactly the new and the
 * current password accepted afterwards, also when the change runs twice.
 */
class MariaDbPasswordOverlapTest {
    private static final MariaDbTestServer SERVER = MariaDbTestServer.get();
    private static final String OLDEST = "Oldest-pw-1";
    private static final String CURRENT = "Current-pw-2";
    private static final String NEW = "New-pw-3";

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

    @Test
    void the_master_leaves_exactly_the_current_and_the_new_password_also_when_run_twice() throws SQLException {
        // given an account that, as after a previous overlap rotation, accepts the oldest and the current password
        String user = accountAccepting(OLDEST, CURRENT);

        for (int run = 1; run <= 2; run++) {
            // when
            assertThat(engine.overlapProblem(accounts.admin(), true, user)).isNull();
            engine.changePasswordKeepingCurrent(accounts.admin(), true, user, CURRENT, NEW);

            // then
            assertThat(logsIn(user, NEW)).as("run %d: new", run).isTrue();
            assertThat(logsIn(user, CURRENT)).as("run %d: current", run).isTrue();
            assertThat(logsIn(user, OLDEST)).as("run %d: the one before the current", run).isFalse();
        }
        assertThat(showCreateUser(user)).containsOnlyOnce(" OR ").contains("IDENTIFIED VIA mysql_native_password");
    }

    @Test
    void the_master_changes_every_host_of_the_user() throws SQLException {
        // given
        String user = TestAccounts.uniqueName("kto_");
        accounts.createUser(user, "%", CURRENT);
        accounts.createUser(user, "10.0.%", CURRENT);

        // when
        engine.changePasswordKeepingCurrent(accounts.admin(), true, user, CURRENT, NEW);

        // then
        assertThat(accounts.column("SELECT CONCAT(Host, ':', JSON_LENGTH(Priv, '$.auth_or')) FROM mysql.global_priv "
                + "WHERE User = ? ORDER BY Host", user)).containsExactly("%:2", "10.0.%:2");
    }

    @Test
    void an_ed25519_account_keeps_ed25519_for_both_passwords() throws SQLException {
        // given
        String user = TestAccounts.uniqueName("kto_");
        accounts.forget(user, "%");
        accounts.run("CREATE USER ?@'%' IDENTIFIED VIA ed25519 USING PASSWORD(?)", user, CURRENT);

        // when
        engine.changePasswordKeepingCurrent(accounts.admin(), true, user, CURRENT, NEW);

        // then
        assertThat(logsIn(user, NEW)).isTrue();
        assertThat(logsIn(user, CURRENT)).isTrue();
        assertThat(showCreateUser(user)).contains("IDENTIFIED VIA ed25519 USING").contains(" OR ed25519 USING")
                .doesNotContain("mysql_native_password");
    }

    @Test
    void an_account_with_create_user_keeps_its_own_current_password() throws SQLException {
        // given
        String user = accountAccepting(OLDEST, CURRENT);
        accounts.run("GRANT CREATE USER ON *.* TO ?@'%'", user);
        accounts.run("GRANT SELECT ON mysql.user TO ?@'%'", user);

        for (int run = 1; run <= 2; run++) {
            // when
            try (Connection asUser = engine.connect(SERVER.plaintext(user, CURRENT))) {
                assertThat(engine.overlapProblem(asUser, false, user)).isNull();
                engine.changePasswordKeepingCurrent(asUser, false, user, CURRENT, NEW);
            }

            // then
            assertThat(logsIn(user, NEW)).as("run %d: new", run).isTrue();
            assertThat(logsIn(user, CURRENT)).as("run %d: current", run).isTrue();
            assertThat(logsIn(user, OLDEST)).as("run %d: the one before the current", run).isFalse();
        }
    }

    @Test
    void an_ordinary_user_is_told_that_mariadb_asks_for_create_user() throws SQLException {
        // given
        String user = accountAccepting(CURRENT);

        // when
        String problem;
        try (Connection asUser = engine.connect(SERVER.plaintext(user, CURRENT))) {
            problem = engine.overlapProblem(asUser, false, user);
        }

        // then
        assertThat(problem).contains("CREATE USER").contains("'" + user + "'@'%'");
    }

    @Test
    void an_account_whose_plugin_takes_no_password_is_refused_before_anything_changes() throws SQLException {
        // given
        String user = TestAccounts.uniqueName("kto_");
        accounts.forget(user, "localhost");
        accounts.run("CREATE USER ?@'localhost' IDENTIFIED VIA unix_socket", user);

        // when
        String problem = engine.overlapProblem(accounts.admin(), true, user);

        // then
        assertThat(problem).contains("'unix_socket'").contains("takes no password");
        assertThat(showCreateUser(user, "localhost")).contains("IDENTIFIED VIA unix_socket").doesNotContain(" OR ");
    }

    @Test
    void mariadb_ignores_alter_user_current_user_which_is_why_the_statements_name_the_account()
            throws SQLException {
        // given an account that may alter users
        String user = accountAccepting(CURRENT);
        accounts.run("GRANT CREATE USER ON *.* TO ?@'%'", user);

        // when it alters itself through CURRENT_USER()
        try (Connection asUser = engine.connect(SERVER.plaintext(user, CURRENT))) {
            try (var statement = asUser.prepareStatement("ALTER USER CURRENT_USER() IDENTIFIED VIA "
                    + "mysql_native_password USING PASSWORD(?) OR mysql_native_password USING PASSWORD(?)")) {
                statement.setString(1, NEW);
                statement.setString(2, CURRENT);
                statement.execute();
            }
        }

        // then nothing changed, and no error said so
        assertThat(logsIn(user, NEW)).isFalse();
        assertThat(showCreateUser(user)).doesNotContain(" OR ");
    }

    /** A new account on host {@code %} accepting exactly these passwords, the first as its first alternative. */
    private String accountAccepting(String... passwords) throws SQLException {
        String user = TestAccounts.uniqueName("kto_");
        accounts.createUser(user, "%", passwords[passwords.length - 1]);
        if (passwords.length == 2) {
            accounts.run("ALTER USER ?@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD(?) OR "
                    + "mysql_native_password USING PASSWORD(?)", user, passwords[1], passwords[0]);
        }
        return user;
    }

    private String showCreateUser(String user) throws SQLException {
        return showCreateUser(user, "%");
    }

    private String showCreateUser(String user, String host) throws SQLException {
        List<String> lines = accounts.column("SHOW CREATE USER ?@?", user, host);
        return String.join("\n", lines);
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
