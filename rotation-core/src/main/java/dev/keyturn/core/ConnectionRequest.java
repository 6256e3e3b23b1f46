package dev.keyturn.core;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an engine needs to open one connection. The password travels here, never inside a
 * URL, so that no connection string the function builds carries a credential.
 *
 * @param host the server's host name
 * @param port the server's port
 * @param dbname the database to open, when the secret names one
 * @param username the user to log in as
 * @param password the password to log in with
 * @param tls whether this attempt uses verified TLS
 * @param trust what TLS trusts and checks
 * @param connectTimeout how long to wait for the server before calling it unreachable
 * @param attributes the secret's other string-valued keys (never {@code username} or {@code password}),
 *     for engine-specific connection settings such as Oracle's {@code sid}
 */
public record ConnectionRequest(String host, int port, Optional<String> dbname, String username, String password,
        TlsSettings.Mode tls, TrustSettings trust, Duration connectTimeout, Map<String, String> attributes) {

    public ConnectionRequest {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** A request without secret attributes, for engines that need none. */
    public ConnectionRequest(String host, int port, Optional<String> dbname, String username, String password,
            TlsSettings.Mode tls, TrustSettings trust, Duration connectTimeout) {
        this(host, port, dbname, username, password, tls, trust, connectTimeout, Map.of());
    }

    /** A string-valued key of the secret this connection is for, such as {@code sid}. */
    public Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key)).filter(value -> !value.isBlank());
    }

    public boolean useTls() {
        return tls == TlsSettings.Mode.VERIFIED;
    }

    public int connectTimeoutSeconds() {
        return (int) Math.max(1, connectTimeout.toSeconds());
    }

    @Override
    public String toString() {
        return "ConnectionRequest[" + username + "@" + host + ":" + port + dbname.map(d -> "/" + d).orElse("")
                + ", tls=" + tls + ", password=****]";
    }
}
