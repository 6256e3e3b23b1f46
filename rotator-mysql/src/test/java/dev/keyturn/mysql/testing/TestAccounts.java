package dev.keyturn.mysql.testing;

import dev.keyturn.core.DatabaseEngine;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates users, roles and databases with unique names on the test server for one test, and drops
 * them all when closed. Every name and password goes through bound parameters, as in the code under
 * test, so that hostile names can be set up without quoting them by hand.
 */
public final class TestAccounts implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Connection admin;
    private final Set<List<String>> accounts = new LinkedHashSet<>();
    private final Set<String> userNames = new LinkedHashSet<>();
    private final Set<String> roles = new LinkedHashSet<>();
    private final Set<String> databases = new LinkedHashSet<>();

    public TestAccounts(MariaDbTestServer server, DatabaseEngine engine) throws SQLException {
        this.admin = server.admin(engine);
    }

    /** A fresh name such as {@code kt_h3k9q2}: short enough for MySQL's 32 characters with a suffix. */
    public static String uniqueName(String prefix) {
        StringBuilder name = new StringBuilder(prefix);
        for (int i = 0; i < 6; i++) {
            name.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return name.toString();
    }

    public Connection admin() {
        return admin;
    }

    /** Creates {@code 'user'@'host'} with a password; {@code options} follows the password (e.g. REQUIRE SSL). */
    public void createUser(String user, String host, String password, String options) throws SQLException {
        forget(user, host);
        run("CREATE USER ?@? IDENTIFIED BY ? " + options, user, host, password);
    }

    public void createUser(String user, String host, String password) throws SQLException {
        createUser(user, host, password, "");
    }

    /** Remembers an account the code under test creates, so that it is dropped too. */
    public void forget(String user, String host) {
        accounts.add(List.of(user, host));
        userNames.add(user);
    }

    /** Drops every account of {@code user} at the end, including ones the code under test made. */
    public void forgetAllHostsOf(String user) {
        userNames.add(user);
    }

    public String createDatabase() throws SQLException {
        String name = uniqueName("ktdb_");
        databases.add(name);
        run("CREATE DATABASE `" + name + "`");
        run("CREATE TABLE `" + name + "`.t (a INT, b INT)");
        return name;
    }

    public void createRole(String role) throws SQLException {
        roles.add(role);
        run("CREATE ROLE `" + role + "`");
    }

    /** Runs an admin statement whose values are bound. */
    public void run(String sql, String... values) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.execute();
        }
    }

    /** Runs an admin statement as written, with no placeholders for the driver to look for. */
    public void runAsWritten(String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        }
    }

    /** The first column of a query's rows. */
    public List<String> column(String sql, String... values) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
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

    /** SHOW GRANTS for the account with the account itself cut out, so two accounts' grants compare. */
    public List<String> grantsWithoutGrantee(String user, String host) throws SQLException {
        List<String> lines = new ArrayList<>();
        String backtickUser = "`" + user.replace("`", "``") + "`";
        for (String line : column("SHOW GRANTS FOR ?@?", user, host)) {
            lines.add(line.replace(backtickUser + "@`" + host + "`", "<grantee>")
                    .replaceAll(" IDENTIFIED BY PASSWORD '[^']*'", ""));
        }
        return lines;
    }

    public List<String> hostsOf(String user) throws SQLException {
        return column("SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host", user);
    }

    @Override
    public void close() throws SQLException {
        try (admin) {
            for (String user : userNames) {
                for (String host : hostsOf(user)) {
                    run("DROP USER IF EXISTS ?@?", user, host);
                }
            }
            for (List<String> account : accounts) {
                run("DROP USER IF EXISTS ?@?", account.get(0), account.get(1));
            }
            for (String role : roles) {
                run("DROP ROLE IF EXISTS `" + role + "`");
            }
            try (Statement statement = admin.createStatement()) {
                for (String database : databases) {
                    statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
                }
            }
        }
    }
}
