package dev.keyturn.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement whose values (user names, host names, passwords) travel as bound parameters. Both
 * drivers run it as a client-side prepared statement, which escapes each value into a string
 * literal for the server's current quoting rules, so no character in a value can change the
 * statement. Its {@link #toString()} shows the SQL text only, never the values.
 */
record BoundStatement(String sql, List<String> values) {

    BoundStatement {
        values = List.copyOf(values);
    }

    static BoundStatement of(String sql, String... values) {
        return new BoundStatement(sql, List.of(values));
    }

    void execute(Connection connection) throws SQLException {
        try (PreparedStatement statement = prepare(connection)) {
            statement.execute();
        }
    }

    /** Runs a query and returns its rows, each as the string values of its columns. */
    List<List<String>> rows(Connection connection) throws SQLException {
        try (PreparedStatement statement = prepare(connection); ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (result.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int column = 1; column <= columns; column++) {
                    row.add(result.getString(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** Runs a query and returns its first column. */
    List<String> column(Connection connection) throws SQLException {
        return rows(connection).stream().map(row -> row.get(0)).toList();
    }

    private PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < values.size(); i++) {
            statement.setString(i + 1, values.get(i));
        }
        return statement;
    }

    @Override
    public String toString() {
        return "BoundStatement[" + sql + ", " + values.size() + " values]";
    }
}
