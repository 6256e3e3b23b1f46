package dev.keyturn.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which server a connection reached: MySQL (including Aurora MySQL) or MariaDB, and its version.
 * The statement forms are chosen from this, not from the secret's engine, because MySQL 5.7, 8.0,
 * 8.4 and MariaDB each accept a slightly different set.
 *
 * @param mariaDb whether the server is MariaDB
 * @param major the major version, as {@code VERSION()} reports it
 * @param minor the minor version
 * @param patch the patch version; 0 when the server does not report one
 */
public record ServerVersion(boolean mariaDb, int major, int minor, int patch) {
    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    static ServerVersion of(Connection connection) throws SQLException {
        return parse(BoundStatement.of("SELECT VERSION()").column(connection).get(0));
    }

    /** Reads a {@code VERSION()} string such as {@code 8.0.36}, {@code 5.7.44-log} or {@code 10.11.6-MariaDB}. */
    static ServerVersion parse(String version) {
        boolean mariaDb = version.toLowerCase(Locale.ROOT).contains("mariadb");
        Matcher matcher = NUMBERS.matcher(version);
        if (!matcher.find()) {
            return new ServerVersion(mariaDb, 0, 0, 0);
        }
        int patch = matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3));
        return new ServerVersion(mariaDb, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                patch);
    }

    /**
     * MySQL 8.0.13 added {@code REPLACE 'current'} to {@code ALTER USER}, and refuses a user's own
     * password change without it when {@code password_require_current} is on.
     */
    boolean verifiesCurrentPassword() {
        return isMySqlAtLeast(8, 0, 13);
    }

    /** MySQL 8.0 added roles; which are active at login is kept in {@code mysql.default_roles}. */
    boolean keepsDefaultRolesInTable() {
        return isMySqlAtLeast(8, 0, 0);
    }

    private boolean isMySqlAtLeast(int wantedMajor, int wantedMinor, int wantedPatch) {
        if (mariaDb) {
            return false;
        }
        if (major != wantedMajor) {
            return major > wantedMajor;
        }
        if (minor != wantedMinor) {
            return minor > wantedMinor;
        }
        return patch >= wantedPatch;
    }
}
