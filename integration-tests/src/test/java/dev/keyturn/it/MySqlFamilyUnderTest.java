package dev.keyturn.it;

import dev.keyturn.aurora.AuroraEngine;
import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.mariadb.MariaDbEngine;
import dev.keyturn.mysql.MySqlEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A MySQL-family engine and the server it rotates against, checked with plain MariaDB Connector/J
 * (which speaks to MySQL too), never through the engine under test.
 *
 * <p>The local test services run no MySQL server. There the MySQL and Aurora MySQL engines run
 * against the MariaDB server, which stands in for MySQL: it speaks the same protocol, and the
 * engines pick the statement forms of the server they reach, so these tests show the rotation
 * protocol, TLS, the copied privileges and hostile input on a real server, but not the forms only
 * MySQL accepts (the rotator-mysql module pins those, and runs them against MySQL 8.0 and 8.4 in
 * Docker). With {@code -Dkeyturn.services=containers} they run against a real MySQL 8.4.
 */
public final class MySqlFamilyUnderTest implements EngineUnderTest {
    /** ER_ACCESS_DENIED_ERROR: the server refused the user name and password. */
    private static final int ACCESS_DENIED = 1045;
    /** A cluster name as RDS writes it into the secrets of Aurora clusters. */
    static final String CLUSTER_IDENTIFIER = "keyturn-it-cluster";

    private final String description;
    private final Supplier<DatabaseEngine> engine;
    private final String secretEngine;
    private final DatabaseServer server;
    private final Services services;

    private MySqlFamilyUnderTest(String description, Supplier<DatabaseEngine> engine, String secretEngine,
            DatabaseServer server, Services services) {
        this.description = description;
        this.engine = engine;
        this.secretEngine = secretEngine;
        this.server = server;
        this.services = services;
    }

    public static MySqlFamilyUnderTest mariadb(Services services) {
        return new MySqlFamilyUnderTest("MariaDB", MariaDbEngine::new, "mariadb", services.mariadb(), services);
    }

    /** The MySQL engine against MySQL 8.4 in a container, or against the local MariaDB standing in for it. */
    public static MySqlFamilyUnderTest mysql(Services services) {
        return services.mysql()
                .map(mysql -> new MySqlFamilyUnderTest("MySQL", MySqlEngine::new, "mysql", mysql, services))
                .orElseGet(() -> new MySqlFamilyUnderTest("MySQL (MariaDB standing in)", MySqlEngine::new, "mysql",
                        services.mariadb(), services));
    }

    /** Aurora MySQL's engine, as the Aurora function builds it, against the same servers as {@link #mysql}. */
    public static MySqlFamilyUnderTest auroraMysql(Services services) {
        DatabaseServer server = services.mysql().orElseGet(services::mariadb);
        return new MySqlFamilyUnderTest("Aurora MySQL (" + (services.mysql().isPresent() ? "MySQL" : "MariaDB")
                + " standing in)", AuroraEngine::mysql, "aurora-mysql", server, services);
    }

    @Override
    public DatabaseEngine engine() {
        return engine.get();
    }

    @Override
    public String secretEngine() {
        return secretEngine;
    }

    @Override
    public DatabaseServer server() {
        return server;
    }

    @Override
    public SecretJson secret(String user, String password) {
        SecretJson secret = EngineUnderTest.super.secret(user, password);
        return secretEngine.startsWith("aurora") ? secret.put("dbClusterIdentifier", CLUSTER_IDENTIFIER) : secret;
    }

    @Override
    public Connection admin() throws SQLException {
        Connection admin = connect(server.adminUser(), server.adminPassword(), null, false);
        execute(admin, "CREATE DATABASE IF NOT EXISTS `" + server.database().replace("`", "``") + "`");
        return admin;
    }

    /** Creates {@code 'name'@'%'} with privileges on the test database, so a copy has something to copy. */
    @Override
    public void createUser(String name, String password) throws SQLException {
        createUser(name, "%", password);
    }

    public void createUser(String name, String host, String password) throws SQLException {
        try (Connection admin = admin()) {
            update(admin, "CREATE USER ?@? IDENTIFIED BY ?", name, host, password);
            update(admin, "GRANT SELECT, INSERT, CREATE ON " + quotedDatabase() + ".* TO ?@?", name, host);
        }
    }

    @Override
    public void dropUser(String name) throws SQLException {
        try (Connection admin = admin()) {
            for (String host : hostsOf(admin, name)) {
                update(admin, "DROP USER ?@?", name, host);
            }
        }
    }

    @Override
    public boolean canLogin(String user, String password) throws SQLException {
        return canLogin(user, password, false);
    }

    /** Logs in with TLS verified against the test CA, for accounts that require it. */
    public boolean canLoginWithTls(String user, String password) throws SQLException {
        return canLogin(user, password, true);
    }

    private boolean canLogin(String user, String password, boolean tls) throws SQLException {
        try (Connection connection = connect(user, password, server.database(), tls)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            if (e.getErrorCode() == ACCESS_DENIED) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Set<String> accounts() throws SQLException {
        try (Connection admin = admin()) {
            return new LinkedHashSet<>(query(admin, "SELECT CONCAT(User, '@', Host) FROM mysql.user"));
        }
    }

    @Override
    public Set<String> tables() throws SQLException {
        try (Connection admin = admin()) {
            return new LinkedHashSet<>(query(admin, "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM "
                    + "information_schema.TABLES WHERE TABLE_SCHEMA NOT IN ('mysql', 'information_schema', "
                    + "'performance_schema', 'sys')"));
        }
    }

    /** SHOW GRANTS for every account of the user, with the account cut out, so two users' grants compare. */
    public List<String> grantsWithoutGrantee(String user) throws SQLException {
        try (Connection admin = admin()) {
            List<String> grants = new ArrayList<>();
            for (String host : hostsOf(admin, user)) {
                String grantee = "`" + user.replace("`", "``") + "`@`" + host + "`";
                for (String line : query(admin, "SHOW GRANTS FOR ?@?", user, host)) {
                    grants.add(host + ": " + line.replace(grantee, "<grantee>")
                            .replaceAll(" IDENTIFIED (BY PASSWORD|VIA \\w+ USING) '[^']*'", ""));
                }
            }
            return grants;
        }
    }

    /** Runs an admin statement whose values are bound. */
    public void asAdmin(String sql, String... values) throws SQLException {
        try (Connection admin = admin()) {
            update(admin, sql, values);
        }
    }

    public String quotedDatabase() {
        return "`" + server.database().replace("`", "``") + "`";
    }

    public List<String> hostsOf(String user) throws SQLException {
        try (Connection admin = admin()) {
            return hostsOf(admin, user);
        }
    }

    private static List<String> hostsOf(Connection admin, String user) throws SQLException {
        return query(admin, "SELECT Host FROM mysql.user WHERE User = ?", user);
    }

    private Connection connect(String user, String password, String database, boolean tls) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "10000");
        // MySQL 8's caching_sha2_password needs the server's key to log in without TLS
        properties.setProperty("allowPublicKeyRetrieval", "true");
        if (database != null) {
            properties.setProperty("database", database);
        }
        if (tls) {
            properties.setProperty("sslMode", "verify-full");
            properties.setProperty("serverSslCert", services.tls().caBundle().toString());
        } else {
            properties.setProperty("sslMode", "disable");
        }
        return DriverManager.getConnection("jdbc:mariadb://" + server.host() + ":" + server.port() + "/", properties);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void update(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.execute();
        }
    }

    private static List<String> query(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        }
    }

    @Override
    public String toString() {
        return description + " at " + server;
    }
}
