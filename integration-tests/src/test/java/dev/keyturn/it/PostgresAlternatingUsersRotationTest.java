package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Alternating-users rotation on PostgreSQL: the clone acts as the original user, so both users
 * share objects and privileges, including those granted after the clone was made.
 */
class PostgresAlternatingUsersRotationTest extends PostgresRotationTestBase {

    @Test
    void a_full_rotation_hands_over_to_the_clone_and_leaves_the_original_working() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_alt");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);

        // when
        String token = harness.rotate(harness.handler(Strategy.ALTERNATING_USERS), arn);

        // then
        DatabaseSecret current = harness.current(arn);
        assertThat(harness.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(current.username()).isEqualTo(user.name() + "_clone");
        assertThat(harness.logsIn(current)).isTrue();
        assertThat(harness.previous(arn).username()).isEqualTo(user.name());
        assertThat(harness.logsIn(harness.previous(arn))).isTrue();
        assertThat(current.masterArn()).contains(harness.masterSecret());
    }

    @Test
    void three_rotations_in_a_row_alternate_between_the_two_users() throws SQLException {
        // given
        TestUser user = harness.newUser("kt_alt3");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
        RotationHandler handler = harness.handler(Strategy.ALTERNATING_USERS);
        String[] expectedUsers = {user.name() + "_clone", user.name(), user.name() + "_clone"};

        for (int rotation = 0; rotation < 3; rotation++) {
            DatabaseSecret before = harness.current(arn);

            // when
            harness.rotate(handler, arn);

            // then
            DatabaseSecret after = harness.current(arn);
            assertThat(after.username()).as("rotation %d", rotation + 1).isEqualTo(expectedUsers[rotation]);
            assertThat(harness.logsIn(after)).as("rotation %d: AWSCURRENT logs in", rotation + 1).isTrue();
            assertThat(harness.previous(arn).password()).isEqualTo(before.password());
            assertThat(harness.logsIn(harness.previous(arn))).as("rotation %d: AWSPREVIOUS still logs in",
                    rotation + 1).isTrue();
            assertThat(actingRole(after)).isEqualTo(user.name());
        }
    }

    @Test
    void objects_created_by_either_user_are_usable_by_the_other() throws SQLException {
        // given a schema of the original user, and the clone in use after one rotation
        TestUser user = harness.newUser("kt_share");
        String schema = postgres.quote(user.name());
        postgres.asAdmin("CREATE SCHEMA " + schema + " AUTHORIZATION " + schema);
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
        harness.rotate(harness.handler(Strategy.ALTERNATING_USERS), arn);
        DatabaseSecret clone = harness.current(arn);

        // when each user creates a table
        run(clone, "CREATE TABLE " + schema + ".by_clone (n int)");
        run(user, "CREATE TABLE " + schema + ".by_original (n int)");

        // then each can write to and read from the other's
        run(user, "INSERT INTO " + schema + ".by_clone VALUES (1)");
        run(clone, "INSERT INTO " + schema + ".by_original VALUES (2)");
        assertThat(queryOne(clone, "SELECT count(*) FROM " + schema + ".by_clone")).isEqualTo("1");
        assertThat(queryOne(user, "SELECT count(*) FROM " + schema + ".by_original")).isEqualTo("1");
        assertThat(queryOne(clone, "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables "
                + "WHERE schemaname = '" + user.name() + "'")).isEqualTo(user.name());
    }

    @Test
    void privileges_granted_to_the_original_after_the_first_rotation_reach_the_clone() throws SQLException {
        // given the clone in use, and a table the original user may not read yet
        TestUser user = harness.newUser("kt_grant");
        String arn = harness.secretFor(user, Strategy.ALTERNATING_USERS);
        RotationHandler handler = harness.handler(Strategy.ALTERNATING_USERS);
        harness.rotate(handler, arn);
        String table = "public.grant_later_" + RotationHarness.randomHex(4);
        postgres.asAdmin("CREATE TABLE " + table + " (n int)");
        postgres.asAdmin("INSERT INTO " + table + " VALUES (42)");
        try {
            // when
            postgres.asAdmin("GRANT SELECT ON " + table + " TO " + postgres.quote(user.name()));

            // then, without another rotation, and still after two more
            assertThat(queryOne(harness.current(arn), "SELECT n FROM " + table)).isEqualTo("42");
            harness.rotate(handler, arn);
            harness.rotate(handler, arn);
            assertThat(harness.current(arn).username()).endsWith("_clone");
            assertThat(queryOne(harness.current(arn), "SELECT n FROM " + table)).isEqualTo("42");
        } finally {
            postgres.asAdmin("DROP TABLE " + table);
        }
    }

    private String actingRole(DatabaseSecret secret) throws SQLException {
        return queryOne(secret, "SELECT current_user");
    }

    private void run(DatabaseSecret as, String sql) throws SQLException {
        try (Connection connection = postgres.connect(as.username(), as.password())) {
            PostgresUnderTest.execute(connection, sql);
        }
    }

    private void run(TestUser as, String sql) throws SQLException {
        try (Connection connection = postgres.connect(as.name(), as.password())) {
            PostgresUnderTest.execute(connection, sql);
        }
    }

    private String queryOne(DatabaseSecret as, String sql) throws SQLException {
        try (Connection connection = postgres.connect(as.username(), as.password())) {
            return queryOne(connection, sql);
        }
    }

    private String queryOne(TestUser as, String sql) throws SQLException {
        try (Connection connection = postgres.connect(as.name(), as.password())) {
            return queryOne(connection, sql);
        }
    }

    private static String queryOne(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
