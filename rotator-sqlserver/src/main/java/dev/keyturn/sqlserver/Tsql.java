package dev.keyturn.sqlserver;

import dev.keyturn.core.RotationStateException;
import java.util.regex.Pattern;

/**
 * How names and passwords become Transact-SQL text.
 *
 * <p>Passwords go into the statements as {@code N'...'} literals with every {@code '} doubled. ALTER
 * LOGIN, CREATE LOGIN and their USER forms take no variables, so a bound parameter would need dynamic
 * SQL built on the server ({@code QUOTENAME(?, '''')} or {@code REPLACE}) and run with EXEC. That was
 * weighed and not taken: inside an {@code N''} literal the quote is the only character T-SQL treats
 * specially (the core refuses control characters, so no line continuation can occur), which makes the
 * client-side form exact and checkable, here, character by character; {@code QUOTENAME} returns NULL
 * for input over 128 characters, and {@code EXEC} of NULL silently does nothing; and the server-side
 * form would put the same literal into the executed batch anyway. The {@code N} prefix keeps
 * non-ASCII characters from being squeezed through the database's code page.
 */
final class Tsql {
    /** Permission names as SQL Server lists them: upper-case words (VIEW SERVER STATE). */
    private static final Pattern KEYWORDS = Pattern.compile("[A-Z]+( [A-Z]+)*");

    private Tsql() {
    }

    /** A delimited identifier: {@code [name]}, with {@code ]} doubled. */
    static String identifier(String name) {
        checkNoControlCharacters(name);
        return "[" + name.replace("]", "]]") + "]";
    }

    /** A two-part name, such as {@code [dbo].[orders]}. */
    static String identifier(String schema, String name) {
        return identifier(schema) + "." + identifier(name);
    }

    /** A Unicode string literal: {@code N'value'}, with {@code '} doubled. */
    static String unicodeLiteral(String value) {
        checkNoControlCharacters(value);
        return "N'" + value.replace("'", "''") + "'";
    }

    /**
     * A permission name read from the catalog, which goes into GRANT unquoted because T-SQL has no way
     * to quote it. Anything but plain upper-case words is refused rather than trusted.
     */
    static String keyword(String permission) {
        if (permission == null || !KEYWORDS.matcher(permission).matches()) {
            throw new RotationStateException("SQL Server lists a permission named '" + permission + "', which "
                    + "is not plain upper-case words, so it cannot be copied safely. Grant it to the other "
                    + "user by hand, or remove it from the original.");
        }
        return permission;
    }

    private static void checkNoControlCharacters(String text) {
        if (text.chars().anyMatch(Character::isISOControl)) {
            // the core refuses such names and passwords before an engine sees them
            throw new IllegalArgumentException("control character in a name or password");
        }
    }
}
