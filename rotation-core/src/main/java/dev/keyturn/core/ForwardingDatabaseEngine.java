package dev.keyturn.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * An engine that passes every call to another one. Extend it to change a few calls of an existing
 * engine (which secrets it serves, say) without repeating the rest; a method added to
 * {@link DatabaseEngine} then reaches every such wrapper by being added here once.
 */
public abstract class ForwardingDatabaseEngine implements DatabaseEngine {
    private final DatabaseEngine delegate;

    protected ForwardingDatabaseEngine(DatabaseEngine delegate) {
        this.delegate = delegate;
    }

    /** The engine every call goes to. */
    protected final DatabaseEngine delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean serves(DatabaseSecret secret) {
        return delegate.serves(secret);
    }

    @Override
    public String servedEngines() {
        return delegate.servedEngines();
    }

    @Override
    public int defaultPort() {
        return delegate.defaultPort();
    }

    @Override
    public int maxUserNameLength() {
        return delegate.maxUserNameLength();
    }

    @Override
    public String cloneSuffix() {
        return delegate.cloneSuffix();
    }

    @Override
    public PasswordRules passwordRules() {
        return delegate.passwordRules();
    }

    @Override
    public Connection connect(ConnectionRequest request) throws SQLException {
        return delegate.connect(request);
    }

    @Override
    public void prime(ConnectionRequest placeholder) throws SQLException {
        delegate.prime(placeholder);
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        return delegate.classify(failure);
    }

    @Override
    public void testConnection(Connection connection) throws SQLException {
        delegate.testConnection(connection);
    }

    @Override
    public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException {
        delegate.changeOwnPassword(asUser, username, oldPassword, newPassword);
    }

    @Override
    public void setPassword(Connection asMaster, String username, String newPassword) throws SQLException {
        delegate.setPassword(asMaster, username, newPassword);
    }

    @Override
    public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException {
        delegate.createOrSyncUser(asMaster, sourceUser, targetUser, newPassword);
    }

    @Override
    public String overlapProblem(Connection connection, boolean asMaster, String username) throws SQLException {
        return delegate.overlapProblem(connection, asMaster, username);
    }

    @Override
    public void changePasswordKeepingCurrent(Connection connection, boolean asMaster, String username,
            String currentPassword, String newPassword) throws SQLException {
        delegate.changePasswordKeepingCurrent(connection, asMaster, username, currentPassword, newPassword);
    }

    @Override
    public String userNameProblem(String username) {
        return delegate.userNameProblem(username);
    }
}
