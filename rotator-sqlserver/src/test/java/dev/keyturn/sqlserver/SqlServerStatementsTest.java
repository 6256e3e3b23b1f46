package dev.keyturn.sqlserver;

import static dev.keyturn.core.testing.ScriptedConnection.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.RotationStateException;
import dev.keyturn.core.testing.ScriptedConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact T-SQL the engine sends, quoting included. No SQL Server can run on the build machine, so
 * these tests sit at the JDBC boundary: a {@link ScriptedConnection} answers the catalog queries and
 * records the statements. What the server does with them is proven by SqlServerContainerRotationTest
 * wherever Docker runs.
 *
 * <p>Statement forms, checked against Microsoft's reference:
 * ALTER LOGIN https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-login-transact-sql,
 * ALTER USER https://learn.microsoft.com/sql/t-sql/statements/alter-user-transact-sql,
 * CREATE LOGIN https://github.com/MicrosoftDocs/sql-docs/blob/live/docs/t-sql/statements/create-login-transact-sql.md,
 * CREATE USER https://learn.microsoft.com/previous-versions/sql/sql-server-2012/ms173463(v=sql.110),
 * ALTER ROLE https://learn.microsoft.com/sql/t-sql/statements/alter-role-transact-sql,
 * ALTER SERVER ROLE https://learn.microsoft.com/sql/t-sql/statements/alter-server-role-transact-sql,
 * REVOKE (CASCADE, column lists)
 * https://learn.microsoft.com/ga-ie/SQL/t-sql/statements/revoke-object-permissions-transact-sql?view=sql-server-ver17,
 * permission classes https://learn.microsoft.com/en-us/previous-versions/sql/sql-server-2012/ms188367(v=sql.110).
 */
class SqlServerStatementsTest {
    /** Every printable ASCII character, the quote among them: the engine's rules exclude none. */
    static final String ALL_PRINTABLE = printableAscii();
    static final String OLD_PASSWORD = "Old'Pa55word]";

    private final SqlServerEngine engine = new SqlServerEngine();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "app]user | [app]]user]",
        "o'brien | [o'brien]",
        "say \"hi\" | [say \"hi\"]",
        "app user | [app user]",
        "jürgen_日本 | [jürgen_日本]",
        "]] | []]]]]"})
    void changeOwnPassword_quotes_the_login_name_with_brackets(String login, String quoted) throws Exception {
        // given
        ScriptedConnection database = loggedInThroughALogin();

        // when
        engine.changeOwnPassword(database.connection(), login, OLD_PASSWORD, "New-Pa55word");

        // then
        assertThat(database.executed()).containsExactly("ALTER LOGIN " + quoted
                + " WITH PASSWORD = N'New-Pa55word' OLD_PASSWORD = N'Old''Pa55word]'");
    }

    @Test
    void changeOwnPassword_carries_every_printable_ascii_character_in_a_unicode_literal() throws Exception {
        // given
        ScriptedConnection database = loggedInThroughALogin();

        // when
        engine.changeOwnPassword(database.connection(), "app", OLD_PASSWORD, ALL_PRINTABLE);

        // then
        String doubled = ALL_PRINTABLE.replace("'", "''");
        assertThat(database.executed()).containsExactly("ALTER LOGIN [app] WITH PASSWORD = N'" + doubled
                + "' OLD_PASSWORD = N'Old''Pa55word]'");
        assertThat(ALL_PRINTABLE).hasSize(95).contains("'", "\"", "]", "[", "{", "}", ";", "\\", " ");
    }

    @Test
    void changeOwnPassword_keeps_non_ascii_password_characters_in_the_unicode_literal() throws Exception {
        // given
        ScriptedConnection database = loggedInThroughALogin();

        // when
        engine.changeOwnPassword(database.connection(), "app", "Ünïcödé'1", "Пароль-密码'2");

        // then
        assertThat(database.executed()).containsExactly(
                "ALTER LOGIN [app] WITH PASSWORD = N'Пароль-密码''2' OLD_PASSWORD = N'Ünïcödé''1'");
    }

    @Test
    void changeOwnPassword_uses_alter_user_for_a_contained_database_user() throws Exception {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("DATABASE_PRINCIPAL_ID()",
                        List.of(row("authentication_type", Catalog.DATABASE_AUTHENTICATION)));

        // when
        engine.changeOwnPassword(database.connection(), "report]er", "Old-Pa55", "New-Pa55");

        // then
        assertThat(database.executed())
                .containsExactly("ALTER USER [report]]er] WITH PASSWORD = N'New-Pa55' OLD_PASSWORD = N'Old-Pa55'");
    }

    @Test
    void every_statement_runs_with_jdbc_escape_processing_off() throws Exception {
        // given
        ScriptedConnection database = loggedInThroughALogin();

        // when
        engine.changeOwnPassword(database.connection(), "app", OLD_PASSWORD, "{fn now()}-Pa55");

        // then
        assertThat(database.escapeProcessing()).containsExactly(false);
    }

    @Test
    void setPassword_resets_a_login_without_the_old_password() throws Exception {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of("app o'hara]"), List.of(login("app o'hara]")));

        // when
        engine.setPassword(database.connection(), "app o'hara]", ALL_PRINTABLE);

        // then
        assertThat(database.executed()).containsExactly(
                "ALTER LOGIN [app o'hara]]] WITH PASSWORD = N'" + ALL_PRINTABLE.replace("'", "''") + "'");
    }

    @Test
    void setPassword_resets_a_contained_user_with_alter_user() throws Exception {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of())
                .answer("authentication_type = 2", List.of("reporter"), List.of(row("name", "reporter",
                        "default_schema_name", "dbo")));

        // when
        engine.setPassword(database.connection(), "reporter", "New-Pa55");

        // then
        assertThat(database.executed()).containsExactly("ALTER USER [reporter] WITH PASSWORD = N'New-Pa55'");
    }

    @Test
    void setPassword_refuses_a_name_that_is_neither_a_login_nor_a_contained_user() {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of())
                .answer("authentication_type = 2", List.of());

        // when / then
        assertThatThrownBy(() -> engine.setPassword(database.connection(), "ghost", "New-Pa55"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("no SQL login named ghost")
                .hasMessageNotContaining("New-Pa55");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void createOrSyncUser_creates_the_login_and_user_and_copies_every_grant_of_the_original() throws Exception {
        // given
        ScriptedConnection database = original("app")
                .answer("FROM sys.sql_logins", List.of("app_clone"), List.of())
                .answer("FROM sys.server_role_members", List.of("app_clone"), List.of())
                .answer("FROM sys.server_permissions", List.of("app_clone"), List.of(
                        serverPermission(100, "CONNECT SQL", "G", null, null)))
                .answer("sp.name = ?", List.of("app_clone"), List.of())
                .answer("SELECT name FROM sys.database_principals WHERE name = ?", List.of("app_clone"), List.of())
                .answer("FROM sys.database_role_members", List.of("app_clone"), List.of())
                .answer("FROM sys.database_permissions", List.of("app_clone"), List.of(
                        databasePermission(0, "CONNECT", "G", null, null, null, null)));

        // when
        engine.createOrSyncUser(database.connection(), "app", "app_clone", "Clone'Pa55");

        // then
        assertThat(database.executed()).containsExactly(
                "CREATE LOGIN [app_clone] WITH PASSWORD = N'Clone''Pa55', DEFAULT_DATABASE = [app db], "
                        + "DEFAULT_LANGUAGE = [us_english], CHECK_EXPIRATION = OFF, CHECK_POLICY = ON",
                "ALTER SERVER ROLE [report]]ers] ADD MEMBER [app_clone]",
                "GRANT VIEW SERVER STATE TO [app_clone]",
                "GRANT IMPERSONATE ON LOGIN::[batch] TO [app_clone]",
                "GRANT CONNECT ON ENDPOINT::[TSQL Default TCP] TO [app_clone]",
                "CREATE USER [app_clone] FOR LOGIN [app_clone] WITH DEFAULT_SCHEMA = [sales]",
                "ALTER ROLE [db_datareader] ADD MEMBER [app_clone]",
                "ALTER ROLE [order writers] ADD MEMBER [app_clone]",
                "GRANT SELECT ON OBJECT::[sales].[o'rders] TO [app_clone]",
                "GRANT UPDATE ON OBJECT::[sales].[orders] ([ship]]date]) TO [app_clone]",
                "GRANT EXECUTE ON SCHEMA::[sales] TO [app_clone] WITH GRANT OPTION",
                "DENY DELETE ON OBJECT::[sales].[o'rders] TO [app_clone]",
                "GRANT VIEW DEFINITION ON ROLE::[order writers] TO [app_clone]",
                "GRANT EXECUTE ON TYPE::[sales].[money list] TO [app_clone]",
                "GRANT CONTROL ON CERTIFICATE::[signing] TO [app_clone]");
        assertThat(database.escapeProcessing()).containsOnly(false);
    }

    @Test
    void createOrSyncUser_on_an_existing_copy_sets_the_password_and_takes_away_what_the_original_lost()
            throws Exception {
        // given
        ScriptedConnection database = original("app")
                .answer("FROM sys.sql_logins", List.of("app_clone"), List.of(login("app_clone")))
                .answer("FROM sys.server_role_members", List.of("app_clone"), List.of(
                        row("name", "report]ers"), row("name", "sysadmin")))
                .answer("FROM sys.server_permissions", List.of("app_clone"), List.of(
                        serverPermission(100, "CONNECT SQL", "G", null, null),
                        serverPermission(100, "VIEW SERVER STATE", "G", null, null),
                        serverPermission(101, "IMPERSONATE", "G", "batch", "S"),
                        serverPermission(105, "CONNECT", "G", "TSQL Default TCP", null),
                        serverPermission(100, "ALTER ANY LOGIN", "G", null, null)))
                .answer("sp.name = ?", List.of("app_clone"), List.of(row("name", "app_clone",
                        "default_schema_name", "sales")))
                .answer("FROM sys.database_role_members", List.of("app_clone"), List.of(
                        row("name", "db_datareader"), row("name", "order writers"), row("name", "db_owner")))
                .answer("FROM sys.database_permissions", List.of("app_clone"), List.of(
                        databasePermission(0, "CONNECT", "G", null, null, null, null),
                        databasePermission(1, "SELECT", "G", "sales", "o'rders", null, null),
                        databasePermission(1, "UPDATE", "G", "sales", "orders", "ship]date", null),
                        databasePermission(3, "EXECUTE", "G", null, "sales", null, null),
                        databasePermission(1, "DELETE", "D", "sales", "o'rders", null, null),
                        databasePermission(4, "VIEW DEFINITION", "G", null, "order writers", null, "R"),
                        databasePermission(6, "EXECUTE", "G", "sales", "money list", null, null),
                        databasePermission(25, "CONTROL", "G", null, "signing", null, null),
                        databasePermission(1, "INSERT", "W", "sales", "orders", null, null)));

        // when
        engine.createOrSyncUser(database.connection(), "app", "app_clone", "Clone-Pa55");

        // then
        assertThat(database.executed()).containsExactly(
                "ALTER LOGIN [app_clone] WITH PASSWORD = N'Clone-Pa55'",
                "ALTER SERVER ROLE [sysadmin] DROP MEMBER [app_clone]",
                "REVOKE ALTER ANY LOGIN FROM [app_clone]",
                "ALTER ROLE [db_owner] DROP MEMBER [app_clone]",
                "REVOKE EXECUTE ON SCHEMA::[sales] FROM [app_clone]",
                "REVOKE INSERT ON OBJECT::[sales].[orders] FROM [app_clone] CASCADE",
                "GRANT EXECUTE ON SCHEMA::[sales] TO [app_clone] WITH GRANT OPTION");
    }

    @Test
    void createOrSyncUser_reattaches_an_orphaned_database_user_of_the_same_name() throws Exception {
        // given
        ScriptedConnection database = original("app")
                .answer("FROM sys.sql_logins", List.of("app_clone"), List.of())
                .answer("FROM sys.server_role_members", List.of("app_clone"), List.of(row("name", "report]ers")))
                .answer("FROM sys.server_permissions", List.of("app_clone"), List.of(
                        serverPermission(100, "CONNECT SQL", "G", null, null)))
                .answer("sp.name = ?", List.of("app_clone"), List.of())
                .answer("SELECT name FROM sys.database_principals WHERE name = ?", List.of("app_clone"),
                        List.of(row("name", "app_clone")))
                .answer("FROM sys.database_role_members", List.of("app_clone"), List.of())
                .answer("FROM sys.database_permissions", List.of("app_clone"), List.of());

        // when
        engine.createOrSyncUser(database.connection(), "app", "app_clone", "Clone-Pa55");

        // then
        assertThat(database.executed()).contains(
                "ALTER USER [app_clone] WITH LOGIN = [app_clone], DEFAULT_SCHEMA = [sales]");
    }

    @Test
    void createOrSyncUser_copies_a_contained_database_user_as_a_contained_user() throws Exception {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of())
                .answer("authentication_type = 2", List.of("reporter"), List.of(row("name", "reporter",
                        "default_schema_name", "reports")))
                .answer("authentication_type = 2", List.of("reporter_clone"), List.of())
                .answer("FROM sys.database_role_members", List.of("reporter"), List.of(row("name", "db_datareader")))
                .answer("FROM sys.database_role_members", List.of("reporter_clone"), List.of())
                .answer("FROM sys.database_permissions", List.of("reporter"), List.of(
                        databasePermission(0, "CONNECT", "G", null, null, null, null)))
                .answer("FROM sys.database_permissions", List.of("reporter_clone"), List.of());

        // when
        engine.createOrSyncUser(database.connection(), "reporter", "reporter_clone", "Clone-Pa55");

        // then
        assertThat(database.executed()).containsExactly(
                "CREATE USER [reporter_clone] WITH PASSWORD = N'Clone-Pa55', DEFAULT_SCHEMA = [reports]",
                "ALTER ROLE [db_datareader] ADD MEMBER [reporter_clone]",
                "GRANT CONNECT TO [reporter_clone]");
    }

    @Test
    void createOrSyncUser_refuses_a_login_that_owns_the_database_before_changing_anything() {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of("owner"), List.of(login("owner")))
                .answer("FROM sys.server_role_members", List.of())
                .answer("FROM sys.server_permissions", List.of())
                .answer("sp.name = ?", List.of("owner"), List.of(row("name", "dbo", "default_schema_name", "dbo")));

        // when / then
        assertThatThrownBy(() -> engine.createOrSyncUser(database.connection(), "owner", "owner_clone", "Pa55-x1"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("maps to its dbo user");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void createOrSyncUser_refuses_a_permission_it_cannot_name_before_changing_anything() {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of("app"), List.of(login("app")))
                .answer("FROM sys.server_role_members", List.of())
                .answer("FROM sys.server_permissions", List.of("app"), List.of(
                        serverPermission(108, "ALTER", "G", null, null)));

        // when / then
        assertThatThrownBy(() -> engine.createOrSyncUser(database.connection(), "app", "app_clone", "Pa55-x1"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("server securable class 108");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void createOrSyncUser_refuses_a_permission_name_that_is_not_plain_keywords() {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of("app"), List.of(login("app")))
                .answer("FROM sys.server_role_members", List.of())
                .answer("FROM sys.server_permissions", List.of("app"), List.of(
                        serverPermission(100, "SELECT TO x; DROP LOGIN sa --", "G", null, null)));

        // when / then
        assertThatThrownBy(() -> engine.createOrSyncUser(database.connection(), "app", "app_clone", "Pa55-x1"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("not plain upper-case words");
        assertThat(database.executed()).isEmpty();
    }

    // scripted catalogs

    private static ScriptedConnection loggedInThroughALogin() {
        return new ScriptedConnection().answer("DATABASE_PRINCIPAL_ID()", List.of(row("authentication_type", 1)));
    }

    /** The original login with server and database grants of every supported kind. */
    private static ScriptedConnection original(String name) {
        return new ScriptedConnection()
                .answer("FROM sys.sql_logins", List.of(name), List.of(row("name", name,
                        "default_database_name", "app db", "default_language_name", "us_english",
                        "is_policy_checked", true, "is_expiration_checked", false)))
                .answer("FROM sys.server_role_members", List.of(name), List.of(row("name", "report]ers")))
                .answer("FROM sys.server_permissions", List.of(name), List.of(
                        serverPermission(100, "CONNECT SQL", "G", null, null),
                        serverPermission(100, "VIEW SERVER STATE", "G", null, null),
                        serverPermission(101, "IMPERSONATE", "G", "batch", "S"),
                        serverPermission(105, "CONNECT", "G", "TSQL Default TCP", null)))
                .answer("sp.name = ?", List.of(name), List.of(row("name", "app_user",
                        "default_schema_name", "sales")))
                .answer("FROM sys.database_role_members", List.of("app_user"), List.of(
                        row("name", "db_datareader"), row("name", "order writers")))
                .answer("FROM sys.database_permissions", List.of("app_user"), List.of(
                        databasePermission(0, "CONNECT", "G", null, null, null, null),
                        databasePermission(1, "SELECT", "G", "sales", "o'rders", null, null),
                        databasePermission(1, "UPDATE", "G", "sales", "orders", "ship]date", null),
                        databasePermission(3, "EXECUTE", "W", null, "sales", null, null),
                        databasePermission(1, "DELETE", "D", "sales", "o'rders", null, null),
                        databasePermission(4, "VIEW DEFINITION", "G", null, "order writers", null, "R"),
                        databasePermission(6, "EXECUTE", "G", "sales", "money list", null, null),
                        databasePermission(25, "CONTROL", "G", null, "signing", null, null)));
    }

    private static Map<String, Object> login(String name) {
        return row("name", name, "default_database_name", "master", "default_language_name", "us_english",
                "is_policy_checked", true, "is_expiration_checked", false);
    }

    private static Map<String, Object> serverPermission(int securableClass, String name, String state,
            String securable, String principalType) {
        return row("class", securableClass, "permission_name", name, "state", state, "securable", securable,
                "principal_type", principalType);
    }

    private static Map<String, Object> databasePermission(int securableClass, String name, String state,
            String schema, String securable, String column, String principalType) {
        return row("class", securableClass, "permission_name", name, "state", state, "schema_name", schema,
                "securable", securable, "column_name", column, "principal_type", principalType);
    }

    private static String printableAscii() {
        StringBuilder all = new StringBuilder();
        for (char c = ' '; c <= '~'; c++) {
            all.append(c);
        }
        return all.toString();
    }
}
