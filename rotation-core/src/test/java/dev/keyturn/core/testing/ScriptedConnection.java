package dev.keyturn.core.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stand-in for a JDBC connection, for engines whose server cannot run on the build machine
 * (SQL Server, Oracle). It answers the catalog queries a test scripts, in order of registration, and
 * records every statement the engine executes, so that a test can pin the exact SQL text and its
 * quoting. It proves what the engine sends, never what the server does with it; the Docker-based tests
 * cover that. Anything it was not scripted for fails loudly.
 */
public final class ScriptedConnection {
    private final List<Answer> answers = new ArrayList<>();
    private final List<String> executed = new ArrayList<>();
    private final List<String> queries = new ArrayList<>();
    private final List<Boolean> escapeProcessing = new ArrayList<>();
    private SQLException failure;
    private String failOnFragment;
    private String catalog = "appdb";

    /** One scripted answer: a query whose text contains {@code fragment}, bound to {@code parameters}. */
    private record Answer(String fragment, List<Object> parameters, List<Map<String, Object>> rows) {
        boolean matches(String sql, List<Object> bound) {
            return sql.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT))
                    && (parameters == null || parameters.equals(bound));
        }
    }

    /** A result row; give column names and values alternately. */
    public static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** Answers any query containing {@code fragment}, whatever it binds. */
    public ScriptedConnection answer(String fragment, List<Map<String, Object>> rows) {
        answers.add(new Answer(fragment, null, rows));
        return this;
    }

    /** Answers a query containing {@code fragment} that binds exactly {@code parameters}. */
    public ScriptedConnection answer(String fragment, List<Object> parameters, List<Map<String, Object>> rows) {
        answers.add(new Answer(fragment, List.copyOf(parameters), rows));
        return this;
    }

    /** The name Connection.getCatalog() reports: the current database. */
    public ScriptedConnection inDatabase(String name) {
        this.catalog = name;
        return this;
    }

    /** Makes the first executed statement containing {@code fragment} fail with {@code error}. */
    public ScriptedConnection failOn(String fragment, SQLException error) {
        this.failOnFragment = fragment;
        this.failure = error;
        return this;
    }

    /** The statements executed (not queried), in order. */
    public List<String> executed() {
        return List.copyOf(executed);
    }

    /** The queries run, in order, with their bound values after a {@code |}. */
    public List<String> queries() {
        return List.copyOf(queries);
    }

    /** For each executed statement, whether JDBC escape processing was still on when it ran. */
    public List<Boolean> escapeProcessing() {
        return List.copyOf(escapeProcessing);
    }

    public Connection connection() {
        return proxy(Connection.class, (self, method, args) -> {
            switch (method.getName()) {
                case "createStatement":
                    return statement(null);
                case "prepareStatement":
                    return statement((String) args[0]);
                case "close":
                case "setAutoCommit":
                case "commit":
                case "rollback":
                    return null;
                case "isClosed":
                    return false;
                case "getAutoCommit":
                    return true;
                case "getCatalog":
                    return catalog;
                default:
                    return objectMethod(self, method, args, "Connection");
            }
        });
    }

    private Object statement(String preparedSql) {
        List<Object> bound = new ArrayList<>();
        boolean[] escapes = {true};
        Class<?> type = preparedSql == null ? Statement.class : PreparedStatement.class;
        return proxy(type, (self, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length == 2 && args[0] instanceof Integer) {
                int index = (Integer) args[0];
                while (bound.size() < index) {
                    bound.add(null);
                }
                bound.set(index - 1, args[1]);
                return null;
            }
            switch (name) {
                case "setEscapeProcessing":
                    escapes[0] = (Boolean) args[0];
                    return null;
                case "executeQuery":
                    return query(preparedSql == null ? (String) args[0] : preparedSql, bound);
                case "execute":
                case "executeUpdate":
                    return execute(preparedSql == null ? (String) args[0] : preparedSql, escapes[0],
                            name.equals("execute"));
                case "close":
                    return null;
                default:
                    return objectMethod(self, method, args, type.getSimpleName());
            }
        });
    }

    private Object execute(String sql, boolean escapes, boolean returnsBoolean) throws SQLException {
        if (failure != null && sql.contains(failOnFragment)) {
            SQLException error = failure;
            failure = null;
            throw error;
        }
        executed.add(sql);
        escapeProcessing.add(escapes);
        return returnsBoolean ? (Object) Boolean.FALSE : (Object) 0;
    }

    private ResultSet query(String sql, List<Object> bound) throws SQLException {
        queries.add(sql + " | " + bound);
        for (Answer answer : answers) {
            if (answer.matches(sql, bound)) {
                return resultSet(answer.rows());
            }
        }
        throw new SQLException("ScriptedConnection has no answer for: " + sql + " with " + bound);
    }

    private static ResultSet resultSet(List<Map<String, Object>> rows) {
        int[] position = {-1};
        Object[] last = {null};
        return proxy(ResultSet.class, (self, method, args) -> {
            String name = method.getName();
            if (name.equals("next")) {
                position[0]++;
                return position[0] < rows.size();
            }
            if (name.equals("close")) {
                return null;
            }
            if (name.equals("wasNull")) {
                return last[0] == null;
            }
            if (name.startsWith("get") && args != null && args.length == 1) {
                last[0] = column(rows.get(position[0]), args[0]);
                return convert(last[0], method.getReturnType());
            }
            return objectMethod(self, method, args, "ResultSet");
        });
    }

    private static Object column(Map<String, Object> row, Object key) throws SQLException {
        if (key instanceof Integer) {
            return new ArrayList<>(row.values()).get((Integer) key - 1);
        }
        Map<String, Object> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(row);
        if (!caseless.containsKey((String) key)) {
            throw new SQLException("ScriptedConnection row has no column " + key + ": " + row.keySet());
        }
        return caseless.get((String) key);
    }

    private static Object convert(Object value, Class<?> type) {
        if (type == int.class) {
            return value == null ? 0 : ((Number) value).intValue();
        }
        if (type == long.class) {
            return value == null ? 0L : ((Number) value).longValue();
        }
        if (type == boolean.class) {
            return value != null && (value instanceof Boolean ? (Boolean) value : ((Number) value).intValue() != 0);
        }
        if (type == String.class) {
            return value == null ? null : value.toString();
        }
        return value;
    }

    private static Object objectMethod(Object self, Method method, Object[] args, String what) {
        switch (method.getName()) {
            case "toString":
                return "Scripted" + what;
            case "hashCode":
                return System.identityHashCode(self);
            case "equals":
                return self == args[0];
            case "isWrapperFor":
                return false;
            default:
                throw new UnsupportedOperationException("ScriptedConnection does not script " + what + "."
                        + method.getName() + Arrays.toString(method.getParameterTypes()));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(ScriptedConnection.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
