package dev.keyturn.oracle;

import static dev.keyturn.oracle.OracleSql.identifier;
import static dev.keyturn.oracle.OracleSql.password;

import dev.keyturn.core.RotationStateException;
import dev.keyturn.oracle.Dictionary.User;
import java.sql.SQLException;
import java.util.List;

/**
 * Makes the other user of an alternating pair a copy of the original: created with the original's
 * default tablespace, temporary tablespace and profile, given the new password, and holding exactly
 * the roles, system privileges and object privileges granted to the original. Runs on every rotation,
 * so it also takes away what the original no longer has. The original's grants are read before
 * anything changes.
 */
final class CloneSync {
    /** Every user has this profile unless given another; naming it is not needed. */
    static final String DEFAULT_PROFILE = "DEFAULT";

    private final Dictionary dictionary;
    private final Ddl ddl;

    CloneSync(Dictionary dictionary, Ddl ddl) {
        this.dictionary = dictionary;
        this.ddl = ddl;
    }

    void copy(String sourceSecretName, String targetSecretName, String newPassword) throws SQLException {
        String sourceName = dictionary.storedName(sourceSecretName);
        User source = dictionary.user(sourceName).orElseThrow(() -> new RotationStateException("Oracle has no "
                + "user " + sourceName + " (the secret's username " + sourceSecretName + ", as Oracle reads it). "
                + "Check the secret's username and service name."));
        List<Grant> wanted = dictionary.grants(source.name());
        String target = dictionary.storedName(targetSecretName);

        boolean exists = dictionary.user(target).isPresent();
        ddl.run(exists ? alterPassword(target, newPassword) : createUser(source, target, newPassword));

        ddl.run(Grant.statementsToMatch(wanted, dictionary.grants(target), identifier(target)));
    }

    static String createUser(User source, String target, String newPassword) {
        return "CREATE USER " + identifier(target) + " IDENTIFIED BY " + password(newPassword)
                + clause(" DEFAULT TABLESPACE ", source.defaultTablespace())
                + clause(" TEMPORARY TABLESPACE ", source.temporaryTablespace())
                + (DEFAULT_PROFILE.equals(source.profile()) ? "" : clause(" PROFILE ", source.profile()));
    }

    static String alterPassword(String user, String newPassword) {
        return "ALTER USER " + identifier(user) + " IDENTIFIED BY " + password(newPassword);
    }

    private static String clause(String keyword, String name) {
        return name == null ? "" : keyword + identifier(name);
    }
}
