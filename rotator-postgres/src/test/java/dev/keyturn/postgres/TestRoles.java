package dev.keyturn.postgres;

import dev.keyturn.core.ConnectionRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/** Roles a test creates on the test cluster, dropped again when the test ends. */
final class TestRoles implements AutoCloseable {
    private final TestCluster cluster = TestCluster.get();
    private final List<String> names = new ArrayList<>();

    /** Creates a login role with this exact name and password; {@code options} are ALTER ROLE options. */
    String create(String name, String password, String options) throws SQLException {
        forget(name);
        try (Connection admin = cluster.admin()) {
            PGConnection pg = admin.unwrap(PGConnection.class);
            execute(admin, "CREATE ROLE " + pg.escapeIdentifier(name) + " LOGIN " + options);
            pg.alterUserPassword(name, password.toCharArray(), "scram-sha-256");
        }
        return name;
    }

    String create(String name, String password) throws SQLException {
        return create(name, password, "");
    }

    /** Drops the role when the test ends, for roles the code under test creates. */
    String forget(String name) {
        names.add(name);
        return name;
    }

    boolean canLogin(String user, String password) throws SQLException {
        return canLogin(cluster.plaintext(user, password));
    }

    static boolean canLogin(ConnectionRequest request) throws SQLException {
        try (Connection connection = new PostgresEngine().connect(request)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (PostgresEngine.INVALID_PASSWORD.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Whether a role with this name exists. */
    boolean exists(String name) throws SQLException {
        return !query("SELECT rolname FROM pg_roles WHERE rolname = ?", name).isEmpty();
    }

    /** The first column of every row of a query run as the admin, with one bound parameter. */
    List<String> query(String sql, String parameter) throws SQLException {
        try (Connection admin = cluster.admin(); PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    void asAdmin(String sql) throws SQLException {
        try (Connection admin = cluster.admin()) {
            execute(admin, sql);
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = cluster.admin()) {
            PGConnection pg = admin.unwrap(PGConnection.class);
            for (int i = names.size() - 1; i >= 0; i--) {
                if (exists(names.get(i))) {
                    String role = pg.escapeIdentifier(names.get(i));
                    execute(admin, "DROP OWNED BY " + role);
                    execute(admin, "DROP ROLE " + role);
                }
            }
        }
    }
}
