package dev.keyturn.oracle;

import dev.keyturn.core.RotationStateException;
import java.util.regex.Pattern;

/**
 * How names and passwords become Oracle SQL text. Oracle cannot bind a password in DDL (ALTER USER,
 * CREATE USER), so a password is written as a quoted identifier, {@code "..."}, inside which every
 * character stands for itself. Oracle has no escape for a double quote inside one: a name or password
 * containing {@code "} cannot be written at all and is refused, never altered.
 */
final class OracleSql {
    /** System and object privilege names as the dictionary lists them (CREATE SESSION, SELECT). */
    private static final Pattern KEYWORDS = Pattern.compile("[A-Z][A-Z0-9_]*( [A-Z0-9_]+)*");

    private OracleSql() {
    }

    /** A quoted identifier: {@code "NAME"}, exactly as stored, case included. */
    static String identifier(String name) {
        checkQuotable(name);
        return "\"" + name + "\"";
    }

    /** A schema object: {@code "OWNER"."NAME"}. */
    static String identifier(String owner, String name) {
        return identifier(owner) + "." + identifier(name);
    }

    /** A password for IDENTIFIED BY or REPLACE: {@code "password"}. */
    static String password(String password) {
        checkQuotable(password);
        return "\"" + password + "\"";
    }

    /**
     * A privilege name read from the dictionary, which goes into GRANT unquoted because Oracle has no
     * way to quote it. Anything but plain upper-case words is refused rather than trusted.
     */
    static String keyword(String privilege) {
        if (privilege == null || !KEYWORDS.matcher(privilege).matches()) {
            throw new RotationStateException("Oracle lists a privilege named '" + privilege + "', which is not "
                    + "plain upper-case words, so it cannot be copied safely. Grant it to the other user by hand, "
                    + "or remove it from the original.");
        }
        return privilege;
    }

    private static void checkQuotable(String text) {
        // the engine and the core refuse both before any statement is built; this is the last line
        if (text.indexOf('"') >= 0 || text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a double quote or a control character cannot be quoted for Oracle");
        }
    }
}
