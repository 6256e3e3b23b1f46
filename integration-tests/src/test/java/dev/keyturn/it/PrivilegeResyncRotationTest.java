package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Alternating users stay equal: what the original user is granted or loses between rotations
 * reaches the other user, roles and memberships included. The grants to and revokes from the user
 * AWSCURRENT names that MySqlFamilyAlternatingUsersScenarios and PostgresAlternatingUsersRotationTest
 * already check are not repeated here.
 */
class PrivilegeResyncRotationTest {

    /**
     * MariaDB copies grants: the user AWSCURRENT names is the source at each rotation, so a change
     * made to the original while it is current reaches the clone at the next rotation.
     */
    @Nested
    class MariaDb extends MySqlFamilyRotationTestBase {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mariadb(services);
        }

        @Test
        void a_role_a_default_role_a_grant_and_a_revoke_on_the_original_reach_the_clone() throws SQLException {
            // given the original current again after two rotations, and a role to grant it
            TestUser user = harness.newUser("kt_sync");
            String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
            RotationHandler handler = harness.handler(Strategy.ALTERNATING_USERS);
            harness.rotate(handler, arn);
            harness.rotate(handler, arn);
            assertThat(harness.current(arn).username()).isEqualTo(user.name());
            String role = user.name() + "_role";
            db.asAdmin("CREATE ROLE `" + role + "`");
            try {
                // when the original gains a role (active at login), gains UPDATE and loses INSERT
                db.asAdmin("GRANT SELECT ON " + db.quotedDatabase() + ".* TO `" + role + "`");
                db.asAdmin("GRANT `" + role + "` TO ?@'%'", user.name());
                db.asAdmin("SET DEFAULT ROLE `" + role + "` FOR ?@'%'", user.name());
                db.asAdmin("GRANT UPDATE ON " + db.quotedDatabase() + ".* TO ?@'%'", user.name());
                db.asAdmin("REVOKE INSERT ON " + db.quotedDatabase() + ".* FROM ?@'%'", user.name());
                harness.rotate(handler, arn);

                // then
                String clone = harness.current(arn).username();
                assertThat(clone).isEqualTo(user.name() + "_clone");
                assertThat(db.grantsWithoutGrantee(clone))
                        .containsExactlyInAnyOrderElementsOf(db.grantsWithoutGrantee(user.name()))
                        .anyMatch(line -> line.contains("GRANT `" + role + "` TO"))
                        .anyMatch(line -> line.contains("SET DEFAULT ROLE `" + role + "`"))
                        .anyMatch(line -> line.contains("UPDATE"))
                        .noneMatch(line -> line.contains("INSERT"));
                assertThat(mariaDbQuery(harness.current(arn), "SELECT CURRENT_ROLE()")).isEqualTo(role);
            } finally {
                db.asAdmin("DROP ROLE IF EXISTS `" + role + "`");
            }
        }

        private String mariaDbQuery(DatabaseSecret as, String sql) throws SQLException {
            try (Connection connection = DriverManager.getConnection("jdbc:mariadb://"
                    + db.server().host() + ":" + db.server().port() + "/?sslMode=disable", as.username(),
                    as.password())) {
                return queryOne(connection, sql);
            }
        }
    }

    /**
     * PostgreSQL's clone is a member of the original and acts as it at every login, so what the
     * original gains or loses reaches the clone at once, without waiting for a rotation.
     */
    @Nested
    class Postgres extends PostgresRotationTestBase {

        @Test
        void a_revoke_on_the_original_reaches_the_clone() throws SQLException {
            // given the clone current, and a table the original may read
            TestUser user = harness.newUser("kt_sync");
            String table = "public.kt_sync_" + RotationHarness.randomHex(4);
            postgres.asAdmin("CREATE TABLE " + table + " (n int)");
            try {
                postgres.asAdmin("GRANT SELECT ON " + table + " TO " + postgres.quote(user.name()));
                String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
                harness.rotate(harness.handler(Strategy.ALTERNATING_USERS), arn);
                DatabaseSecret clone = harness.current(arn);
                assertThat(pgQuery(clone, "SELECT count(*) FROM " + table)).isEqualTo("0");

                // when
                postgres.asAdmin("REVOKE SELECT ON " + table + " FROM " + postgres.quote(user.name()));

                // then
                assertThatThrownBy(() -> pgQuery(clone, "SELECT count(*) FROM " + table))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            } finally {
                postgres.asAdmin("DROP TABLE " + table);
            }
        }

        @Test
        void a_membership_granted_to_and_revoked_from_the_original_reaches_the_clone() throws SQLException {
            // given the clone current after three rotations, and a group role that may read a table
            TestUser user = harness.newUser("kt_sync");
            TestUser group = harness.newUser("kt_group");
            String table = "public.kt_group_" + RotationHarness.randomHex(4);
            postgres.asAdmin("CREATE TABLE " + table + " (n int)");
            try {
                postgres.asAdmin("GRANT SELECT ON " + table + " TO " + postgres.quote(group.name()));
                String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
                RotationHandler handler = harness.handler(Strategy.ALTERNATING_USERS);
                for (int rotation = 0; rotation < 3; rotation++) {
                    harness.rotate(handler, arn);
                }
                DatabaseSecret clone = harness.current(arn);
                assertThat(clone.username()).isEqualTo(user.name() + "_clone");

                // when the original joins the group, then leaves it
                postgres.asAdmin("GRANT " + postgres.quote(group.name()) + " TO " + postgres.quote(user.name()));
                String whileMember = pgQuery(clone, "SELECT count(*) FROM " + table);
                postgres.asAdmin("REVOKE " + postgres.quote(group.name()) + " FROM " + postgres.quote(user.name()));

                // then
                assertThat(whileMember).isEqualTo("0");
                assertThatThrownBy(() -> pgQuery(clone, "SELECT count(*) FROM " + table))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            } finally {
                postgres.asAdmin("DROP TABLE " + table);
            }
        }

        private String pgQuery(DatabaseSecret as, String sql) throws SQLException {
            try (Connection connection = postgres.connect(as.username(), as.password())) {
                return queryOne(connection, sql);
            }
        }
    }

    private static String queryOne(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
