package dev.keyturn.oracle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Runs statements that change users and grants, one at a time, in order. */
final class Ddl {
    private final Connection connection;

    Ddl(Connection connection) {
        this.connection = connection;
    }

    void run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // the text is final Oracle SQL: a password may hold "{", which JDBC escape parsing would read
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
