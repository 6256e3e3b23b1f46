package dev.keyturn.oracle;

import static dev.keyturn.oracle.OracleSql.identifier;
import static dev.keyturn.oracle.OracleSql.password;

import dev.keyturn.core.RotationStateException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * single-user-overlap on Oracle: gradual password rollover (19.12 and later, 21c and later). When the
 * user's profile sets PASSWORD_ROLLOVER_TIME, changing the password starts a rollover period in which
 * the password from before the change and the newest one both log in. The period is fixed from the
 * first change: changing the password again within it keeps that first password and replaces the
 * newest one, and either valid password may be given as REPLACE (Oracle SQL*Plus User's Guide,
 * PASSWORD; Oracle Database Security Guide, "Gradual Database Password Rollover for Applications").
 * When the period ends, only the newest password logs in.
 *
 * <p>So the old password stays valid for PASSWORD_ROLLOVER_TIME after the rotation, not until the
 * next one, and the user changes its own password (no privilege needed), always with REPLACE. At
 * setSecret the account is in one of three states:
 * <ul>
 *   <li>not in rollover (the usual case): the change starts a rollover with exactly the current and
 *       the new password;
 *   <li>in rollover because a first run of this step changed the password and then crashed: the
 *       current password is the one from before and the new password the newest, which is what this
 *       step wants. Setting the new password again, with itself as REPLACE, proves that and changes
 *       nothing else; a reuse limit that refuses it (ORA-28007) proves the same;
 *   <li>in rollover because the previous rotation's period is still running (PASSWORD_ROLLOVER_TIME
 *       longer than the time between rotations): a change now would keep the password from before the
 *       previous rotation and drop the current one, which every client uses. The REPLACE check above
 *       fails (ORA-28008, the new password is not valid yet) and the step stops without a change.
 * </ul>
 */
final class PasswordRollover {
    /** USER_PASSWORD_LIMITS lists this limit only on releases with gradual rollover. */
    static final String ROLLOVER_TIME = "SELECT \"LIMIT\" FROM user_password_limits "
            + "WHERE resource_name = 'PASSWORD_ROLLOVER_TIME'";
    static final String ACCOUNT_STATUS = "SELECT account_status FROM user_users";
    /** Part of ACCOUNT_STATUS (OPEN & IN ROLLOVER, EXPIRED(GRACE) & IN ROLLOVER, ...) during a rollover. */
    static final String IN_ROLLOVER = "IN ROLLOVER";
    /** ORA-28007: the password cannot be reused; the profile's reuse limits refuse it. */
    static final int PASSWORD_REUSED = 28007;
    /** ORA-28008: invalid old password; REPLACE named no password the account accepts. */
    static final int INVALID_OLD_PASSWORD = 28008;

    private PasswordRollover() {
    }

    /** Why the user of this connection cannot keep its current password valid beside a new one, or null. */
    static String problem(Connection connection, boolean asMaster) throws SQLException {
        if (asMaster) {
            return "Oracle's gradual password rollover is started by the user's own password change, which this "
                    + "function makes only as the user";
        }
        Optional<String> limit = firstValue(connection, ROLLOVER_TIME);
        if (limit.isEmpty()) {
            return "this Oracle release has no gradual password rollover (it came with 19.12 and 21c)";
        }
        if (!positive(limit.get())) {
            return "the user's profile sets no PASSWORD_ROLLOVER_TIME (it is " + limit.get() + "), so Oracle keeps "
                    + "one password. Give the user a profile with PASSWORD_ROLLOVER_TIME of at least 1/24 (an hour) "
                    + "and longer than clients take to read the new secret";
        }
        return null;
    }

    /** Leaves the session user accepting exactly {@code newPassword} and {@code currentPassword}. */
    static void keepCurrent(Connection connection, String currentPassword, String newPassword) throws SQLException {
        String user = new Dictionary(connection).sessionUser();
        Ddl ddl = new Ddl(connection);
        if (inRollover(connection)) {
            confirmThisRotationsRollover(ddl, user, newPassword);
            return;
        }
        ddl.run(change(user, newPassword, currentPassword));
    }

    static String change(String user, String newPassword, String replaced) {
        return "ALTER USER " + identifier(user) + " IDENTIFIED BY " + password(newPassword) + " REPLACE "
                + password(replaced);
    }

    private static void confirmThisRotationsRollover(Ddl ddl, String user, String newPassword) throws SQLException {
        try {
            ddl.run(change(user, newPassword, newPassword));
        } catch (SQLException e) {
            if (e.getErrorCode() == PASSWORD_REUSED) {
                return;
            }
            if (e.getErrorCode() == INVALID_OLD_PASSWORD) {
                throw new RotationStateException("user " + user + " is still in the password rollover period of an "
                        + "earlier change, so a new change would end the AWSCURRENT password's validity at once. "
                        + "Nothing was changed. Rotate again once the period is over, end it (ALTER USER ... EXPIRE "
                        + "PASSWORD ROLLOVER PERIOD), or make PASSWORD_ROLLOVER_TIME shorter than the time between "
                        + "rotations.");
            }
            throw e;
        }
    }

    private static boolean inRollover(Connection connection) throws SQLException {
        return firstValue(connection, ACCOUNT_STATUS).orElse("").contains(IN_ROLLOVER);
    }

    /** A number of days above zero; DEFAULT (unresolved) or anything else is not. */
    private static boolean positive(String limit) {
        try {
            return new BigDecimal(limit.trim()).signum() > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<String> firstValue(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
    }
}
