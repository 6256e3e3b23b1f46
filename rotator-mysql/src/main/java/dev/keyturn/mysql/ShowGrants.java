package dev.keyturn.mysql;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines {@code SHOW GRANTS} prints into {@link Grant}s. The forms read are those MySQL 5.7,
 * 8.0, 8.4 and MariaDB print:
 *
 * <pre>
 * GRANT privilege [(column, ...)], ... ON object TO account [...] [WITH GRANT OPTION]
 * GRANT role, ... TO account [WITH ADMIN OPTION]
 * REVOKE privilege, ... ON schema.* FROM account               (MySQL 8 partial revokes)
 * SET DEFAULT ROLE role FOR account                          (MariaDB)
 * </pre>
 *
 * <p>Keywords are recognised only outside quoted names and strings, so a database, column or role
 * whose name contains {@code TO} or a comma is read correctly. What follows the account (MariaDB
 * prints the password hash, TLS requirements and limits there) is read only for the grant or
 * admin option; the rest of the account's settings are copied from {@code mysql.user} instead.
 */
final class ShowGrants {

    private ShowGrants() {
    }

    /**
     * Reads one line.
     *
     * @throws IllegalArgumentException when the line has a form this class does not know; the
     *     message never quotes the line, which can hold a password hash
     */
    static List<Grant> parse(String line, Quoting quoting) {
        Tokens tokens = new Tokens(line, quoting);
        if (tokens.isWord(0, "GRANT")) {
            return grant(tokens);
        }
        if (tokens.isWord(0, "REVOKE")) {
            return partialRevoke(tokens);
        }
        if (tokens.isWord(0, "SET") && tokens.isWord(1, "DEFAULT") && tokens.isWord(2, "ROLE")) {
            return defaultRole(tokens);
        }
        throw new IllegalArgumentException("a line that is not GRANT, REVOKE or SET DEFAULT ROLE");
    }

    private static List<Grant> grant(Tokens tokens) {
        int to = tokens.require("TO", 1, tokens.size());
        int on = tokens.find("ON", 1, to);
        List<Grant> grants = new ArrayList<>();
        if (on < 0) {
            boolean adminOption = tokens.hasWords(to + 1, "ADMIN", "OPTION");
            for (String role : tokens.split(1, to)) {
                grants.add(new Grant(Grant.Kind.ROLE, role, "", adminOption));
            }
            return grants;
        }
        String object = tokens.text(on + 1, to);
        boolean grantOption = tokens.hasWords(to + 1, "GRANT", "OPTION");
        for (String privilege : privileges(tokens, 1, on)) {
            if (!privilege.equalsIgnoreCase("USAGE")) {
                grants.add(new Grant(Grant.Kind.PRIVILEGE, privilege, object, grantOption));
            }
        }
        return grants;
    }

    private static List<Grant> partialRevoke(Tokens tokens) {
        int from = tokens.require("FROM", 1, tokens.size());
        int on = tokens.require("ON", 1, from);
        String object = tokens.text(on + 1, from);
        List<Grant> grants = new ArrayList<>();
        for (String privilege : privileges(tokens, 1, on)) {
            grants.add(new Grant(Grant.Kind.PARTIAL_REVOKE, privilege, object, false));
        }
        return grants;
    }

    private static List<Grant> defaultRole(Tokens tokens) {
        int forAccount = tokens.require("FOR", 3, tokens.size());
        List<Grant> grants = new ArrayList<>();
        for (String role : tokens.split(3, forAccount)) {
            grants.add(new Grant(Grant.Kind.DEFAULT_ROLE, role, "", false));
        }
        return grants;
    }

    /** Splits {@code SELECT (`a`, `b`), INSERT} into {@code SELECT (`a`)}, {@code SELECT (`b`)}, {@code INSERT}. */
    private static List<String> privileges(Tokens tokens, int from, int to) {
        List<String> privileges = new ArrayList<>();
        for (int[] item : tokens.ranges(from, to, 0)) {
            int paren = tokens.find("(", item[0], item[1]);
            if (paren < 0) {
                privileges.add(tokens.text(item[0], item[1]));
                continue;
            }
            int close = tokens.require(")", paren + 1, item[1]);
            String name = tokens.text(item[0], paren);
            for (String column : tokens.split(paren + 1, close, 1)) {
                privileges.add(name + " (" + column + ")");
            }
        }
        return privileges;
    }

    /** A word, a quoted name or string, or one punctuation character, with its nesting in parentheses. */
    private record Token(int start, int end, int depth, boolean quoted) {
    }

    /** The line cut into tokens. */
    private static final class Tokens {
        private final String line;
        private final List<Token> tokens = new ArrayList<>();

        Tokens(String line, Quoting quoting) {
            this.line = line;
            int depth = 0;
            int i = 0;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                boolean isQuote = c == '`' || c == '\'' || c == '"';
                int end = isQuote ? closingQuote(i, quoting) + 1 : isWordCharacter(c) ? wordEnd(i) : i + 1;
                if (c == ')') {
                    depth--;
                }
                tokens.add(new Token(i, end, depth, isQuote));
                if (c == '(') {
                    depth++;
                }
                i = end;
            }
        }

        private int closingQuote(int start, Quoting quoting) {
            char quote = line.charAt(start);
            int i = start + 1;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == '\\' && quoting.escapesWithBackslash(quote)) {
                    i += 2;
                } else if (c == quote && i + 1 < line.length() && line.charAt(i + 1) == quote) {
                    i += 2;
                } else if (c == quote) {
                    return i;
                } else {
                    i++;
                }
            }
            throw new IllegalArgumentException("a quoted name or string that does not end");
        }

        private int wordEnd(int start) {
            int i = start;
            while (i < line.length() && isWordCharacter(line.charAt(i))) {
                i++;
            }
            return i;
        }

        private static boolean isWordCharacter(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }

        int size() {
            return tokens.size();
        }

        /** Whether token {@code index} is the unquoted keyword or punctuation {@code text}. */
        boolean isWord(int index, String text) {
            return index < size() && !tokens.get(index).quoted() && text(index, index + 1).equalsIgnoreCase(text);
        }

        /** The first unquoted {@code text} outside parentheses in {@code [from, to)}, or -1. */
        int find(String text, int from, int to) {
            for (int i = from; i < to; i++) {
                if (tokens.get(i).depth() == 0 && isWord(i, text)) {
                    return i;
                }
            }
            return -1;
        }

        int require(String text, int from, int to) {
            int index = find(text, from, to);
            if (index < 0) {
                throw new IllegalArgumentException("a " + firstWord() + " line without " + text);
            }
            return index;
        }

        private String firstWord() {
            return text(0, 1);
        }

        boolean hasWords(int from, String first, String second) {
            for (int i = from; i + 1 < size(); i++) {
                if (isWord(i, first) && isWord(i + 1, second)) {
                    return true;
                }
            }
            return false;
        }

        /** The original text from the start of token {@code from} to the end of token {@code to - 1}. */
        String text(int from, int to) {
            if (from >= to) {
                throw new IllegalArgumentException("a line with an empty privilege, object or role");
            }
            return line.substring(tokens.get(from).start(), tokens.get(to - 1).end());
        }

        List<String> split(int from, int to) {
            return split(from, to, 0);
        }

        List<String> split(int from, int to, int depth) {
            List<String> parts = new ArrayList<>();
            for (int[] range : ranges(from, to, depth)) {
                parts.add(text(range[0], range[1]));
            }
            return parts;
        }

        /** The token ranges in {@code [from, to)} between the commas at nesting {@code depth}. */
        List<int[]> ranges(int from, int to, int depth) {
            List<int[]> ranges = new ArrayList<>();
            int start = from;
            for (int i = from; i < to; i++) {
                if (tokens.get(i).depth() == depth && isWord(i, ",")) {
                    ranges.add(new int[] {start, i});
                    start = i + 1;
                }
            }
            ranges.add(new int[] {start, to});
            return ranges;
        }
    }
}
