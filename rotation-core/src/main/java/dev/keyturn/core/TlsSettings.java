package dev.keyturn.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the function secures its database connections.
 *
 * <p>A secret's {@code "ssl": true} means TLS with the server's certificate verified, with no
 * fallback to plaintext; {@code "ssl": false} means plaintext. When the key is absent,
 * {@code TLS_DEFAULT} decides: {@code required} (the default) behaves as {@code true},
 * {@code disabled} as {@code false}, and {@code preferred} tries verified TLS first and falls back to
 * plaintext with a warning in the log.
 *
 * @param whenAbsent what to do when the secret has no {@code ssl} key
 * @param caBundle a PEM file of certificate authorities to trust instead of the JVM's
 * @param verifyHostname whether the server's name must match its certificate; turn off only when the
 *     host is reached through a DNS alias the certificate does not name
 */
public record TlsSettings(Default whenAbsent, Optional<Path> caBundle, boolean verifyHostname) {

    /** The behaviour chosen by {@code TLS_DEFAULT}. */
    public enum Default {
        REQUIRED,
        PREFERRED,
        DISABLED
    }

    /** What one connection attempt does. */
    public enum Mode {
        /** TLS, with the certificate verified. */
        VERIFIED,
        /** No TLS. */
        PLAINTEXT
    }
}
