package dev.keyturn.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the session's {@code sql_mode} makes the server quote what it prints, which decides how
 * {@code SHOW GRANTS} output is read back.
 *
 * @param backslashEscapes whether a backslash escapes the next character inside a string literal
 *     (off under {@code NO_BACKSLASH_ESCAPES})
 * @param ansiQuotes whether double quotes delimit identifiers (under {@code ANSI_QUOTES}, the server
 *     also prints identifiers in double quotes instead of backticks)
 */
record Quoting(boolean backslashEscapes, boolean ansiQuotes) {
    static final Quoting DEFAULT = new Quoting(true, false);

    static Quoting of(Connection connection) throws SQLException {
        return fromSqlMode(BoundStatement.of("SELECT @@SESSION.sql_mode").column(connection).get(0));
    }

    static Quoting fromSqlMode(String sqlMode) {
        var modes = Arrays.asList(String.valueOf(sqlMode).toUpperCase(Locale.ROOT).split(","));
        return new Quoting(!modes.contains("NO_BACKSLASH_ESCAPES"), modes.contains("ANSI_QUOTES"));
    }

    /** Whether a backslash escapes inside text delimited by {@code quote}. Identifiers never have escapes. */
    boolean escapesWithBackslash(char quote) {
        if (quote == '`' || (quote == '"' && ansiQuotes)) {
            return false;
        }
        return backslashEscapes;
    }
}
