package dev.keyturn.sqlserver;

import static dev.keyturn.sqlserver.Tsql.identifier;
import static dev.keyturn.sqlserver.Tsql.unicodeLiteral;

import dev.keyturn.core.RotationStateException;
import dev.keyturn.sqlserver.Catalog.DatabaseUser;
import dev.keyturn.sqlserver.Catalog.Login;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the other user of an alternating pair a copy of the original: the login (or contained user)
 * with the new password, and the original's server roles, server permissions, database user, database
 * roles and database permissions in the connection's current database. Runs on every rotation, so it
 * also takes away what the original no longer has.
 *
 * <p>Everything about the original is read before anything changes, so a permission that cannot be
 * copied stops the rotation with the other user untouched.
 */
final class CloneSync {
    /** The user every database maps its owner to; a second login cannot map to it as well. */
    static final String DATABASE_OWNER = "dbo";

    private final Connection connection;
    private final Catalog catalog;
    private final Ddl statements;

    CloneSync(Connection connection) {
        this.connection = connection;
        this.catalog = new Catalog(connection);
        this.statements = new Ddl(connection);
    }

    void copy(String source, String target, String password) throws SQLException {
        Optional<Login> login = catalog.login(source);
        if (login.isPresent()) {
            copyLogin(login.get(), target, password);
            return;
        }
        Optional<DatabaseUser> contained = catalog.containedUser(source);
        if (contained.isPresent()) {
            copyContainedUser(contained.get(), target, password);
            return;
        }
        throw new RotationStateException("SQL Server has no SQL login named " + source + ", and database "
                + currentDatabase() + " has no contained user of that name. Check the secret's username and dbname.");
    }

    private void copyLogin(Login source, String target, String password) throws SQLException {
        Set<String> serverRoles = catalog.serverRoles(source.name());
        List<Permission> serverPermissions = catalog.serverPermissions(source.name());
        Optional<DatabaseUser> sourceUser = catalog.userOfLogin(source.name());
        if (sourceUser.isPresent() && sourceUser.get().name().equals(DATABASE_OWNER)) {
            throw new RotationStateException("login " + source.name() + " owns database " + currentDatabase()
                    + " and so maps to its dbo user, which no second login can share. Make another login the "
                    + "owner and add " + source.name() + " to db_owner instead, or use single-user rotation.");
        }
        DatabaseGrants databaseGrants = sourceUser.isPresent() ? readGrants(sourceUser.get()) : null;

        statements.run(catalog.login(target).isPresent() ? alterLoginPassword(target, password)
                : createLogin(source, target, password));

        statements.run(membershipStatements("ALTER SERVER ROLE ", serverRoles, catalog.serverRoles(target),
                identifier(target)));

        statements.run(Permission.statementsToMatch(serverPermissions, catalog.serverPermissions(target),
                identifier(target)));

        if (databaseGrants != null) {
            DatabaseUser targetUser = ensureUserForLogin(target, sourceUser.get().defaultSchema());
            copyDatabaseGrants(databaseGrants, targetUser.name());
        }
    }

    private void copyContainedUser(DatabaseUser source, String target, String password) throws SQLException {
        DatabaseGrants grants = readGrants(source);

        statements.run(catalog.containedUser(target).isPresent()
                ? "ALTER USER " + identifier(target) + " WITH PASSWORD = " + unicodeLiteral(password)
                : "CREATE USER " + identifier(target) + " WITH PASSWORD = " + unicodeLiteral(password)
                        + defaultSchemaOption(", ", source.defaultSchema()));

        copyDatabaseGrants(grants, target);
    }

    /** The original's database roles and permissions, read before anything changes. */
    private record DatabaseGrants(Set<String> roles, List<Permission> permissions) {
    }

    private DatabaseGrants readGrants(DatabaseUser user) throws SQLException {
        return new DatabaseGrants(catalog.databaseRoles(user.name()), catalog.databasePermissions(user.name()));
    }

    private void copyDatabaseGrants(DatabaseGrants grants, String targetUser) throws SQLException {
        statements.run(membershipStatements("ALTER ROLE ", grants.roles(), catalog.databaseRoles(targetUser),
                identifier(targetUser)));
        statements.run(Permission.statementsToMatch(grants.permissions(), catalog.databasePermissions(targetUser),
                identifier(targetUser)));
    }

    static String createLogin(Login source, String target, String password) {
        return "CREATE LOGIN " + identifier(target) + " WITH PASSWORD = " + unicodeLiteral(password)
                + ", DEFAULT_DATABASE = " + identifier(source.defaultDatabase())
                + (source.defaultLanguage() == null ? ""
                        : ", DEFAULT_LANGUAGE = " + identifier(source.defaultLanguage()))
                + ", CHECK_EXPIRATION = " + onOff(source.expirationChecked())
                + ", CHECK_POLICY = " + onOff(source.policyChecked());
    }

    static String alterLoginPassword(String login, String password) {
        return "ALTER LOGIN " + identifier(login) + " WITH PASSWORD = " + unicodeLiteral(password);
    }

    /**
     * The database user for the other login: found by security identifier, or an existing user of that
     * name re-attached to the login (a database restored from elsewhere leaves users orphaned), or a new
     * one. Its default schema follows the original's.
     */
    private DatabaseUser ensureUserForLogin(String login, String defaultSchema) throws SQLException {
        Optional<DatabaseUser> mapped = catalog.userOfLogin(login);
        if (mapped.isPresent()) {
            if (defaultSchema != null && !Objects.equals(defaultSchema, mapped.get().defaultSchema())) {
                statements.run("ALTER USER " + identifier(mapped.get().name()) + defaultSchemaOption(" WITH ",
                        defaultSchema));
            }
            return mapped.get();
        }
        if (catalog.databasePrincipalExists(login)) {
            statements.run("ALTER USER " + identifier(login) + " WITH LOGIN = " + identifier(login)
                    + defaultSchemaOption(", ", defaultSchema));
        } else {
            statements.run("CREATE USER " + identifier(login) + " FOR LOGIN " + identifier(login)
                    + defaultSchemaOption(" WITH ", defaultSchema));
        }
        return new DatabaseUser(login, defaultSchema);
    }

    private static String defaultSchemaOption(String lead, String schema) {
        return schema == null ? "" : lead + "DEFAULT_SCHEMA = " + identifier(schema);
    }

    /** ADD MEMBER for the roles the original has, DROP MEMBER for the ones only the copy has. */
    static List<String> membershipStatements(String alterRole, Set<String> wanted, Set<String> held, String member) {
        List<String> result = new ArrayList<>();
        for (String role : held) {
            if (!wanted.contains(role)) {
                result.add(alterRole + identifier(role) + " DROP MEMBER " + member);
            }
        }
        for (String role : wanted) {
            if (!held.contains(role)) {
                result.add(alterRole + identifier(role) + " ADD MEMBER " + member);
            }
        }
        return result;
    }

    private static String onOff(boolean on) {
        return on ? "ON" : "OFF";
    }

    private String currentDatabase() throws SQLException {
        return connection.getCatalog();
    }
}
