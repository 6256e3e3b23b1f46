package dev.keyturn.it.packaging;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/** A test server on which the packaging tests create a throw-away account for a function to rotate. */
enum TestDatabase {
    POSTGRES(TestServices.POSTGRES_PORT, Optional.of("postgres")) {
        @Override
        Connection admin() throws SQLException {
            return TestServices.get().postgresAdmin();
        }

        @Override
        Connection login(String user, String password) throws SQLException {
            return TestServices.get().postgres(user, password);
        }

        @Override
        void create(Statement admin, Account account) throws SQLException {
            // the server logs every statement, and other tests search that log for leaked passwords
            admin.execute("SET log_statement = 'none'");
            admin.execute("CREATE ROLE " + account.user() + " LOGIN PASSWORD '" + account.password() + "'");
        }

        @Override
        void drop(Statement admin, String user) throws SQLException {
            admin.execute("DROP ROLE IF EXISTS " + user);
        }

        @Override
        boolean wrongPassword(SQLException failure) {
            return INVALID_PASSWORD.equals(failure.getSQLState());
        }
    },

    MARIADB(TestServices.MARIADB_PORT, Optional.empty()) {
        @Override
        Connection admin() throws SQLException {
            return TestServices.get().mariadbAdmin();
        }

        @Override
        Connection login(String user, String password) throws SQLException {
            return TestServices.get().mariadb(user, password);
        }

        @Override
        void create(Statement admin, Account account) throws SQLException {
            admin.execute("CREATE USER '" + account.user() + "'@'%' IDENTIFIED BY '" + account.password()
                    + "'");
        }

        @Override
        void drop(Statement admin, String user) throws SQLException {
            admin.execute("DROP USER IF EXISTS '" + user + "'@'%'");
        }

        @Override
        boolean wrongPassword(SQLException failure) {
            return failure.getErrorCode() == ACCESS_DENIED;
        }
    };

    /** PostgreSQL's SQLState for a password that does not match. */
    private static final String INVALID_PASSWORD = "28P01";
    /** MariaDB's ER_ACCESS_DENIED_ERROR: unknown user or wrong password. */
    private static final int ACCESS_DENIED = 1045;
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    /** A database account; the names and passwords are hex, so they need no quoting. */
    record Account(String user, String password) {
    }

    final int port;
    final Optional<String> dbname;

    TestDatabase(int port, Optional<String> dbname) {
        this.port = port;
        this.dbname = dbname;
    }

    abstract Connection admin() throws SQLException;

    abstract Connection login(String user, String password) throws SQLException;

    abstract void create(Statement admin, Account account) throws SQLException;

    abstract void drop(Statement admin, String user) throws SQLException;

    abstract boolean wrongPassword(SQLException failure);

    Account createAccount() throws SQLException {
        Account account = new Account("keyturn_pkg_" + hex(8), hex(24));
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            create(statement, account);
        }
        return account;
    }

    void dropAccount(Account account) throws SQLException {
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            drop(statement, account.user());
        }
    }

    /** Whether the server accepts the password; any failure other than a refused password is thrown. */
    boolean accepts(String user, String password) throws SQLException {
        try (Connection connection = login(user, password)) {
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            if (wrongPassword(e)) {
                return false;
            }
            throw e;
        }
    }

    private static String hex(int length) {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, length);
    }
}
