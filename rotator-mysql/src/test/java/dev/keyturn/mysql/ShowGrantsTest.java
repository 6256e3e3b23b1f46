package dev.keyturn.mysql;

import static dev.keyturn.mysql.Grant.Kind.DEFAULT_ROLE;
import static dev.keyturn.mysql.Grant.Kind.PARTIAL_REVOKE;
import static dev.keyturn.mysql.Grant.Kind.PRIVILEGE;
import static dev.keyturn.mysql.Grant.Kind.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lines are as MySQL 5.7, 8.0, 8.4 and MariaDB 10.11 print them. */
class ShowGrantsTest {

    @Test
    void parse_should_split_a_privilege_list_into_one_grant_per_privilege() {
        var grants = ShowGrants.parse("GRANT SELECT, INSERT, CREATE TEMPORARY TABLES ON `shop`.* TO `app`@`%`",
                Quoting.DEFAULT);

        assertThat(grants).containsExactly(
                new Grant(PRIVILEGE, "SELECT", "`shop`.*", false),
                new Grant(PRIVILEGE, "INSERT", "`shop`.*", false),
                new Grant(PRIVILEGE, "CREATE TEMPORARY TABLES", "`shop`.*", false));
    }

    @Test
    void parse_should_skip_usage_which_grants_nothing() {
        assertThat(ShowGrants.parse("GRANT USAGE ON *.* TO `app`@`%`", Quoting.DEFAULT)).isEmpty();
    }

    @Test
    void parse_should_give_each_column_of_a_column_privilege_its_own_grant() {
        var grants = ShowGrants.parse("GRANT SELECT (`we\"i``rd`, `a`), INSERT (`a`) ON `kt`.`t` TO `u`@`%`",
                Quoting.DEFAULT);

        assertThat(grants).extracting(Grant::privilege)
                .containsExactly("SELECT (`we\"i``rd`)", "SELECT (`a`)", "INSERT (`a`)");
        assertThat(grants).extracting(Grant::object).containsOnly("`kt`.`t`");
    }

    @Test
    void parse_should_read_the_grant_option_after_mariadbs_password_hash_and_limits() {
        String line = "GRANT PROCESS ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*2B60' REQUIRE ISSUER "
                + "'CN=it''s GRANT OPTION' SUBJECT 'CN=x' WITH GRANT OPTION MAX_QUERIES_PER_HOUR 7";

        assertThat(ShowGrants.parse(line, Quoting.DEFAULT))
                .containsExactly(new Grant(PRIVILEGE, "PROCESS", "*.*", true));
    }

    @Test
    void parse_should_not_take_words_inside_quoted_strings_for_the_grant_option() {
        String line = "GRANT PROCESS ON *.* TO `u`@`%` REQUIRE SUBJECT 'CN=GRANT OPTION'";

        assertThat(ShowGrants.parse(line, Quoting.DEFAULT))
                .containsExactly(new Grant(PRIVILEGE, "PROCESS", "*.*", false));
    }

    @Test
    void parse_should_read_mysql_8_role_grants_with_the_admin_option() {
        var grants = ShowGrants.parse("GRANT `reader`@`%`,`writer`@`10.%` TO `app`@`%` WITH ADMIN OPTION",
                Quoting.DEFAULT);

        assertThat(grants).containsExactly(
                new Grant(ROLE, "`reader`@`%`", "", true),
                new Grant(ROLE, "`writer`@`10.%`", "", true));
    }

    @Test
    void parse_should_read_mariadb_role_grants_and_default_roles() {
        assertThat(ShowGrants.parse("GRANT `kt_role` TO `u`@`%`", Quoting.DEFAULT))
                .containsExactly(new Grant(ROLE, "`kt_role`", "", false));
        assertThat(ShowGrants.parse("SET DEFAULT ROLE `kt_role` FOR `u`@`%`", Quoting.DEFAULT))
                .containsExactly(new Grant(DEFAULT_ROLE, "`kt_role`", "", false));
    }

    @Test
    void parse_should_read_mysql_8_partial_revokes() {
        assertThat(ShowGrants.parse("REVOKE INSERT, UPDATE ON `mysql`.* FROM `app`@`%`", Quoting.DEFAULT))
                .containsExactly(new Grant(PARTIAL_REVOKE, "INSERT", "`mysql`.*", false),
                        new Grant(PARTIAL_REVOKE, "UPDATE", "`mysql`.*", false));
    }

    @Test
    void parse_should_read_mysql_8_dynamic_privileges_listed_without_spaces() {
        var grants = ShowGrants.parse("GRANT BACKUP_ADMIN,XA_RECOVER_ADMIN ON *.* TO `app`@`%` WITH GRANT OPTION",
                Quoting.DEFAULT);

        assertThat(grants).containsExactly(new Grant(PRIVILEGE, "BACKUP_ADMIN", "*.*", true),
                new Grant(PRIVILEGE, "XA_RECOVER_ADMIN", "*.*", true));
    }

    @Test
    void parse_should_keep_routine_and_proxy_objects_whole() {
        assertThat(ShowGrants.parse("GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE `db`.`p` TO `a`@`%`", Quoting.DEFAULT))
                .extracting(Grant::object).containsOnly("PROCEDURE `db`.`p`");
        assertThat(ShowGrants.parse("GRANT PROXY ON ``@`` TO `a`@`%` WITH GRANT OPTION", Quoting.DEFAULT))
                .containsExactly(new Grant(PRIVILEGE, "PROXY", "``@``", true));
    }

    @Test
    void parse_should_ignore_keywords_and_commas_inside_quoted_names() {
        var grants = ShowGrants.parse("GRANT SELECT ON `to on, grant`.`x TO y` TO `to`@`on`", Quoting.DEFAULT);

        assertThat(grants).containsExactly(new Grant(PRIVILEGE, "SELECT", "`to on, grant`.`x TO y`", false));
    }

    @Test
    void parse_should_read_mysql_5_7_single_quoted_accounts_with_backslash_escapes() {
        var grants = ShowGrants.parse("GRANT SELECT ON `shop`.* TO 'o\\'b TO'@'%' WITH GRANT OPTION",
                Quoting.DEFAULT);

        assertThat(grants).containsExactly(new Grant(PRIVILEGE, "SELECT", "`shop`.*", true));
    }

    @Test
    void parse_should_treat_a_backslash_as_plain_under_no_backslash_escapes() {
        Quoting noBackslashEscapes = Quoting.fromSqlMode("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES");

        var grants = ShowGrants.parse("GRANT SELECT ON `shop`.* TO 'ends with \\'@'%' WITH GRANT OPTION",
                noBackslashEscapes);

        assertThat(grants).containsExactly(new Grant(PRIVILEGE, "SELECT", "`shop`.*", true));
    }

    @Test
    void parse_should_read_identifiers_in_double_quotes_under_ansi_quotes() {
        Quoting ansi = Quoting.fromSqlMode("ANSI_QUOTES");

        var grants = ShowGrants.parse("GRANT SELECT (\"we\"\"i`rd\\\") ON \"kt\".\"t\" TO \"u\"@\"%\"", ansi);

        assertThat(grants).containsExactly(new Grant(PRIVILEGE, "SELECT (\"we\"\"i`rd\\\")", "\"kt\".\"t\"", false));
    }

    @Test
    void parse_should_refuse_a_form_it_does_not_know_without_quoting_the_line() {
        assertThatThrownBy(() -> ShowGrants.parse("ALTER USER `u`@`%` IDENTIFIED BY PASSWORD '*SECRETHASH'",
                Quoting.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("SECRETHASH");
        assertThatThrownBy(() -> ShowGrants.parse("GRANT SELECT ON `unterminated TO `u`@`%`", Quoting.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not end");
    }

    @Test
    void grants_should_render_their_statements_for_an_account_in_backticks() {
        String account = Grant.quotedAccount("o'b`r\\", "10.%");

        assertThat(account).isEqualTo("`o'b``r\\`@`10.%`");
        assertThat(new Grant(PRIVILEGE, "SELECT (`a`)", "`db`.`t`", true).additionSql(account))
                .isEqualTo("GRANT SELECT (`a`) ON `db`.`t` TO " + account + " WITH GRANT OPTION");
        assertThat(new Grant(PRIVILEGE, "SELECT (`a`)", "`db`.`t`", true).removalSql(account))
                .isEqualTo("REVOKE SELECT (`a`) ON `db`.`t` FROM " + account);
        assertThat(new Grant(ROLE, "`r`@`%`", "", true).additionSql(account))
                .isEqualTo("GRANT `r`@`%` TO " + account + " WITH ADMIN OPTION");
        assertThat(new Grant(ROLE, "`r`@`%`", "", true).removalSql(account))
                .isEqualTo("REVOKE `r`@`%` FROM " + account);
        assertThat(new Grant(PARTIAL_REVOKE, "INSERT", "`mysql`.*", false).additionSql(account))
                .isEqualTo("REVOKE INSERT ON `mysql`.* FROM " + account);
        assertThat(new Grant(PARTIAL_REVOKE, "INSERT", "`mysql`.*", false).removalSql(account))
                .isEqualTo("GRANT INSERT ON `mysql`.* TO " + account);
        assertThat(new Grant(DEFAULT_ROLE, "`r`", "", false).additionSql(account))
                .isEqualTo("SET DEFAULT ROLE `r` FOR " + account);
        assertThat(new Grant(DEFAULT_ROLE, "`r`", "", false).removalSql(account))
                .isEqualTo("SET DEFAULT ROLE NONE FOR " + account);
    }
}
