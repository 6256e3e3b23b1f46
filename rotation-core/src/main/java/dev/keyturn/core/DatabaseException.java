package dev.keyturn.core;

import java.sql.SQLException;
import java.util.Collection;

/**
 * The database refused, failed or could not be reached. Keeps the SQLState and vendor code so that
 * an operator can look them up.
 *
 * <p>A driver's message can quote the statement it failed on, and some statements carry a password
 * as a literal. So the driver's exception is not kept as it is: the cause is a copy whose message has
 * every password the rotation handled replaced by {@code ****}, with the original stack trace.
 */
public class DatabaseException extends RotationException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final int vendorCode;

    private DatabaseException(String detail, SQLException redactedCause) {
        super(detail, redactedCause);
        this.sqlState = redactedCause.getSQLState();
        this.vendorCode = redactedCause.getErrorCode();
    }

    /** Builds the exception with the driver's message stripped of every value in {@code secrets}. */
    public static DatabaseException of(String detail, SQLException driverError, Collection<String> secrets) {
        String driverMessage = redact(String.valueOf(driverError.getMessage()), secrets);
        SQLException cause = new SQLException(driverMessage, driverError.getSQLState(), driverError.getErrorCode());
        cause.setStackTrace(driverError.getStackTrace());
        String full = detail + " (SQLState " + driverError.getSQLState() + ", vendor code "
                + driverError.getErrorCode() + ": " + driverMessage + ")";
        return new DatabaseException(full, cause);
    }

    static String redact(String text, Collection<String> secrets) {
        String result = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "****");
            }
        }
        return result;
    }

    public String sqlState() {
        return sqlState;
    }

    public int vendorCode() {
        return vendorCode;
    }
}
