package dev.keyturn.core;

import static dev.keyturn.core.SecretVersions.CURRENT;
import static dev.keyturn.core.SecretVersions.PENDING;
import static dev.keyturn.core.SecretVersions.PREVIOUS;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One step of one rotation, as the Secrets Manager rotation contract defines it. Every step can run
 * again from any state a crash leaves, and finishes the job without doing it twice.
 */
final class StepRun {
    /** Deeper cause chains are cut: a cycle must not recurse forever, and no real chain is this long. */
    private static final int MAX_CAUSES = 16;

    /**
     * Characters that end or escape a quoted identifier in one engine or another. Engines quote user
     * names, but anyone who may write the secret would otherwise be one quoting slip away from running
     * statements as the master user; no real account needs these characters.
     */
    private static final String QUOTING_CHARACTERS = "'\"`\\";

    private final SecretStore store;
    private final Settings settings;
    private final List<DatabaseEngine> engines;
    private final RotationLog log;
    private final StepCounters counters;
    /** Every password this step has read, so that driver messages can be scrubbed of them. */
    private final Set<String> secrets = new HashSet<>();
    /**
     * The metrics' Engine dimension. Steps that never read the secret (finishSecret, quiet returns)
     * report every engine the function serves, so that a one-engine function never reports "unknown".
     */
    private String engineName;

    StepRun(SecretStore store, Settings settings, List<DatabaseEngine> engines, RotationLog log,
            StepCounters counters) {
        this.store = store;
        this.settings = settings;
        this.engines = engines;
        this.log = log;
        this.counters = counters;
        this.engineName = engines.stream().map(DatabaseEngine::name).distinct().collect(Collectors.joining("/"));
    }

    String engineName() {
        return engineName;
    }

    /**
     * A copy of an exception nobody expected, its causes included, with every password this step read
     * replaced by {@code ****} and the original stack traces. Its messages were written by code that
     * never promised to keep secrets out of them.
     */
    RuntimeException scrubbed(Throwable unexpected) {
        return scrubbed(unexpected, MAX_CAUSES);
    }

    private RuntimeException scrubbed(Throwable unexpected, int causesLeft) {
        Throwable cause = unexpected.getCause();
        RuntimeException copy = new RuntimeException(unexpected.getClass().getName() + ": "
                + DatabaseException.redact(String.valueOf(unexpected.getMessage()), secrets),
                cause == null || causesLeft == 0 ? null : scrubbed(cause, causesLeft - 1));
        copy.setStackTrace(unexpected.getStackTrace());
        return copy;
    }

    /** Runs the step and says, in a few words, what it did. */
    String run(RotationStep step, String secretId, String token, String rotationToken) {
        SecretVersions versions = store.describe(secretId);
        checkVersions(versions, token);
        if (versions.versionHas(token, CURRENT)) {
            return "version already AWSCURRENT; nothing to do";
        }
        switch (step) {
            case CREATE_SECRET:
                return createSecret(secretId, token, rotationToken);
            case SET_SECRET:
                return setSecret(secretId, token, versions);
            case TEST_SECRET:
                return testSecret(secretId, token);
            case FINISH_SECRET:
                return finishSecret(secretId, token, versions);
            default:
                throw new IllegalStateException("unhandled step " + step);
        }
    }

    private static void checkVersions(SecretVersions versions, String token) {
        if (versions.rotationEnabled().isPresent() && !versions.rotationEnabled().get()) {
            throw new RotationStateException("rotation is not enabled for the secret. Turn rotation on for it "
                    + "(RotateSecret or the console) before invoking the function.");
        }
        if (!versions.hasVersion(token)) {
            throw new RotationStateException("version " + token + " is not a version of the secret. Start rotations "
                    + "with RotateSecret, which creates the version before it invokes the function.");
        }
        if (!versions.versionHas(token, CURRENT) && !versions.versionHas(token, PENDING)) {
            throw new RotationStateException("version " + token + " is not labelled AWSPENDING, so it is not the "
                    + "rotation in progress. Start a new rotation with RotateSecret.");
        }
    }

    // createSecret

    private String createSecret(String secretId, String token, String rotationToken) {
        if (store.valueOfVersion(secretId, token).isPresent()) {
            return "AWSPENDING value already stored";
        }
        DatabaseSecret current = readCurrent(secretId);
        DatabaseEngine engine = engineFor(current);
        checkFitsStrategy(current, engine);
        String username = settings.strategy() == Strategy.ALTERNATING_USERS
                ? otherUser(current.username(), engine)
                : current.username();
        DatabaseSecret pending = current.withCredentials(username, newPassword(engine));
        String json = pending.toJson();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > DatabaseSecret.MAX_VALUE_BYTES) {
            throw new InvalidSecretException("the new value would have " + bytes + " bytes, more than the "
                    + DatabaseSecret.MAX_VALUE_BYTES + " Secrets Manager stores. Remove keys rotation does not need.");
        }
        store.putPending(secretId, token, json, rotationToken);
        return "AWSPENDING value stored for user " + username;
    }

    private String newPassword(DatabaseEngine engine) {
        PasswordRules rules = engine.passwordRules();
        PasswordPolicy policy = settings.passwordPolicy();
        if (policy.lengthCappedBy(rules)) {
            log.warn("PASSWORD_LENGTH is above what the engine accepts; using the engine's maximum",
                    "maxLength", rules.maxLength());
        }
        String password = rules.arrange(store.randomPassword(policy, rules));
        secrets.add(password);
        rules.violation(password).ifPresent(problem -> {
            throw new ConfigurationException("the generated password does not fit the engine: " + problem
                    + ". Loosen EXCLUDE_* so that the engine's rules can be met.");
        });
        return password;
    }

    // setSecret

    private String setSecret(String secretId, String token, SecretVersions versions) {
        DatabaseSecret pending = readPending(secretId, token);
        DatabaseSecret current = readCurrent(secretId);
        DatabaseEngine engine = engineFor(current);
        checkSameEngine(current, pending, engine);
        checkFitsStrategy(current, engine);
        engine.passwordRules().violation(pending.password()).ifPresent(problem -> {
            throw new InvalidSecretException("the AWSPENDING password cannot be set: " + problem
                    + ". Cancel this rotation (remove AWSPENDING from version " + token + ") and rotate again.");
        });
        Logins logins = new Logins(engine, settings, log, counters, secrets);
        switch (settings.strategy()) {
            case ALTERNATING_USERS:
                checkPendingUser(pending, otherUser(current.username(), engine), token);
                return setOtherUser(current, pending, engine, logins);
            case SINGLE_USER_OVERLAP:
                checkPendingUser(pending, current.username(), token);
                return setKeepingCurrent(secretId, current, pending, versions, engine, logins);
            default:
                checkPendingUser(pending, current.username(), token);
                return setSingleUser(secretId, current, pending, versions, engine, logins);
        }
    }

    private String setSingleUser(String secretId, DatabaseSecret current, DatabaseSecret pending,
            SecretVersions versions, DatabaseEngine engine, Logins logins) {
        String user = current.username();
        // AWSCURRENT first: in a rotation that is not recovering from a crash it is the one that works,
        // so the server sees no failed login that could count towards a lockout.
        Optional<Connection> asCurrent = logins.tryLogin(current, user, current.password(), CURRENT);
        if (asCurrent.isPresent()) {
            changeOwnPassword(asCurrent.get(), engine, user, current.password(), pending.password());
            return "password changed, logged in with AWSCURRENT";
        }
        return recover(secretId, current, pending, versions, engine, logins,
                loggedIn -> engine.changeOwnPassword(loggedIn.connection, user, loggedIn.oldPassword,
                        pending.password()));
    }

    private String setKeepingCurrent(String secretId, DatabaseSecret current, DatabaseSecret pending,
            SecretVersions versions, DatabaseEngine engine, Logins logins) {
        String user = current.username();
        Optional<Connection> asCurrent = logins.tryLogin(current, user, current.password(), CURRENT);
        if (asCurrent.isEmpty()) {
            log.warn("AWSCURRENT does not log in, so the old password cannot be kept; recovering as single-user "
                    + "rotation does");
            return recover(secretId, current, pending, versions, engine, logins,
                    loggedIn -> engine.changeOwnPassword(loggedIn.connection, user, loggedIn.oldPassword,
                            pending.password()));
        }
        try (Connection connection = asCurrent.get()) {
            String problem = engine.overlapProblem(connection, false, user);
            if (problem == null) {
                engine.changePasswordKeepingCurrent(connection, false, user, current.password(), pending.password());
                return "password changed; AWSCURRENT password kept valid";
            }
            if (current.masterArn().isPresent()) {
                String masterProblem = keepCurrentThroughMaster(current, pending, engine, logins, problem);
                if (masterProblem == null) {
                    return "password changed through the master secret; AWSCURRENT password kept valid";
                }
                problem += "; through the master secret: " + masterProblem;
            }
            return changeWithoutOverlap(connection, engine, user, current, pending, problem);
        } catch (SQLException e) {
            throw DatabaseException.of("changing the password of user " + user + " failed", e, secrets);
        }
    }

    /** OVERLAP_FALLBACK decides: refuse with the reason, or change the password as single-user does. */
    private String changeWithoutOverlap(Connection connection, DatabaseEngine engine, String user,
            DatabaseSecret current, DatabaseSecret pending, String problem) throws SQLException {
        if (settings.overlapFallback() == Settings.OverlapFallback.REFUSE) {
            throw new RotationStateException("the " + engine.name() + " server cannot keep the current password "
                    + "valid alongside a new one for user " + user + " (" + problem + "), so single-user-overlap "
                    + "cannot rotate it. Nothing was changed. See the README's single-user-overlap table for what "
                    + "each engine needs, set OVERLAP_FALLBACK to 'single-user', or use alternating-users, which "
                    + "also keeps the previous credentials working.");
        }
        log.warn("the server cannot keep two passwords for this account; changing the password as single-user "
                + "rotation does, because OVERLAP_FALLBACK is 'single-user'", "reason", problem);
        engine.changeOwnPassword(connection, user, current.password(), pending.password());
        return "password changed without overlap (server cannot hold two passwords)";
    }

    /**
     * For servers where only a privileged user may give an account two passwords (MariaDB asks for
     * CREATE USER, MySQL for APPLICATION_PASSWORD_ADMIN on one's own account): the master does it.
     *
     * @return null when done, otherwise why the master cannot either (nothing was changed)
     */
    private String keepCurrentThroughMaster(DatabaseSecret current, DatabaseSecret pending, DatabaseEngine engine,
            Logins logins, String userProblem) throws SQLException {
        String user = current.username();
        DatabaseSecret master = readMaster(current.masterArn().orElseThrow());
        try (Connection connection = logins.login(current, master.username(), master.password(), "master")) {
            String problem = engine.overlapProblem(connection, true, user);
            if (problem != null) {
                return problem;
            }
            log.info("the user cannot keep its own password; keeping it through the master secret",
                    "reason", userProblem);
            engine.changePasswordKeepingCurrent(connection, true, user, current.password(), pending.password());
            return null;
        }
    }

    /** Used when AWSCURRENT no longer logs in: a retry after a crash, or a password changed by hand. */
    private String recover(String secretId, DatabaseSecret current, DatabaseSecret pending, SecretVersions versions,
            DatabaseEngine engine, Logins logins, PasswordChange change) {
        String user = current.username();
        Optional<Connection> asPending = logins.tryLogin(pending, user, pending.password(), PENDING);
        if (asPending.isPresent()) {
            close(asPending.get());
            return "AWSPENDING password already set";
        }
        Optional<DatabaseSecret> previous = readPrevious(secretId, versions, user);
        if (previous.isPresent()) {
            DatabaseSecret old = previous.get();
            Optional<Connection> asPrevious = logins.tryLogin(old, user, old.password(), PREVIOUS);
            if (asPrevious.isPresent()) {
                try (Connection connection = asPrevious.get()) {
                    change.apply(new LoggedIn(connection, previous.get().password()));
                } catch (SQLException e) {
                    throw DatabaseException.of("changing the password of user " + user + " failed", e, secrets);
                }
                return "password changed, logged in with AWSPREVIOUS";
            }
        }
        if (current.masterArn().isPresent()) {
            DatabaseSecret master = readMaster(current.masterArn().get());
            try (Connection connection = logins.login(current, master.username(), master.password(), "master")) {
                engine.setPassword(connection, user, pending.password());
            } catch (SQLException e) {
                throw DatabaseException.of("setting the password of user " + user + " through the master failed", e,
                        secrets);
            }
            log.warn("reconciled: none of AWSCURRENT, AWSPENDING and AWSPREVIOUS logged in, so the password was "
                    + "set through the master secret", "user", user);
            return "password reconciled through the master secret";
        }
        throw new RotationStateException("none of the AWSCURRENT, AWSPENDING and AWSPREVIOUS passwords logs in as "
                + "user " + user + ". Set the user's password to the AWSCURRENT value by hand, or add a 'masterarn' "
                + "key naming a secret that can reset it, then rotate again.");
    }

    private String setOtherUser(DatabaseSecret current, DatabaseSecret pending, DatabaseEngine engine,
            Logins logins) {
        DatabaseSecret master = readMaster(current.masterArn().orElseThrow());
        try (Connection connection = logins.login(current, master.username(), master.password(), "master")) {
            engine.createOrSyncUser(connection, current.username(), pending.username(), pending.password());
        } catch (SQLException e) {
            throw DatabaseException.of("creating or updating user " + pending.username() + " from "
                    + current.username() + " failed. Check that the master user may create users and grant the "
                    + "current user's privileges", e, secrets);
        }
        return "user " + pending.username() + " has the AWSPENDING password and " + current.username()
                + "'s privileges";
    }

    private void changeOwnPassword(Connection connection, DatabaseEngine engine, String user, String oldPassword,
            String newPassword) {
        try (connection) {
            engine.changeOwnPassword(connection, user, oldPassword, newPassword);
        } catch (SQLException e) {
            throw DatabaseException.of("changing the password of user " + user + " failed", e, secrets);
        }
    }

    // testSecret

    private String testSecret(String secretId, String token) {
        DatabaseSecret pending = readPending(secretId, token);
        DatabaseEngine engine = engineFor(pending);
        Logins logins = new Logins(engine, settings, log, counters, secrets);
        try (Connection connection = logins.login(pending, pending.username(), pending.password(), PENDING)) {
            engine.testConnection(connection);
        } catch (SQLException e) {
            throw DatabaseException.of("the test query as " + pending.username() + " failed", e, secrets);
        }
        return "AWSPENDING credentials log in";
    }

    // finishSecret

    private String finishSecret(String secretId, String token, SecretVersions versions) {
        String currentVersion = versions.versionWith(CURRENT).orElseThrow(() -> new RotationStateException(
                "no version of the secret is labelled AWSCURRENT. Label the version applications use AWSCURRENT."));
        store.moveCurrent(secretId, token, currentVersion);
        log.info("AWSCURRENT moved", "fromVersion", currentVersion, "toVersion", token);
        return "AWSCURRENT moved to version " + token;
    }

    // reading the secret

    private DatabaseSecret readCurrent(String secretId) {
        return remember(DatabaseSecret.parse(store.valueOfStage(secretId, CURRENT)), CURRENT);
    }

    private DatabaseSecret readPending(String secretId, String token) {
        String value = store.valueOfVersion(secretId, token).orElseThrow(() -> new RotationStateException(
                "version " + token + " has no value yet, so createSecret has not completed. Secrets Manager "
                        + "reruns the rotation from createSecret; if it does not, rotate again."));
        return remember(DatabaseSecret.parse(value), PENDING);
    }

    private Optional<DatabaseSecret> readPrevious(String secretId, SecretVersions versions, String user) {
        Optional<String> version = versions.versionWith(PREVIOUS);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> value = store.valueOfVersion(secretId, version.get());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            DatabaseSecret previous = remember(DatabaseSecret.parse(value.get()), PREVIOUS);
            return Optional.of(previous).filter(p -> p.username().equals(user));
        } catch (InvalidSecretException e) {
            log.warn("AWSPREVIOUS is not a usable database secret; skipping it", "reason", e.detail());
            return Optional.empty();
        }
    }

    private DatabaseSecret readMaster(String masterArn) {
        try {
            return remember(DatabaseSecret.parse(store.valueOfStage(masterArn, CURRENT)), "master");
        } catch (InvalidSecretException e) {
            throw new InvalidSecretException("the master secret " + masterArn + " named by 'masterarn' is not "
                    + "usable: " + e.detail());
        }
    }

    private DatabaseSecret remember(DatabaseSecret secret, String label) {
        secrets.add(secret.password());
        log.debug("read secret version", "label", label, "user", secret.username());
        return secret;
    }

    // checks

    private DatabaseEngine engineFor(DatabaseSecret secret) {
        DatabaseEngine engine = engines.stream().filter(e -> e.serves(secret)).findFirst()
                .orElseThrow(() -> new InvalidSecretException("the secret's engine is '" + secret.engine()
                        + "', which this function does not rotate; it rotates " + engines.get(0).servedEngines()
                        + ". Deploy the function for that engine, or correct the secret's 'engine' key."));
        engineName = engine.name();
        checkUserName(secret.username(), engine);
        return engine;
    }

    private void checkFitsStrategy(DatabaseSecret current, DatabaseEngine engine) {
        if (settings.strategy() != Strategy.ALTERNATING_USERS) {
            return;
        }
        if (current.masterArn().isEmpty()) {
            throw new InvalidSecretException("alternating-users rotation needs the key 'masterarn', naming the "
                    + "secret of a user that can create users and grant privileges. Add it, or set "
                    + "ROTATION_STRATEGY to single-user.");
        }
        checkUserName(otherUser(current.username(), engine), engine);
    }

    private static void checkSameEngine(DatabaseSecret current, DatabaseSecret pending, DatabaseEngine engine) {
        if (!engine.serves(pending) || !current.host().equals(pending.host())) {
            throw new InvalidSecretException("the AWSPENDING version names another engine or host than AWSCURRENT. "
                    + "Cancel this rotation (remove AWSPENDING from its version) and rotate again.");
        }
    }

    private static void checkPendingUser(DatabaseSecret pending, String expected, String token) {
        if (!pending.username().equals(expected)) {
            throw new InvalidSecretException("the AWSPENDING version is for user " + pending.username()
                    + ", but this strategy expects " + expected + ". ROTATION_STRATEGY may have changed during the "
                    + "rotation: remove AWSPENDING from version " + token + " and rotate again.");
        }
    }

    private static void checkUserName(String username, DatabaseEngine engine) {
        if (username.chars().anyMatch(c -> QUOTING_CHARACTERS.indexOf(c) >= 0)) {
            throw new InvalidSecretException("user name " + username + " contains a quote or a backslash, which "
                    + "this function refuses to put into a statement. Rotate a user whose name has none.");
        }
        if (username.length() > engine.maxUserNameLength()) {
            throw new InvalidSecretException("user name " + username + " has " + username.length()
                    + " characters; " + engine.name() + " accepts at most " + engine.maxUserNameLength()
                    + ". Use a shorter user name.");
        }
        String problem = engine.userNameProblem(username);
        if (problem != null) {
            throw new InvalidSecretException("user name " + username + " cannot be rotated: " + problem + ".");
        }
    }

    /** {@code name} becomes {@code name_clone}, and {@code name_clone} becomes {@code name}. */
    static String otherUser(String username, DatabaseEngine engine) {
        String suffix = engine.cloneSuffix();
        if (username.endsWith(suffix) && username.length() > suffix.length()) {
            return username.substring(0, username.length() - suffix.length());
        }
        return username + suffix;
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // the login was the proof; a failed close changes nothing
        }
    }

    /** A connection together with the password it logged in with. */
    static final class LoggedIn {
        final Connection connection;
        final String oldPassword;

        LoggedIn(Connection connection, String oldPassword) {
            this.connection = connection;
            this.oldPassword = oldPassword;
        }
    }

    @FunctionalInterface
    interface PasswordChange {
        void apply(LoggedIn loggedIn) throws SQLException;
    }
}
