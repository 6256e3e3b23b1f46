package dev.keyturn.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * A test double at the JDBC boundary: a database server held in memory. rotation-core has no
 * database driver (each engine module brings its own), and no real server here can be told to die
 * between a password change and the step's return, lock an account, or fail a TLS handshake on
 * demand. The engine modules run the same protocol against real PostgreSQL and MariaDB servers.
 *
 * <p>Each user maps to the set of passwords the server accepts for it, so that single-user-overlap
 * (two valid passwords at once) can be modelled. Every connection attempt is recorded with its
 * outcome, never with its password. Connections are {@link Proxy} objects that remember who logged
 * in; the change methods check them as a server would and then change the in-memory state.
 */
final class InMemoryDatabaseEngine implements DatabaseEngine {
    static final String ENGINE = "memdb";
    static final int DEFAULT_PORT = 6543;
    /** As short as MySQL's limit, so that a clone name can be too long. */
    static final int MAX_USER_NAME_LENGTH = 16;
    static final int MAX_PASSWORD_LENGTH = 64;
    /** Refused by the double's "statements", so that engine exclusions reach GetRandomPassword. */
    static final String EXCLUDED_PASSWORD_CHARACTERS = ";:";
    /** A prefix the double reserves, so that an engine's own user-name check can be exercised. */
    static final String RESERVED_PREFIX = "sys_";

    /** PostgreSQL's SQLStates, so that {@link #classify} reads like a real engine's. */
    static final String CONNECTION_FAILURE = "08001";
    static final String TLS_FAILURE = "08006";
    static final String INVALID_PASSWORD = "28P01";
    static final String INVALID_AUTHORIZATION = "28000";
    static final String INSUFFICIENT_PRIVILEGE = "42501";
    static final String UNDEFINED_OBJECT = "42704";
    static final String SYNTAX_ERROR = "42601";
    /** MySQL's ER_ACCOUNT_HAS_BEEN_LOCKED; PostgreSQL has no lock of its own. */
    static final int ACCOUNT_LOCKED = 3118;

    /** How one connection attempt ended. */
    enum Outcome {
        ACCEPTED,
        REFUSED,
        LOCKED,
        UNREACHABLE,
        TLS_FAILED
    }

    /** One connection attempt, without its password. */
    record LoginAttempt(String user, boolean tls, Outcome outcome) {
    }

    /** Everything rotation can change, as a value that compares equal when nothing changed. */
    record State(Map<String, Set<String>> passwords, Map<String, Set<String>> privileges) {
    }

    /** Thrown right after a change was applied: the function died before the step could return. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash after the database change");
        }
    }

    private final Map<String, Set<String>> passwords = new LinkedHashMap<>();
    private final Map<String, Set<String>> privileges = new LinkedHashMap<>();
    private final Set<String> admins = new LinkedHashSet<>();
    private final Set<String> locked = new LinkedHashSet<>();
    private final List<LoginAttempt> attempts = new ArrayList<>();
    private final List<ConnectionRequest> acceptedRequests = new ArrayList<>();
    private final List<String> queries = new ArrayList<>();
    private boolean unreachable;
    private boolean tlsBroken;
    private boolean overlapSupported = true;
    private boolean overlapOnlyForAdmins;
    private boolean crashAfterNextChange;
    private boolean failNextChangeQuotingPassword;
    private RuntimeException nextChangeThrows;
    private int changesApplied;
    private String cloneSuffix;

    // setting the scene

    InMemoryDatabaseEngine addUser(String user, String password, String... grants) {
        passwords.put(user, new LinkedHashSet<>(List.of(password)));
        privileges.put(user, new LinkedHashSet<>(List.of(grants)));
        return this;
    }

    /** A user that may create users, set any password and grant anything: the master of alternating users. */
    InMemoryDatabaseEngine addAdmin(String user, String password) {
        addUser(user, password, "ALL");
        admins.add(user);
        return this;
    }

    /** Sets a password outside any rotation, as an administrator would by hand. */
    void resetPasswordByHand(String user, String password) {
        passwords.put(user, new LinkedHashSet<>(List.of(password)));
    }

    void grant(String user, String privilege) {
        privileges.get(user).add(privilege);
    }

    void lock(String user) {
        locked.add(user);
    }

    void unlock(String user) {
        locked.remove(user);
    }

    /** Every connection attempt fails as if no server listened at the host and port. */
    void makeUnreachable() {
        unreachable = true;
    }

    /** Every TLS handshake fails; plaintext connections still work. */
    void breakTls() {
        tlsBroken = true;
    }

    /** Names the other user of alternating users with this suffix instead of the default. */
    void useCloneSuffix(String suffix) {
        cloneSuffix = suffix;
    }

    void overlapSupported(boolean supported) {
        overlapSupported = supported;
    }

    /** Only an admin may give an account two passwords, as on MariaDB, which asks for CREATE USER. */
    void overlapOnlyForAdmins() {
        overlapOnlyForAdmins = true;
    }

    /** The next password change or user sync is applied, and then the function dies. */
    void crashAfterNextChange() {
        crashAfterNextChange = true;
    }

    /** The next change fails with a driver message that quotes the statement, new password included. */
    void failNextChangeQuotingPassword() {
        failNextChangeQuotingPassword = true;
    }

    /** The next change throws this instead of a SQLException, as a driver's own defect would. */
    void nextChangeThrows(RuntimeException unexpected) {
        nextChangeThrows = unexpected;
    }

    // reading the outcome

    boolean accepts(String user, String password) {
        return passwords.getOrDefault(user, Set.of()).contains(password);
    }

    boolean hasUser(String user) {
        return passwords.containsKey(user);
    }

    int passwordCount(String user) {
        return passwords.getOrDefault(user, Set.of()).size();
    }

    Set<String> privilegesOf(String user) {
        return Set.copyOf(privileges.getOrDefault(user, Set.of()));
    }

    State snapshot() {
        Map<String, Set<String>> passwordCopy = new LinkedHashMap<>();
        passwords.forEach((user, set) -> passwordCopy.put(user, Set.copyOf(set)));
        Map<String, Set<String>> privilegeCopy = new LinkedHashMap<>();
        privileges.forEach((user, set) -> privilegeCopy.put(user, Set.copyOf(set)));
        return new State(Map.copyOf(passwordCopy), Map.copyOf(privilegeCopy));
    }

    List<LoginAttempt> attempts() {
        return List.copyOf(attempts);
    }

    long refusedLogins() {
        return attempts.stream().filter(attempt -> attempt.outcome() == Outcome.REFUSED).count();
    }

    List<ConnectionRequest> acceptedRequests() {
        return List.copyOf(acceptedRequests);
    }

    List<String> queries() {
        return List.copyOf(queries);
    }

    int changesApplied() {
        return changesApplied;
    }

    // DatabaseEngine

    @Override
    public String name() {
        return ENGINE;
    }

    @Override
    public boolean serves(DatabaseSecret secret) {
        return ENGINE.equals(secret.engine());
    }

    @Override
    public String servedEngines() {
        return "'" + ENGINE + "'";
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public int maxUserNameLength() {
        return MAX_USER_NAME_LENGTH;
    }

    @Override
    public String cloneSuffix() {
        return cloneSuffix == null ? DatabaseEngine.super.cloneSuffix() : cloneSuffix;
    }

    @Override
    public PasswordRules passwordRules() {
        return PasswordRules.upTo(MAX_PASSWORD_LENGTH).excluding(EXCLUDED_PASSWORD_CHARACTERS);
    }

    @Override
    public Connection connect(ConnectionRequest request) throws SQLException {
        String user = request.username();
        String server = request.host() + ":" + request.port();
        if (unreachable) {
            attempts.add(new LoginAttempt(user, request.useTls(), Outcome.UNREACHABLE));
            throw new SQLException("Connection to " + server + " refused", CONNECTION_FAILURE,
                    new ConnectException("Connection refused"));
        }
        if (request.useTls() && tlsBroken) {
            attempts.add(new LoginAttempt(user, true, Outcome.TLS_FAILED));
            throw new SQLException("SSL error: the server's certificate is not trusted", TLS_FAILURE,
                    new SSLHandshakeException("PKIX path building failed"));
        }
        if (locked.contains(user)) {
            attempts.add(new LoginAttempt(user, request.useTls(), Outcome.LOCKED));
            throw new SQLException("Access denied: account is locked", INVALID_AUTHORIZATION, ACCOUNT_LOCKED);
        }
        if (!accepts(user, request.password())) {
            attempts.add(new LoginAttempt(user, request.useTls(), Outcome.REFUSED));
            throw new SQLException("password authentication failed for user \"" + user + "\"", INVALID_PASSWORD);
        }
        attempts.add(new LoginAttempt(user, request.useTls(), Outcome.ACCEPTED));
        acceptedRequests.add(request);
        return new Session(user, request.password()).asConnection();
    }

    @Override
    public LoginFailure classify(SQLException failure) {
        if (CONNECTION_FAILURE.equals(failure.getSQLState())) {
            return LoginFailure.UNREACHABLE;
        }
        if (INVALID_PASSWORD.equals(failure.getSQLState())) {
            return LoginFailure.REFUSED;
        }
        if (failure.getErrorCode() == ACCOUNT_LOCKED) {
            return LoginFailure.LOCKED;
        }
        return LoginFailure.OTHER;
    }

    @Override
    public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword)
            throws SQLException {
        Session session = Session.of(asUser);
        if (!session.user.equals(username)) {
            throw new SQLException("permission denied to change the password of " + username, INSUFFICIENT_PRIVILEGE);
        }
        if (!session.password.equals(oldPassword)) {
            // the SQL Server and Oracle forms check the old password; passing the wrong one fails there
            throw new SQLException("the old password does not match", INVALID_PASSWORD);
        }
        apply(username, newPassword, () -> passwords.put(username, new LinkedHashSet<>(List.of(newPassword))));
    }

    @Override
    public void setPassword(Connection asMaster, String username, String newPassword) throws SQLException {
        Session.of(asMaster).requireAdmin(admins);
        requireUser(username);
        apply(username, newPassword, () -> passwords.put(username, new LinkedHashSet<>(List.of(newPassword))));
    }

    @Override
    public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword)
            throws SQLException {
        Session.of(asMaster).requireAdmin(admins);
        requireUser(sourceUser);
        apply(targetUser, newPassword, () -> {
            passwords.put(targetUser, new LinkedHashSet<>(List.of(newPassword)));
            privileges.put(targetUser, new LinkedHashSet<>(privileges.get(sourceUser)));
        });
    }

    @Override
    public String overlapProblem(Connection connection, boolean asMaster, String username) throws SQLException {
        Session session = Session.of(connection);
        if (overlapOnlyForAdmins && !admins.contains(session.user)) {
            return session.user + " may not give an account two passwords";
        }
        return overlapSupported ? null : DatabaseEngine.super.overlapProblem(connection, asMaster, username);
    }

    @Override
    public void changePasswordKeepingCurrent(Connection connection, boolean asMaster, String username,
            String currentPassword, String newPassword) throws SQLException {
        Session session = Session.of(connection);
        if (overlapOnlyForAdmins) {
            session.requireAdmin(admins);
        }
        if (asMaster) {
            session.requireAdmin(admins);
        } else if (!session.user.equals(username)) {
            throw new SQLException("permission denied to change the password of " + username, INSUFFICIENT_PRIVILEGE);
        }
        if (!overlapSupported) {
            throw new SQLFeatureNotSupportedException("this server keeps one password per account");
        }
        apply(username, newPassword,
                () -> passwords.put(username, new LinkedHashSet<>(List.of(currentPassword, newPassword))));
    }

    @Override
    public String userNameProblem(String username) {
        return username.startsWith(RESERVED_PREFIX) ? "names starting with " + RESERVED_PREFIX
                + " are reserved by " + ENGINE : null;
    }

    private void requireUser(String user) throws SQLException {
        if (!passwords.containsKey(user)) {
            throw new SQLException("role \"" + user + "\" does not exist", UNDEFINED_OBJECT);
        }
    }

    private void apply(String user, String newPassword, Runnable change) throws SQLException {
        if (failNextChangeQuotingPassword) {
            failNextChangeQuotingPassword = false;
            throw new SQLException("syntax error at or near \"ALTER USER " + user + " PASSWORD '" + newPassword
                    + "'\"", SYNTAX_ERROR);
        }
        if (nextChangeThrows != null) {
            RuntimeException unexpected = nextChangeThrows;
            nextChangeThrows = null;
            throw unexpected;
        }
        change.run();
        changesApplied++;
        if (crashAfterNextChange) {
            crashAfterNextChange = false;
            throw new SimulatedCrash();
        }
    }

    /** The server side of one connection: who logged in, with which password, and whether it is open. */
    private final class Session implements InvocationHandler {
        private final String user;
        private final String password;
        private boolean closed;

        Session(String user, String password) {
            this.user = user;
            this.password = password;
        }

        static Session of(Connection connection) throws SQLException {
            if (!Proxy.isProxyClass(connection.getClass())
                    || !(Proxy.getInvocationHandler(connection) instanceof Session)) {
                throw new SQLException("not a connection of the in-memory database");
            }
            Session session = (Session) Proxy.getInvocationHandler(connection);
            session.requireOpen();
            return session;
        }

        Connection asConnection() {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, this);
        }

        void requireAdmin(Set<String> adminUsers) throws SQLException {
            if (!adminUsers.contains(user)) {
                throw new SQLException("permission denied: " + user + " may not manage users", INSUFFICIENT_PRIVILEGE);
            }
        }

        void requireOpen() throws SQLException {
            if (closed) {
                throw new SQLException("the connection is closed", "08003");
            }
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
            switch (method.getName()) {
                case "close":
                    closed = true;
                    return null;
                case "isClosed":
                    return closed;
                case "createStatement":
                    requireOpen();
                    return statement();
                case "toString":
                    return "InMemoryConnection[" + user + "]";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    throw new SQLFeatureNotSupportedException(method.getName() + " is not modelled");
            }
        }

        private Statement statement() {
            InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "execute":
                        return execute((String) args[0]);
                    case "close":
                        return null;
                    case "toString":
                        return "InMemoryStatement[" + user + "]";
                    default:
                        throw new SQLFeatureNotSupportedException(method.getName() + " is not modelled");
                }
            };
            return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                    new Class<?>[] {Statement.class}, handler);
        }

        private boolean execute(String sql) throws SQLException {
            requireOpen();
            if (!"SELECT 1".equals(sql)) {
                throw new SQLSyntaxErrorException("the in-memory database runs only SELECT 1", SYNTAX_ERROR);
            }
            queries.add(user + ": " + sql);
            return true;
        }
    }
}
