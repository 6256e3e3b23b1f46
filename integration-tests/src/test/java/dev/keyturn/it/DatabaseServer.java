package dev.keyturn.it;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One database server the tests may use, and an account on it that may create users and grant
 * every privilege. The server offers TLS with a certificate from {@link Services#tls()}.
 */
public final class DatabaseServer {
    private final String host;
    private final int port;
    private final String adminUser;
    private final String adminPassword;
    private final String database;
    private final Supplier<Optional<String>> serverLog;

    DatabaseServer(String host, int port, String adminUser, String adminPassword, String database,
            Supplier<Optional<String>> serverLog) {
        this.host = host;
        this.port = port;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.database = database;
        this.serverLog = serverLog;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String adminUser() {
        return adminUser;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** A database every user may connect to; goes into the secrets' {@code dbname}. */
    public String database() {
        return database;
    }

    /** What the server has logged so far, where the tests can read it. */
    public Optional<String> serverLog() {
        return serverLog.get();
    }

    @Override
    public String toString() {
        return "DatabaseServer[" + adminUser + "@" + host + ":" + port + "/" + database + ", password=****]";
    }
}
