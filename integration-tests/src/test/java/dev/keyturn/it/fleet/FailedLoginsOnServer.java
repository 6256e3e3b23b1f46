package dev.keyturn.it.fleet;

import dev.keyturn.it.DatabaseServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Failed logins as the database server itself records them, counted from its log: a second
 * witness beside the function's FailedLogins metric and the clients' own count. The local test
 * servers log every refused password (PostgreSQL with {@code log_connections}, MariaDB with its
 * default {@code log_warnings=2}); in containers the log is not at hand, and the count is empty.
 * A counter counts only lines written after it was made, and only for the users asked about.
 */
public final class FailedLoginsOnServer {
    private final Supplier<Optional<String>> log;
    private final Function<String, String> lineFor;
    private final int start;

    private FailedLoginsOnServer(Supplier<Optional<String>> log, Function<String, String> lineFor) {
        this.log = log;
        this.lineFor = lineFor;
        this.start = log.get().map(String::length).orElse(0);
    }

    /** PostgreSQL, counting from now: {@code FATAL:  password authentication failed for user "name"}. */
    public static FailedLoginsOnServer postgres(DatabaseServer server) {
        return new FailedLoginsOnServer(server::serverLog,
                user -> "password authentication failed for user \"" + user + "\"");
    }

    /** MariaDB, counting from now: {@code [Warning] Access denied for user 'name'@'host' (using password: YES)}. */
    public static FailedLoginsOnServer mariadb() {
        boolean local = "local".equals(System.getProperty("keyturn.services", "local"));
        Optional<Path> file = local ? localMariaDbLog() : Optional.empty();
        return new FailedLoginsOnServer(() -> file.flatMap(FailedLoginsOnServer::read),
                user -> "Access denied for user '" + user + "'@");
    }

    /** Refused logins of these users since this counter was made; empty when the log cannot be read. */
    public Optional<Long> of(Collection<String> users) {
        return log.get().map(text -> text.substring(Math.min(start, text.length()))).map(text -> {
            long count = 0;
            for (String user : users) {
                count += occurrences(text, lineFor.apply(user));
            }
            return count;
        });
    }

    private static long occurrences(String text, String needle) {
        long count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    /** {@code .test-services/mariadb/mariadb.log} of the repository, as scripts/test-services writes it. */
    private static Optional<Path> localMariaDbLog() {
        String root = System.getProperty("keyturn.root", System.getProperty("user.dir"));
        for (Path dir = Path.of(root).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path log = dir.resolve(".test-services/mariadb/mariadb.log");
            if (Files.isReadable(log)) {
                return Optional.of(log);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
