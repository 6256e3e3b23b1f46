package dev.keyturn.core;

/** Why a connection attempt failed, as far as rotation is concerned. */
public enum LoginFailure {
    /** The server answered and refused these credentials: another password may still work. */
    REFUSED,
    /** The server answered that the account is locked: no password will work until it is unlocked. */
    LOCKED,
    /** No server answered: wrong host or port, a security group, no route. Retrying cannot help. */
    UNREACHABLE,
    /** Anything else, including a TLS handshake that failed. */
    OTHER
}
