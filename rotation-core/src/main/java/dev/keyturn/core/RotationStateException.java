package dev.keyturn.core;

/** The secret's versions are not in a state this step can continue from. */
public class RotationStateException extends RotationException {
    private static final long serialVersionUID = 1L;

    public RotationStateException(String detail) {
        super(detail);
    }

    public RotationStateException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
