package dev.keyturn.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Password changes on the scram-sha-256 test cluster, which logs every statement it runs. */
class PostgresPasswordTest {
    /** Every printable ASCII character, space included. */
    static final String PRINTABLE_ASCII = IntStream.rangeClosed(0x20, 0x7e)
            .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());

    private final TestCluster cluster = TestCluster.get();
    private final PostgresEngine engine = new PostgresEngine();
    private final TestRoles roles = new TestRoles();

    @AfterEach
    void dropRoles() throws SQLException {
        roles.close();
    }

    @Test
    void changeOwnPassword_should_make_the_new_password_work_and_the_old_one_fail() throws SQLException {
        // given
        String user = roles.create(TestCluster.uniqueName("kt_own"), "old-password-1");

        // when
        try (Connection asUser = engine.connect(cluster.plaintext(user, "old-password-1"))) {
            engine.changeOwnPassword(asUser, user, "old-password-1", "new-password-2");
        }

        // then
        assertThat(roles.canLogin(user, "new-password-2")).isTrue();
        assertThat(roles.canLogin(user, "old-password-1")).isFalse();
    }

    @Test
    void setPassword_should_store_a_scram_verifier_and_keep_the_password_out_of_the_server_log()
            throws SQLException, IOException {
        // given a cluster that logs every statement (log_statement = all)
        String user = roles.create(TestCluster.uniqueName("kt_log"), "first-password-1");
        String newPassword = "Not-In-Any-Log-" + TestCluster.uniqueName("pw");

        // when
        try (Connection admin = cluster.admin()) {
            engine.setPassword(admin, user, newPassword);
        }

        // then
        assertThat(roles.canLogin(user, newPassword)).isTrue();
        assertThat(roles.query("SELECT rolpassword FROM pg_authid WHERE rolname = ?", user))
                .singleElement().asString().startsWith("SCRAM-SHA-256$");
        assertThat(cluster.serverLogText()).contains("ALTER USER \"" + user + "\" PASSWORD 'SCRAM-SHA-256$")
                .doesNotContain(newPassword);
    }

    @Test
    void setPassword_should_accept_a_password_of_every_printable_ascii_character() throws SQLException {
        String user = roles.create(TestCluster.uniqueName("kt_ascii"), "first-password-1");

        try (Connection admin = cluster.admin()) {
            engine.setPassword(admin, user, PRINTABLE_ASCII);
        }

        assertThat(roles.canLogin(user, PRINTABLE_ASCII)).isTrue();
        assertThat(roles.canLogin(user, "first-password-1")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kt with spaces", "kt_Ünïcödé_名前", "kt;DROP ROLE keyturn_admin;--", "KT_MixedCase",
        "kt$$dollar$$", "kt\"quote", "kt'apostrophe\\"})
    void setPassword_should_reach_users_whose_names_need_quoting(String prefix) throws SQLException {
        // given
        String user = roles.create(TestCluster.uniqueName(prefix), "first-password-1");

        // when
        try (Connection asUser = engine.connect(cluster.plaintext(user, "first-password-1"))) {
            engine.changeOwnPassword(asUser, user, "first-password-1", "second-password-2");
        }

        // then
        assertThat(roles.canLogin(user, "second-password-2")).isTrue();
        assertThat(roles.exists(cluster.adminUser)).isTrue();
    }
}
