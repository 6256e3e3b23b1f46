package dev.keyturn.oracle;

import static dev.keyturn.core.testing.ScriptedConnection.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.RotationStateException;
import dev.keyturn.core.testing.ScriptedConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact SQL the engine sends to Oracle, quoting included. No Oracle server can run on the build
 * machine, so these tests sit at the JDBC boundary: a {@link ScriptedConnection} answers the dictionary
 * queries and records the statements. What the server does with them is proven by
 * OracleContainerRotationTest wherever Docker runs.
 *
 * <p>Statement forms, checked against Oracle's reference:
 * <ul>
 * <li>ALTER USER ... IDENTIFIED BY ... REPLACE:
 *     https://docs.oracle.com/en/database/oracle/oracle-database/19/sqlrf/ALTER-USER.html
 *     and the 23ai syntax https://docs.oracle.com/cd/G47991_01/sqlrf/img_text/alter_user.html
 * <li>REPLACE required under a verify function, and checked only on one's own password:
 *     https://docs.Oracle.com/cd/B10500_01/server.920/a96540/statements_44a.htm
 * <li>GRANT, REVOKE, WITH ADMIN / GRANT / HIERARCHY OPTION:
 *     https://docs.oracle.com/cd/E18283_01/server.112/e17118/statements_9013.htm and
 *     https://docs.oracle.com/en/database/oracle/oracle-database/19/dbseg/grants-user-privileges-and-roles.html
 * <li>password rollover (single-user-overlap; see PasswordRolloverStatementsTest):
 *     https://docs.oracle.com/en/database/oracle/oracle-database/23/sqpug/PASSWORD.html
 * <li>30-byte passwords:
 *     https://docs.oracle.com/en/database/oracle/oracle-database/19/dbseg/minimum-requirements-passwords.html
 * </ul>
 */
class OracleStatementsTest {
    /** Every printable ASCII character but the double quote, a letter first, as the rules allow. */
    static final String ALL_ALLOWED = allowedAscii();

    private final OracleEngine engine = new OracleEngine(Map.of());
    private final OracleEngine longPasswords = new OracleEngine(Map.of("ORACLE_PASSWORD_MAX_BYTES", "1024"));

    @ParameterizedTest
    @ValueSource(strings = {"APP]USER", "O'BRIEN", "APP USER", "JÜRGEN_日本", "SELECT"})
    void changeOwnPassword_quotes_the_session_user_as_stored(String sessionUser) throws Exception {
        // given
        ScriptedConnection database = loggedInAs(sessionUser);

        // when
        engine.changeOwnPassword(database.connection(), sessionUser.toLowerCase(), "Old'Pa55", "New]Pa55");

        // then
        assertThat(database.executed()).containsExactly(
                "ALTER USER \"" + sessionUser + "\" IDENTIFIED BY \"New]Pa55\" REPLACE \"Old'Pa55\"");
    }

    @Test
    void changeOwnPassword_carries_every_allowed_printable_character_verbatim() throws Exception {
        // given
        ScriptedConnection database = loggedInAs("APP");

        // when
        longPasswords.changeOwnPassword(database.connection(), "app", "Old-Pa55", ALL_ALLOWED);

        // then
        assertThat(database.executed()).containsExactly(
                "ALTER USER \"APP\" IDENTIFIED BY \"" + ALL_ALLOWED + "\" REPLACE \"Old-Pa55\"");
        assertThat(ALL_ALLOWED).hasSize(94).contains("'", "{", "}", "?", ":", ";", "&", "@", "/", "\\", " ");
        assertThat(database.escapeProcessing()).containsExactly(false);
    }

    @Test
    void changeOwnPassword_refuses_a_new_password_with_a_double_quote_before_any_sql() {
        // given
        ScriptedConnection database = loggedInAs("APP");

        // when / then
        assertThatThrownBy(() -> engine.changeOwnPassword(database.connection(), "app", "Old-Pa55", "New\"Pa55"))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("double quote")
                .hasMessageNotContaining("New\"Pa55");
        assertThat(database.queries()).isEmpty();
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void changeOwnPassword_refuses_an_old_password_with_a_double_quote_before_any_sql() {
        // given
        ScriptedConnection database = loggedInAs("APP");

        // when / then
        assertThatThrownBy(() -> engine.changeOwnPassword(database.connection(), "app", "Old\"Pa55", "New-Pa55"))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("logged in with");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void changeOwnPassword_measures_the_limit_in_bytes_not_characters() {
        // given: 16 characters, 32 bytes in UTF-8, over the default 30
        ScriptedConnection database = loggedInAs("APP");
        String accented = "Ééééééééééééééé1";

        // when / then
        assertThatThrownBy(() -> engine.changeOwnPassword(database.connection(), "app", "Old-Pa55", accented))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("has 31 bytes")
                .hasMessageContaining("ORACLE_PASSWORD_MAX_BYTES");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void setPassword_resets_the_user_as_oracle_reads_the_secret_name() throws Exception {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("SELECT UPPER(?) FROM DUAL", List.of("admin o'neil]"), List.of(row("name", "ADMIN O'NEIL]")))
                .answer("FROM dba_users", List.of("ADMIN O'NEIL]"), List.of(user("ADMIN O'NEIL]")));

        // when
        engine.setPassword(database.connection(), "admin o'neil]", "New'Pa55");

        // then
        assertThat(database.executed()).containsExactly("ALTER USER \"ADMIN O'NEIL]\" IDENTIFIED BY \"New'Pa55\"");
    }

    @Test
    void setPassword_refuses_a_user_the_database_does_not_have() {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("SELECT UPPER(?) FROM DUAL", List.of(row("name", "GHOST")))
                .answer("FROM dba_users", List.of());

        // when / then
        assertThatThrownBy(() -> engine.setPassword(database.connection(), "ghost", "New-Pa55"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("no user GHOST");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void createOrSyncUser_creates_the_clone_like_the_original_and_grants_what_it_holds() throws Exception {
        // given
        ScriptedConnection database = original()
                .answer("FROM dba_users", List.of("APP_CLONE"), List.of())
                .answer("FROM dba_role_privs", List.of("APP_CLONE"), List.of())
                .answer("FROM dba_sys_privs", List.of("APP_CLONE"), List.of())
                .answer("FROM dba_tab_privs", List.of("APP_CLONE"), List.of());

        // when
        engine.createOrSyncUser(database.connection(), "app", "app_CLONE", "Clone'Pa55");

        // then
        assertThat(database.executed()).containsExactly(
                "CREATE USER \"APP_CLONE\" IDENTIFIED BY \"Clone'Pa55\" DEFAULT TABLESPACE \"USERS\" "
                        + "TEMPORARY TABLESPACE \"TEMP\" PROFILE \"APP PROFILE\"",
                "GRANT \"CONNECT\" TO \"APP_CLONE\"",
                "GRANT \"ORDER WRITER\" TO \"APP_CLONE\" WITH ADMIN OPTION",
                "GRANT CREATE SESSION TO \"APP_CLONE\"",
                "GRANT SELECT ANY DICTIONARY TO \"APP_CLONE\" WITH ADMIN OPTION",
                "GRANT SELECT ON \"SALES\".\"O'RDERS\" TO \"APP_CLONE\"",
                "GRANT UPDATE ON \"SALES\".\"Mixed Case\" TO \"APP_CLONE\" WITH GRANT OPTION",
                "GRANT UNDER ON \"SALES\".\"ADDRESS_T\" TO \"APP_CLONE\" WITH HIERARCHY OPTION",
                "GRANT READ ON DIRECTORY \"EXPORTS\" TO \"APP_CLONE\"",
                "GRANT EXECUTE ON \"SYS\".\"DBMS_LOCK\" TO \"APP_CLONE\"");
        assertThat(database.escapeProcessing()).containsOnly(false);
    }

    @Test
    void createOrSyncUser_leaves_the_default_profile_unnamed() throws Exception {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("SELECT UPPER(?) FROM DUAL", List.of("app"), List.of(row("name", "APP")))
                .answer("SELECT UPPER(?) FROM DUAL", List.of("app_CLONE"), List.of(row("name", "APP_CLONE")))
                .answer("FROM dba_users", List.of("APP"), List.of(row("username", "APP", "default_tablespace",
                        "USERS", "temporary_tablespace", "TEMP", "profile", "DEFAULT")))
                .answer("FROM dba_users", List.of("APP_CLONE"), List.of())
                .answer("FROM dba_role_privs", List.of())
                .answer("FROM dba_sys_privs", List.of())
                .answer("FROM dba_tab_privs", List.of());

        // when
        engine.createOrSyncUser(database.connection(), "app", "app_CLONE", "Clone-Pa55");

        // then
        assertThat(database.executed()).containsExactly("CREATE USER \"APP_CLONE\" IDENTIFIED BY \"Clone-Pa55\" "
                + "DEFAULT TABLESPACE \"USERS\" TEMPORARY TABLESPACE \"TEMP\"");
    }

    @Test
    void createOrSyncUser_on_an_existing_clone_sets_the_password_and_takes_away_what_the_original_lost()
            throws Exception {
        // given
        ScriptedConnection database = original()
                .answer("FROM dba_users", List.of("APP_CLONE"), List.of(user("APP_CLONE")))
                .answer("FROM dba_role_privs", List.of("APP_CLONE"), List.of(
                        adminRow("granted_role", "CONNECT", "NO"), adminRow("granted_role", "ORDER WRITER", "NO"),
                        adminRow("granted_role", "DBA", "NO")))
                .answer("FROM dba_sys_privs", List.of("APP_CLONE"), List.of(
                        adminRow("privilege", "CREATE SESSION", "NO"),
                        adminRow("privilege", "SELECT ANY DICTIONARY", "YES"),
                        adminRow("privilege", "UNLIMITED TABLESPACE", "NO")))
                .answer("FROM dba_tab_privs", List.of("APP_CLONE"), List.of(
                        objectRow("SALES", "O'RDERS", "SELECT", "NO", "NO", "TABLE"),
                        objectRow("SALES", "Mixed Case", "UPDATE", "YES", "NO", "TABLE"),
                        objectRow("SALES", "ADDRESS_T", "UNDER", "NO", "YES", "TYPE"),
                        objectRow("SYS", "EXPORTS", "READ", "NO", "NO", "DIRECTORY"),
                        objectRow("SYS", "DBMS_LOCK", "EXECUTE", "NO", "NO", "PACKAGE"),
                        objectRow("SALES", "CUSTOMERS", "REFERENCES", "NO", "NO", "TABLE")));

        // when
        engine.createOrSyncUser(database.connection(), "app", "app_CLONE", "Clone-Pa55");

        // then
        assertThat(database.executed()).containsExactly(
                "ALTER USER \"APP_CLONE\" IDENTIFIED BY \"Clone-Pa55\"",
                "REVOKE \"ORDER WRITER\" FROM \"APP_CLONE\"",
                "REVOKE \"DBA\" FROM \"APP_CLONE\"",
                "REVOKE UNLIMITED TABLESPACE FROM \"APP_CLONE\"",
                "REVOKE REFERENCES ON \"SALES\".\"CUSTOMERS\" FROM \"APP_CLONE\" CASCADE CONSTRAINTS",
                "GRANT \"ORDER WRITER\" TO \"APP_CLONE\" WITH ADMIN OPTION");
    }

    @Test
    void createOrSyncUser_refuses_an_original_the_database_does_not_have_before_changing_anything() {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("SELECT UPPER(?) FROM DUAL", List.of("app"), List.of(row("name", "APP")))
                .answer("FROM dba_users", List.of());

        // when / then
        assertThatThrownBy(() -> engine.createOrSyncUser(database.connection(), "app", "app_CLONE", "Pa55-x1y"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("no user APP");
        assertThat(database.executed()).isEmpty();
    }

    @Test
    void createOrSyncUser_refuses_a_privilege_name_that_is_not_plain_keywords_before_changing_anything() {
        // given
        ScriptedConnection database = new ScriptedConnection()
                .answer("SELECT UPPER(?) FROM DUAL", List.of("app"), List.of(row("name", "APP")))
                .answer("FROM dba_users", List.of("APP"), List.of(user("APP")))
                .answer("FROM dba_role_privs", List.of())
                .answer("FROM dba_sys_privs", List.of("APP"), List.of(
                        adminRow("privilege", "DBA TO X; DROP USER SYSTEM CASCADE --", "NO")));

        // when / then
        assertThatThrownBy(() -> engine.createOrSyncUser(database.connection(), "app", "app_CLONE", "Pa55-x1y"))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("not plain upper-case words");
        assertThat(database.executed()).isEmpty();
    }

    // scripted dictionaries

    private static ScriptedConnection loggedInAs(String sessionUser) {
        return new ScriptedConnection().answer("SESSION_USER", List.of(row("user", sessionUser)));
    }

    private static ScriptedConnection original() {
        return new ScriptedConnection()
                .answer("SELECT UPPER(?) FROM DUAL", List.of("app"), List.of(row("name", "APP")))
                .answer("SELECT UPPER(?) FROM DUAL", List.of("app_CLONE"), List.of(row("name", "APP_CLONE")))
                .answer("FROM dba_users", List.of("APP"), List.of(user("APP")))
                .answer("FROM dba_role_privs", List.of("APP"), List.of(
                        adminRow("granted_role", "CONNECT", "NO"), adminRow("granted_role", "ORDER WRITER", "YES")))
                .answer("FROM dba_sys_privs", List.of("APP"), List.of(
                        adminRow("privilege", "CREATE SESSION", "NO"),
                        adminRow("privilege", "SELECT ANY DICTIONARY", "YES")))
                .answer("FROM dba_tab_privs", List.of("APP"), List.of(
                        objectRow("SALES", "O'RDERS", "SELECT", "NO", "NO", "TABLE"),
                        objectRow("SALES", "O'RDERS", "SELECT", "NO", "NO", "TABLE"),
                        objectRow("SALES", "Mixed Case", "UPDATE", "YES", "NO", "TABLE"),
                        objectRow("SALES", "ADDRESS_T", "UNDER", "NO", "YES", "TYPE"),
                        objectRow("SYS", "EXPORTS", "READ", "NO", "NO", "DIRECTORY"),
                        objectRow("SYS", "DBMS_LOCK", "EXECUTE", "NO", "NO", "PACKAGE")));
    }

    private static Map<String, Object> user(String name) {
        return row("username", name, "default_tablespace", "USERS", "temporary_tablespace", "TEMP",
                "profile", "APP PROFILE");
    }

    private static Map<String, Object> adminRow(String column, String name, String adminOption) {
        return row(column, name, "admin_option", adminOption);
    }

    private static Map<String, Object> objectRow(String owner, String table, String privilege, String grantable,
            String hierarchy, String type) {
        return row("owner", owner, "table_name", table, "privilege", privilege, "grantable", grantable,
                "hierarchy", hierarchy, "type", type);
    }

    private static String allowedAscii() {
        StringBuilder all = new StringBuilder("A");
        for (char c = ' '; c <= '~'; c++) {
            if (c != '"' && c != 'A') {
                all.append(c);
            }
        }
        return all.toString();
    }
}
