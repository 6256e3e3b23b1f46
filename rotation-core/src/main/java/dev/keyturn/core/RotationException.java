package dev.keyturn.core;

/**
 * The root of the few unchecked exceptions a rotation throws. The message always starts with
 * the secret and the step, which the rotator attaches before the exception leaves the handler,
 * so that one CloudWatch line says which rotation failed, what was found and what to do.
 *
 * <p>No message in this family ever contains a password or a secret value.
 */
public class RotationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String detail;
    private String secretId;
    private String step;

    public RotationException(String detail) {
        this(detail, null);
    }

    public RotationException(String detail, Throwable cause) {
        super(detail, cause);
        this.detail = detail;
    }

    /** Names the rotation this failure belongs to; the first call wins. */
    public RotationException attach(String secretId, String step) {
        if (this.secretId == null) {
            this.secretId = secretId;
            this.step = step;
        }
        return this;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String getMessage() {
        if (secretId == null) {
            return detail;
        }
        return "Secret " + secretId + ", step " + step + ": " + detail;
    }
}
