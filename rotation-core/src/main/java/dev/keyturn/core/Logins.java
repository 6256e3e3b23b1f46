package dev.keyturn.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Opens database connections for one step: chooses TLS as {@link TlsSettings} describes, counts
 * every attempt, and turns driver failures into a refused login (another password may work) or a
 * clear error (nothing will).
 */
final class Logins {
    private final DatabaseEngine engine;
    private final Settings settings;
    private final RotationLog log;
    private final StepCounters counters;
    private final Set<String> secrets;

    Logins(DatabaseEngine engine, Settings settings, RotationLog log, StepCounters counters, Set<String> secrets) {
        this.engine = engine;
        this.settings = settings;
        this.log = log;
        this.counters = counters;
        this.secrets = secrets;
    }

    /**
     * Logs in as {@code username} at the server {@code target} names.
     *
     * @param label which credentials these are, for the log (AWSCURRENT, master, ...)
     * @return the connection, or empty when the server refused the credentials
     */
    Optional<Connection> tryLogin(DatabaseSecret target, String username, String password, String label) {
        Optional<Boolean> ssl = target.ssl();
        TlsSettings.Default whenAbsent = settings.tls().whenAbsent();
        boolean verified = ssl.orElse(whenAbsent != TlsSettings.Default.DISABLED);
        boolean mayFallBack = ssl.isEmpty() && whenAbsent == TlsSettings.Default.PREFERRED;
        try {
            return attempt(target, username, password, label, verified);
        } catch (SQLException e) {
            LoginFailure failure = classify(e);
            if (verified && mayFallBack && failure == LoginFailure.OTHER) {
                log.warn("TLS connection failed; connecting without TLS because the secret has no 'ssl' key and "
                        + "TLS_DEFAULT is 'preferred'. Add \"ssl\": true to the secret once the server offers TLS.",
                        "credentials", label, "host", target.host());
                try {
                    return attempt(target, username, password, label, false);
                } catch (SQLException plaintextFailure) {
                    return refusedOrThrow(target, username, label, plaintextFailure, classify(plaintextFailure));
                }
            }
            return refusedOrThrow(target, username, label, e, failure);
        }
    }

    /** Logs in, failing with a clear error when the credentials are refused. */
    Connection login(DatabaseSecret target, String username, String password, String label) {
        return tryLogin(target, username, password, label).orElseThrow(() -> new RotationStateException(
                "the database refused the " + label + " credentials for user " + username + " at " + target.host()
                        + ". Check that the " + label + " secret holds the user's actual password."));
    }

    private Optional<Connection> attempt(DatabaseSecret target, String username, String password, String label,
            boolean tls) throws SQLException {
        ConnectionRequest request = new ConnectionRequest(target.host(), target.port().orElse(engine.defaultPort()),
                target.dbname(), username, password, tls ? TlsSettings.Mode.VERIFIED : TlsSettings.Mode.PLAINTEXT,
                settings.trust(), settings.connectTimeout(), attributes(target));
        Connection connection = engine.connect(request);
        counters.login(true);
        log.debug("logged in", "credentials", label, "user", username, "tls", tls);
        return Optional.of(connection);
    }

    /** The secret's string keys an engine may read to connect; the credentials are not among them. */
    private static Map<String, String> attributes(DatabaseSecret target) {
        Map<String, String> attributes = new HashMap<>();
        for (String key : target.keys()) {
            if (!key.equals(DatabaseSecret.USERNAME) && !key.equals(DatabaseSecret.PASSWORD)) {
                target.stringField(key).ifPresent(value -> attributes.put(key, value));
            }
        }
        return attributes;
    }

    private LoginFailure classify(SQLException e) {
        LoginFailure failure = engine.classify(e);
        if (failure == LoginFailure.REFUSED) {
            counters.login(false);
        } else {
            counters.attemptWithoutAnswer();
        }
        return failure;
    }

    private Optional<Connection> refusedOrThrow(DatabaseSecret target, String username, String label, SQLException e,
            LoginFailure failure) {
        String server = target.host() + ":" + target.port().orElse(engine.defaultPort());
        switch (failure) {
            case REFUSED:
                log.info("login refused", "credentials", label, "user", username);
                return Optional.empty();
            case LOCKED:
                throw DatabaseException.of("user " + username + " is locked at " + server + ". Unlock the account; "
                        + "no password can log in until then.", e, secrets);
            case UNREACHABLE:
                throw DatabaseException.of("could not reach the database at " + server + " within "
                        + settings.connectTimeout().toSeconds() + "s. Check the secret's host and port, the "
                        + "database's security group, and that the function runs in a subnet that can reach it.", e,
                        secrets);
            default:
                throw DatabaseException.of("could not log in as " + username + " with the " + label
                        + " credentials at " + server + (hasTlsCause(e) ? " (the TLS handshake failed: check the "
                        + "server's certificate, TLS_CA_BUNDLE and TLS_VERIFY_HOSTNAME)" : ""), e, secrets);
        }
    }

    private static boolean hasTlsCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }
}
