package dev.keyturn.mysql;

import dev.keyturn.core.RotationStateException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one account has besides its privileges and is copied to the other user in alternating-users
 * rotation: its authentication plugin, its TLS requirement ({@code REQUIRE SSL}, {@code X509},
 * {@code CIPHER}/{@code ISSUER}/{@code SUBJECT}) and its resource limits. Read from {@code mysql.user}
 * rather than parsed from {@code SHOW CREATE USER}: the columns have the same names on MySQL 5.7,
 * 8.0, 8.4 and MariaDB, and carry the values without any quoting to undo.
 */
final class AccountOptions {
    /** MySQL plugins that take a password the function can set with {@code IDENTIFIED WITH plugin BY}. */
    static final Set<String> MYSQL_PASSWORD_PLUGINS = Set.of("mysql_native_password", "caching_sha2_password",
            "sha256_password");
    /** MariaDB plugins that take a password through {@code IDENTIFIED VIA plugin USING PASSWORD(...)}. */
    static final Set<String> MARIADB_PASSWORD_PLUGINS = Set.of("mysql_native_password", "ed25519", "parsec");

    private static final String READ_MYSQL = "SELECT plugin, ssl_type, ssl_cipher, x509_issuer, x509_subject, "
            + "max_questions, max_updates, max_connections, max_user_connections FROM mysql.user "
            + "WHERE User = ? AND Host = ?";
    /** MariaDB adds a per-account statement time limit. */
    private static final String READ_MARIADB = "SELECT plugin, ssl_type, ssl_cipher, x509_issuer, x509_subject, "
            + "max_questions, max_updates, max_connections, max_user_connections, max_statement_time "
            + "FROM mysql.user WHERE User = ? AND Host = ?";

    private final String plugin;
    private final String sslType;
    private final String cipher;
    private final String issuer;
    private final String subject;
    private final List<String> limits;

    private AccountOptions(List<String> row, boolean mariaDb) {
        this.plugin = empty(row.get(0));
        this.sslType = empty(row.get(1));
        this.cipher = empty(row.get(2));
        this.issuer = empty(row.get(3));
        this.subject = empty(row.get(4));
        List<String> limits = new ArrayList<>(List.of(
                "MAX_QUERIES_PER_HOUR " + number(row.get(5)),
                "MAX_UPDATES_PER_HOUR " + number(row.get(6)),
                "MAX_CONNECTIONS_PER_HOUR " + number(row.get(7)),
                "MAX_USER_CONNECTIONS " + number(row.get(8))));
        if (mariaDb) {
            limits.add("MAX_STATEMENT_TIME " + number(row.get(9)));
        }
        this.limits = List.copyOf(limits);
    }

    /** Reads the options of {@code user@host}, which must exist. */
    static AccountOptions read(Connection connection, ServerVersion server, String user, String host)
            throws SQLException {
        List<List<String>> rows = BoundStatement.of(server.mariaDb() ? READ_MARIADB : READ_MYSQL, user, host)
                .rows(connection);
        if (rows.isEmpty()) {
            throw new RotationStateException("account " + Accounts.describe(user, host) + " disappeared while "
                    + "its privileges were being copied. Rotate again.");
        }
        return new AccountOptions(rows.get(0), server.mariaDb());
    }

    /**
     * The {@code CREATE USER} (when the account is missing) or {@code ALTER USER} that gives
     * {@code user@host} these options and {@code password}.
     */
    BoundStatement createOrAlter(ServerVersion server, String user, String host, String password, boolean exists) {
        checkPasswordPlugin(server, user, host);
        List<String> values = new ArrayList<>(List.of(user, host, password));
        String sql = (exists ? "ALTER USER " : "CREATE USER ") + Grant.ACCOUNT + identifiedBy(server)
                + require(values) + " WITH " + String.join(" ", limits);
        return new BoundStatement(sql, values);
    }

    private void checkPasswordPlugin(ServerVersion server, String user, String host) {
        Set<String> plugins = server.mariaDb() ? MARIADB_PASSWORD_PLUGINS : MYSQL_PASSWORD_PLUGINS;
        if (!plugins.contains(effectivePlugin())) {
            throw new RotationStateException("account " + Accounts.describe(user, host) + " authenticates with "
                    + "the plugin '" + effectivePlugin() + "', which does not check a password this function can "
                    + "set, so no user can be created from it. Alternating-users rotation copies accounts that "
                    + "use one of " + plugins + ".");
        }
    }

    /** MariaDB before 10.4 leaves the column empty for its native password plugin. */
    private String effectivePlugin() {
        return plugin.isEmpty() ? "mysql_native_password" : plugin;
    }

    /**
     * Names the plugin so that the other user authenticates exactly as the original does. MariaDB
     * has no {@code WITH plugin BY} form; its {@code USING PASSWORD(...)} hashes for the named plugin.
     */
    private String identifiedBy(ServerVersion server) {
        if (server.mariaDb()) {
            return " IDENTIFIED VIA " + effectivePlugin() + " USING PASSWORD(?)";
        }
        return " IDENTIFIED WITH " + effectivePlugin() + " BY ?";
    }

    private String require(List<String> values) {
        switch (sslType.toUpperCase(Locale.ROOT)) {
            case "ANY":
                return " REQUIRE SSL";
            case "X509":
                return " REQUIRE X509";
            case "SPECIFIED":
                return requireSpecified(values);
            default:
                return " REQUIRE NONE";
        }
    }

    private String requireSpecified(List<String> values) {
        List<String> parts = new ArrayList<>();
        addRequirement(parts, values, "CIPHER", cipher);
        addRequirement(parts, values, "ISSUER", issuer);
        addRequirement(parts, values, "SUBJECT", subject);
        return parts.isEmpty() ? " REQUIRE SSL" : " REQUIRE " + String.join(" AND ", parts);
    }

    private static void addRequirement(List<String> parts, List<String> values, String keyword, String value) {
        if (!value.isEmpty()) {
            parts.add(keyword + " ?");
            values.add(value);
        }
    }

    private static String empty(String value) {
        return value == null ? "" : value;
    }

    /** A limit column's value, checked to be a plain number before it becomes part of a statement. */
    private static String number(String value) {
        return new BigDecimal(value == null ? "0" : value.trim()).stripTrailingZeros().toPlainString();
    }
}
