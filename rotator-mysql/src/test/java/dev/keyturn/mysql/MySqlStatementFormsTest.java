package dev.keyturn.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The statements the engine sends to MySQL 5.7, 8.0 and 8.4, where they differ from what MariaDB
 * accepts. Pinned at the JDBC boundary with {@link RecordingConnection}, because no MySQL server
 * runs here (the MariaDB stand-in would refuse them); {@link MySqlContainersTest} runs them against
 * real MySQL 8.0 and 8.4 wherever Docker is available.
 */
class MySqlStatementFormsTest {
    private static final String VERSION = "SELECT VERSION()";
    private static final String SQL_MODE = "SELECT @@SESSION.sql_mode";
    private static final String MYSQL_HOSTS = "SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host";
    private static final String OPTIONS = "SELECT plugin, ssl_type, ssl_cipher, x509_issuer, x509_subject, "
            + "max_questions, max_updates, max_connections, max_user_connections FROM mysql.user "
            + "WHERE User = ? AND Host = ?";
    private static final String DEFAULT_ROLES = "SELECT DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST FROM mysql.default_roles "
            + "WHERE USER = ? AND HOST = ? ORDER BY DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST";

    private final MySqlEngine engine = new MySqlEngine();

    @Test
    void changeOwnPassword_should_give_the_current_password_to_mysql_8_0_13_and_later() throws SQLException {
        for (String version : List.of("8.0.13", "8.0.40", "8.4.3")) {
            RecordingConnection server = new RecordingConnection().answer(VERSION, rows(version));

            engine.changeOwnPassword(server.connection(), "app", "old-pw", "new-pw");

            assertThat(server.executed()).as(version)
                    .containsExactly("ALTER USER CURRENT_USER() IDENTIFIED BY ? REPLACE ? <- [new-pw, old-pw]");
        }
    }

    @Test
    void changeOwnPassword_should_leave_out_replace_before_mysql_8_0_13() throws SQLException {
        for (String version : List.of("5.7.44-log", "8.0.12")) {
            RecordingConnection server = new RecordingConnection().answer(VERSION, rows(version));

            engine.changeOwnPassword(server.connection(), "app", "old-pw", "new-pw");

            assertThat(server.executed()).as(version)
                    .containsExactly("ALTER USER CURRENT_USER() IDENTIFIED BY ? <- [new-pw]");
        }
    }

    @Test
    void setPassword_should_alter_each_account_of_the_user_on_mysql() throws SQLException {
        RecordingConnection server = new RecordingConnection().answer(VERSION, rows("8.0.40"))
                .answer(MYSQL_HOSTS, rows("%", "10.0.%", "localhost"));

        engine.setPassword(server.connection(), "app", "new-pw");

        assertThat(server.executed()).containsExactly(
                "ALTER USER ?@? IDENTIFIED BY ? <- [app, %, new-pw]",
                "ALTER USER ?@? IDENTIFIED BY ? <- [app, 10.0.%, new-pw]",
                "ALTER USER ?@? IDENTIFIED BY ? <- [app, localhost, new-pw]");
    }

    @Test
    void createOrSyncUser_should_use_mysql_8_forms_for_plugin_roles_partial_revokes_and_default_roles()
            throws SQLException {
        RecordingConnection server = mysql8("8.0.40", List.of());

        engine.createOrSyncUser(server.connection(), "app", "app_clone", "new-pw");

        assertThat(server.executed()).containsExactly(
                "CREATE USER ?@? IDENTIFIED WITH caching_sha2_password BY ? REQUIRE SUBJECT ? WITH "
                        + "MAX_QUERIES_PER_HOUR 0 MAX_UPDATES_PER_HOUR 0 MAX_CONNECTIONS_PER_HOUR 0 "
                        + "MAX_USER_CONNECTIONS 5 <- [app_clone, %, new-pw, /CN=app]",
                "GRANT SELECT ON *.* TO `app_clone`@`%`",
                "GRANT INSERT ON *.* TO `app_clone`@`%`",
                "GRANT BACKUP_ADMIN ON *.* TO `app_clone`@`%` WITH GRANT OPTION",
                "GRANT `reader`@`%` TO `app_clone`@`%`",
                "REVOKE INSERT ON `mysql`.* FROM `app_clone`@`%`",
                "SET DEFAULT ROLE ?@? TO ?@? <- [reader, %, app_clone, %]");
    }

    @Test
    void createOrSyncUser_should_alter_an_existing_clone_and_change_only_what_differs() throws SQLException {
        List<String> cloneGrants = List.of("GRANT USAGE ON *.* TO `app_clone`@`%`",
                "GRANT SELECT, UPDATE ON *.* TO `app_clone`@`%`",
                "GRANT `reader`@`%` TO `app_clone`@`%`",
                "REVOKE INSERT ON `mysql`.* FROM `app_clone`@`%`");
        RecordingConnection server = mysql8("8.4.3", cloneGrants)
                .answer(DEFAULT_ROLES, values -> values.get(0).equals("app") ? List.of(List.of("reader", "%"))
                        : List.of(List.of("writer", "%")));

        engine.createOrSyncUser(server.connection(), "app", "app_clone", "new-pw");

        assertThat(server.executed()).containsExactly(
                "ALTER USER ?@? IDENTIFIED WITH caching_sha2_password BY ? REQUIRE SUBJECT ? WITH "
                        + "MAX_QUERIES_PER_HOUR 0 MAX_UPDATES_PER_HOUR 0 MAX_CONNECTIONS_PER_HOUR 0 "
                        + "MAX_USER_CONNECTIONS 5 <- [app_clone, %, new-pw, /CN=app]",
                "REVOKE UPDATE ON *.* FROM `app_clone`@`%`",
                "GRANT INSERT ON *.* TO `app_clone`@`%`",
                "GRANT BACKUP_ADMIN ON *.* TO `app_clone`@`%` WITH GRANT OPTION",
                "SET DEFAULT ROLE ?@? TO ?@? <- [reader, %, app_clone, %]");
    }

    @Test
    void createOrSyncUser_should_not_read_default_roles_from_mysql_5_7() throws SQLException {
        RecordingConnection server = new RecordingConnection().answer(VERSION, rows("5.7.44"))
                .answer(SQL_MODE, rows("STRICT_TRANS_TABLES"))
                .answer(MYSQL_HOSTS, values -> values.get(0).equals("app") ? rows("%") : List.of())
                .answer(OPTIONS, List.of(List.of("mysql_native_password", "ANY", "", "", "", "0", "0", "0", "0")))
                .answer("SHOW GRANTS FOR ?@?", values -> values.get(0).equals("app")
                        ? rows("GRANT USAGE ON *.* TO 'app'@'%'", "GRANT SELECT ON `shop`.* TO 'app'@'%'")
                        : rows("GRANT USAGE ON *.* TO 'app_clone'@'%'"));

        engine.createOrSyncUser(server.connection(), "app", "app_clone", "new-pw");

        assertThat(server.executed()).containsExactly(
                "CREATE USER ?@? IDENTIFIED WITH mysql_native_password BY ? REQUIRE SSL WITH "
                        + "MAX_QUERIES_PER_HOUR 0 MAX_UPDATES_PER_HOUR 0 MAX_CONNECTIONS_PER_HOUR 0 "
                        + "MAX_USER_CONNECTIONS 0 <- [app_clone, %, new-pw]",
                "GRANT SELECT ON `shop`.* TO `app_clone`@`%`");
    }

    /** A MySQL 8 server where {@code app}@% has a plugin, a TLS subject, roles and a partial revoke. */
    private static RecordingConnection mysql8(String version, List<String> cloneGrants) {
        List<String> appGrants = List.of("GRANT SELECT, INSERT ON *.* TO `app`@`%`",
                "GRANT BACKUP_ADMIN ON *.* TO `app`@`%` WITH GRANT OPTION",
                "GRANT `reader`@`%` TO `app`@`%`",
                "REVOKE INSERT ON `mysql`.* FROM `app`@`%`");
        return new RecordingConnection().answer(VERSION, rows(version))
                .answer(SQL_MODE, rows("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES"))
                .answer(MYSQL_HOSTS, values -> values.get(0).equals("app") || !cloneGrants.isEmpty() ? rows("%")
                        : List.of())
                .answer(OPTIONS, List.of(List.of("caching_sha2_password", "SPECIFIED", "", "", "/CN=app", "0", "0",
                        "0", "5")))
                .answer("SHOW GRANTS FOR ?@?", values -> values.get(0).equals("app") ? rows(appGrants)
                        : cloneGrants.isEmpty() ? rows("GRANT USAGE ON *.* TO `app_clone`@`%`") : rows(cloneGrants))
                .answer(DEFAULT_ROLES, values -> values.get(0).equals("app") ? List.of(List.of("reader", "%"))
                        : List.of());
    }

    private static List<List<String>> rows(String... values) {
        return rows(List.of(values));
    }

    private static List<List<String>> rows(List<String> values) {
        return values.stream().map(List::of).toList();
    }
}
