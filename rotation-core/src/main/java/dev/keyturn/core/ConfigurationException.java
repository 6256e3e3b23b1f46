package dev.keyturn.core;

/** An environment setting of the function is missing or malformed. */
public class ConfigurationException extends RotationException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String detail) {
        super(detail);
    }

    public ConfigurationException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
