package dev.keyturn.mysql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A test double at the JDBC boundary, for the statement forms only MySQL accepts: no MySQL server
 * runs on this machine, and MariaDB rejects those forms. It answers the queries it was scripted
 * with and records every statement run, with its bound values, in order. {@link MySqlContainersTest}
 * runs the same forms against real MySQL servers where Docker is available.
 */
final class RecordingConnection {
    private final Map<String, Function<List<String>, List<List<String>>>> answers = new HashMap<>();
    private final List<String> executed = new ArrayList<>();
    private final Map<String, Deque<SQLException>> failures = new HashMap<>();

    /** Answers {@code sql} with rows computed from its bound values. */
    RecordingConnection answer(String sql, Function<List<String>, List<List<String>>> rows) {
        answers.put(sql, rows);
        return this;
    }

    RecordingConnection answer(String sql, List<List<String>> rows) {
        return answer(sql, values -> rows);
    }

    /**
     * Makes the next run of {@code sql} fail with {@code failure}, as a server refuses a statement;
     * calls for the same statement queue up. The attempt is recorded with {@code -> error CODE}.
     */
    RecordingConnection failNext(String sql, SQLException failure) {
        failures.computeIfAbsent(sql, key -> new ArrayDeque<>()).add(failure);
        return this;
    }

    /** Every statement that changed something, as {@code sql} or {@code sql <- [values]}. */
    List<String> executed() {
        return List.copyOf(executed);
    }

    Connection connection() {
        return proxy(Connection.class, (proxy, method, args) -> {
            switch (method.getName()) {
                case "prepareStatement":
                    return preparedStatement((String) args[0]);
                case "createStatement":
                    return statement();
                case "close":
                    return null;
                case "isClosed":
                    return false;
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }

    private PreparedStatement preparedStatement(String sql) {
        List<String> values = new ArrayList<>();
        return proxy(PreparedStatement.class, (proxy, method, args) -> {
            switch (method.getName()) {
                case "setString":
                    int index = (Integer) args[0];
                    while (values.size() < index) {
                        values.add(null);
                    }
                    values.set(index - 1, (String) args[1]);
                    return null;
                case "executeQuery":
                    return resultSet(query(sql, values));
                case "execute":
                    SQLException failure = failures.getOrDefault(sql, new ArrayDeque<>()).poll();
                    if (failure != null) {
                        executed.add(sql + " <- " + values + " -> error " + failure.getErrorCode());
                        throw failure;
                    }
                    executed.add(sql + " <- " + values);
                    return false;
                case "close":
                    return null;
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }

    private Statement statement() {
        return proxy(Statement.class, (proxy, method, args) -> {
            switch (method.getName()) {
                case "setEscapeProcessing":
                case "close":
                    return null;
                case "execute":
                    executed.add((String) args[0]);
                    return false;
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }

    private List<List<String>> query(String sql, List<String> values) {
        Function<List<String>, List<List<String>>> answer = answers.get(sql);
        if (answer == null) {
            throw new AssertionError("unscripted query: " + sql + " <- " + values);
        }
        return answer.apply(values);
    }

    private static ResultSet resultSet(List<List<String>> rows) {
        int[] row = {-1};
        ResultSetMetaData metaData = proxy(ResultSetMetaData.class, (proxy, method, args) -> {
            if (method.getName().equals("getColumnCount")) {
                return rows.isEmpty() ? 1 : rows.get(0).size();
            }
            throw new UnsupportedOperationException(method.getName());
        });
        return proxy(ResultSet.class, (proxy, method, args) -> {
            switch (method.getName()) {
                case "next":
                    return ++row[0] < rows.size();
                case "getString":
                    return rows.get(row[0]).get((Integer) args[0] - 1);
                case "getMetaData":
                    return metaData;
                case "close":
                    return null;
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(RecordingConnection.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }
}
