package dev.keyturn.sqlserver;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Runs statements that change logins, users and permissions, one at a time, in order. */
final class Ddl {
    private final Connection connection;

    Ddl(Connection connection) {
        this.connection = connection;
    }

    void run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // The text is final T-SQL. This driver ignores the switch and still rewrites a statement that
            // starts with {call and a {limit n} outside quoted literals; neither can occur here, and a
            // password only ever appears inside an N'' literal.
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        }
    }

    void run(List<String> sqls) throws SQLException {
        for (String sql : sqls) {
            run(sql);
        }
    }
}
