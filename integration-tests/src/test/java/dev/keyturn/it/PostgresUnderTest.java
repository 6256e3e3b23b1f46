package dev.keyturn.it;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.postgres.PostgresEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import org.postgresql.PGConnection;

/** The PostgreSQL engine against {@link Services#postgres()}, checked with plain pgjdbc. */
public final class PostgresUnderTest implements EngineUnderTest {
    /** The server's answer to a wrong password or an unknown user. */
    private static final String INVALID_PASSWORD = "28P01";

    private final DatabaseServer server;

    public PostgresUnderTest(Services services) {
        this.server = services.postgres();
    }

    @Override
    public DatabaseEngine engine() {
        return new PostgresEngine();
    }

    @Override
    public String secretEngine() {
        return "postgres";
    }

    @Override
    public DatabaseServer server() {
        return server;
    }

    @Override
    public Connection admin() throws SQLException {
        return connect(server.adminUser(), server.adminPassword());
    }

    public Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("sslmode", "disable");
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + server.database(), properties);
    }

    @Override
    public void createUser(String name, String password) throws SQLException {
        try (Connection admin = admin()) {
            PGConnection pg = admin.unwrap(PGConnection.class);
            execute(admin, "CREATE ROLE " + pg.escapeIdentifier(name) + " LOGIN");
            // hashed by the driver, so that the test's own passwords stay out of the server log too
            pg.alterUserPassword(name, password.toCharArray(), "scram-sha-256");
        }
    }

    @Override
    public void dropUser(String name) throws SQLException {
        try (Connection admin = admin()) {
            if (queryStrings(admin, "SELECT rolname FROM pg_roles WHERE rolname = ?", name).isEmpty()) {
                return;
            }
            String role = admin.unwrap(PGConnection.class).escapeIdentifier(name);
            execute(admin, "DROP OWNED BY " + role);
            execute(admin, "DROP ROLE " + role);
        }
    }

    @Override
    public boolean canLogin(String user, String password) throws SQLException {
        try (Connection connection = connect(user, password)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (INVALID_PASSWORD.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Set<String> accounts() throws SQLException {
        try (Connection admin = admin()) {
            return queryStrings(admin, "SELECT rolname FROM pg_roles WHERE rolname <> ?", "");
        }
    }

    @Override
    public Set<String> tables() throws SQLException {
        try (Connection admin = admin()) {
            return queryStrings(admin, "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname <> ?",
                    "");
        }
    }

    /** Runs a statement as the admin. */
    public void asAdmin(String sql) throws SQLException {
        try (Connection admin = admin()) {
            execute(admin, sql);
        }
    }

    /** The name quoted as an identifier, for statements a test writes. */
    public String quote(String name) throws SQLException {
        try (Connection admin = admin()) {
            return admin.unwrap(PGConnection.class).escapeIdentifier(name);
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static Set<String> queryStrings(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            Set<String> values = new LinkedHashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
