package dev.keyturn.core;

/**
 * The secret's value, the event or the function's configuration does not fit what this function
 * rotates. Thrown before anything is written to the database or to the secret.
 */
public class InvalidSecretException extends RotationException {
    private static final long serialVersionUID = 1L;

    public InvalidSecretException(String detail) {
        super(detail);
    }
}
