package dev.keyturn.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The other user of alternating-users rotation, on PostgreSQL 15. */
class PostgresCloneTest {
    private final TestCluster cluster = TestCluster.get();
    private final PostgresEngine engine = new PostgresEngine();
    private final TestRoles roles = new TestRoles();

    @AfterEach
    void dropRoles() throws SQLException {
        roles.close();
    }

    @Test
    void createOrSyncUser_should_make_a_clone_whose_sessions_act_as_the_base_user() throws SQLException {
        // given
        String base = roles.create(TestCluster.uniqueName("kt_base"), "base-password-1");
        String clone = roles.forget(base + engine.cloneSuffix());

        // when
        sync(base, clone, "clone-password-1");

        // then the default role applies at login, so current_user is the base user
        try (Connection asClone = engine.connect(cluster.plaintext(clone, "clone-password-1"))) {
            assertThat(queryOne(asClone, "SELECT session_user")).isEqualTo(clone);
            assertThat(queryOne(asClone, "SELECT current_user")).isEqualTo(base);
        }
        assertThat(roles.query("SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                + "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = ?", clone)).containsExactly(base);
    }

    @ParameterizedTest
    // the core refuses quotes and backslashes in user names; the engine must be safe without that
    @ValueSource(strings = {"kt with spaces", "kt_Ünïcödé_名前", "kt;SET role TO keyturn_admin;--", "KT_Upper",
        "kt\"quote", "kt'apostrophe\\"})
    void createOrSyncUser_should_quote_names_in_every_statement(String prefix) throws SQLException {
        // given
        String base = roles.create(TestCluster.uniqueName(prefix), "base-password-1");
        String clone = roles.forget(base + engine.cloneSuffix());

        // when
        sync(base, clone, "clone-password-1");

        // then
        try (Connection asClone = engine.connect(cluster.plaintext(clone, "clone-password-1"))) {
            assertThat(queryOne(asClone, "SELECT current_user")).isEqualTo(base);
        }
    }

    @Test
    void createOrSyncUser_should_copy_the_role_attributes_on_every_call() throws SQLException {
        // given
        String base = roles.create(TestCluster.uniqueName("kt_attrs"), "base-password-1",
                "CREATEDB CONNECTION LIMIT 7");
        String clone = roles.forget(base + engine.cloneSuffix());
        sync(base, clone, "clone-password-1");
        assertThat(attributes(clone)).isEqualTo("t|f|7");

        // when the base user's attributes change and the clone is synced again
        roles.asAdmin("ALTER ROLE " + base + " NOCREATEDB CREATEROLE CONNECTION LIMIT -1");
        sync(base, clone, "clone-password-2");

        // then
        assertThat(attributes(clone)).isEqualTo("f|t|-1");
        assertThat(roles.canLogin(clone, "clone-password-2")).isTrue();
        assertThat(roles.canLogin(clone, "clone-password-1")).isFalse();
    }

    @Test
    void createOrSyncUser_should_only_set_the_password_when_the_target_is_the_base_user() throws SQLException {
        // given a clone in use
        String base = roles.create(TestCluster.uniqueName("kt_back"), "base-password-1");
        String clone = roles.forget(base + engine.cloneSuffix());
        sync(base, clone, "clone-password-1");

        // when the rotation goes back from the clone to the base user
        sync(clone, base, "base-password-2");

        // then the base user has its new password and the clone still acts as the base user
        assertThat(roles.canLogin(base, "base-password-2")).isTrue();
        assertThat(roles.canLogin(base, "base-password-1")).isFalse();
        try (Connection asClone = engine.connect(cluster.plaintext(clone, "clone-password-1"))) {
            assertThat(queryOne(asClone, "SELECT current_user")).isEqualTo(base);
        }
        assertThat(roles.query("SELECT rolname FROM pg_roles WHERE rolname LIKE ? || '%'", base))
                .containsExactlyInAnyOrder(base, clone);
    }

    @Test
    void createOrSyncUser_should_change_nothing_when_the_base_user_is_missing() throws SQLException {
        String base = TestCluster.uniqueName("kt_missing");
        String clone = roles.forget(base + engine.cloneSuffix());

        assertThatThrownBy(() -> sync(base, clone, "clone-password-1")).isInstanceOf(SQLException.class);

        assertThat(roles.exists(clone)).isFalse();
    }

    @Test
    void objects_created_by_either_user_should_belong_to_the_base_user_and_be_usable_by_both()
            throws SQLException {
        // given
        String base = roles.create(TestCluster.uniqueName("kt_owner"), "base-password-1");
        String clone = roles.forget(base + engine.cloneSuffix());
        roles.asAdmin("CREATE SCHEMA " + base + " AUTHORIZATION " + base);
        sync(base, clone, "clone-password-1");

        // when each user creates a table
        try (Connection asClone = engine.connect(cluster.plaintext(clone, "clone-password-1"))) {
            TestRoles.execute(asClone, "CREATE TABLE " + base + ".made_by_clone (n int)");
        }
        try (Connection asBase = engine.connect(cluster.plaintext(base, "base-password-1"))) {
            TestRoles.execute(asBase, "CREATE TABLE " + base + ".made_by_base (n int)");
            TestRoles.execute(asBase, "INSERT INTO " + base + ".made_by_clone VALUES (1)");
        }

        // then
        try (Connection asClone = engine.connect(cluster.plaintext(clone, "clone-password-1"))) {
            TestRoles.execute(asClone, "INSERT INTO " + base + ".made_by_base VALUES (2)");
            assertThat(queryOne(asClone, "SELECT count(*) FROM " + base + ".made_by_clone")).isEqualTo("1");
        }
        assertThat(roles.query("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = ?", base))
                .containsExactly(base);
    }

    private void sync(String source, String target, String password) throws SQLException {
        try (Connection admin = cluster.admin()) {
            engine.createOrSyncUser(admin, source, target, password);
        }
    }

    private String attributes(String role) throws SQLException {
        return roles.query("SELECT rolcreatedb || '|' || rolcreaterole || '|' || rolconnlimit FROM pg_roles "
                + "WHERE rolname = ?", role).get(0).replace("true", "t").replace("false", "f");
    }

    private static String queryOne(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
