package dev.keyturn.core.testing;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.ForwardingDatabaseEngine;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A test double at the engine boundary, used because nothing real can stop a function at this exact
 * point: a Lambda timing out, or its container dying, after the database accepted a change but before
 * setSecret returned. Every call goes to the real engine; once armed, the next password change or user
 * sync runs for real and then throws, as such a crash looks to Secrets Manager.
 */
public final class CrashingEngine extends ForwardingDatabaseEngine {
    private boolean armed;
    private int crashes;

    public CrashingEngine(DatabaseEngine engine) {
        super(engine);
    }

    /** What the function sees when its container dies; the message holds nothing secret. */
    public static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash after the database accepted the change");
        }
    }

    /** Makes the next change crash after it took effect. */
    public synchronized CrashingEngine crashAfterNextChange() {
        armed = true;
        return this;
    }

    /** How many crashes were simulated, so that a test can tell its crash happened. */
    public synchronized int crashes() {
        return crashes;
    }

    private synchronized void crashOnce() {
        if (armed) {
            armed = false;
            crashes++;
            throw new Crash();
        }
    }

    @Override
    public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException {
        delegate().changeOwnPassword(asUser, username, oldPassword, newPassword);
        crashOnce();
    }

    @Override
    public void setPassword(Connection asMaster, String username, String newPassword) throws SQLException {
        delegate().setPassword(asMaster, username, newPassword);
        crashOnce();
    }

    @Override
    public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException {
        delegate().createOrSyncUser(asMaster, sourceUser, targetUser, newPassword);
        crashOnce();
    }

    @Override
    public void changePasswordKeepingCurrent(Connection connection, boolean asMaster, String username,
            String currentPassword, String newPassword) throws SQLException {
        delegate().changePasswordKeepingCurrent(connection, asMaster, username, currentPassword, newPassword);
        crashOnce();
    }
}
