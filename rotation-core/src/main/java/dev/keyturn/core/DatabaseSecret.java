package dev.keyturn.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * One version of a database secret: the keys client libraries read ({@code engine}, {@code host},
 * {@code port}, {@code username}, {@code password}, {@code dbname}), the keys rotation reads
 * ({@code masterarn}, {@code ssl}), and every other key, kept as it was.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class DatabaseSecret {
    /** Secrets Manager stores at most this many bytes in a secret value. */
    static final int MAX_VALUE_BYTES = 65_536;
    /** Longer than any engine's user name or password; anything above is a mistake, not a credential. */
    static final int MAX_CREDENTIAL_LENGTH = 1024;

    static final String ENGINE = "engine";
    static final String HOST = "host";
    static final String PORT = "port";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String DBNAME = "dbname";
    static final String MASTER_ARN = "masterarn";
    static final String SSL = "ssl";

    private final Map<String, Object> fields;
    private final String engine;
    private final String host;
    private final Integer port;
    private final String username;
    private final String password;

    private DatabaseSecret(Map<String, Object> fields, String engine, String host, Integer port, String username,
            String password) {
        this.fields = fields;
        this.engine = engine;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /**
     * Parses and validates a secret value. Every missing or malformed key is named in one message,
     * and no value is ever quoted in it.
     */
    public static DatabaseSecret parse(String value) {
        if (value == null) {
            throw new InvalidSecretException("the version has no SecretString. Store the credentials as a JSON "
                    + "object in SecretString, not in SecretBinary.");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new InvalidSecretException("the secret value has " + bytes + " bytes, more than the "
                    + MAX_VALUE_BYTES + " Secrets Manager stores. Remove the keys rotation does not need.");
        }
        Map<String, Object> fields = SecretJson.parseObject(value);
        List<String> problems = new ArrayList<>();
        String engine = requiredString(fields, ENGINE, problems);
        String host = requiredString(fields, HOST, problems);
        String username = requiredString(fields, USERNAME, problems);
        String password = requiredString(fields, PASSWORD, problems);
        Integer port = port(fields, problems);
        optionalString(fields, DBNAME, problems);
        optionalString(fields, MASTER_ARN, problems);
        ssl(fields, problems);
        checkCredential(USERNAME, username, problems);
        checkCredential(PASSWORD, password, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSecretException("the secret value is not a usable database secret: "
                    + String.join("; ", problems) + ". Correct the secret value and rotate again.");
        }
        return new DatabaseSecret(fields, engine, host, port, username, password);
    }

    private static String requiredString(Map<String, Object> fields, String key, List<String> problems) {
        JsonNode node = (JsonNode) fields.get(key);
        if (node == null || node.isNull()) {
            problems.add("key '" + key + "' is missing");
            return null;
        }
        if (!node.isString()) {
            problems.add("key '" + key + "' must be a string");
            return null;
        }
        if (node.asString().isBlank()) {
            problems.add("key '" + key + "' is empty");
            return null;
        }
        return node.asString();
    }

    private static void optionalString(Map<String, Object> fields, String key, List<String> problems) {
        JsonNode node = (JsonNode) fields.get(key);
        if (node != null && !node.isNull() && !node.isString()) {
            problems.add("key '" + key + "' must be a string");
        }
    }

    private static Integer port(Map<String, Object> fields, List<String> problems) {
        JsonNode node = (JsonNode) fields.get(PORT);
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isNumber() ? node.asNumber() : node.isString() ? node.asString().trim() : null;
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the other problems
        }
        problems.add("key 'port' must be a whole number from 1 to 65535");
        return null;
    }

    private static void ssl(Map<String, Object> fields, List<String> problems) {
        JsonNode node = (JsonNode) fields.get(SSL);
        if (node == null || node.isNull() || node.isBoolean()) {
            return;
        }
        String text = node.isString() ? node.asString() : "";
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return;
        }
        problems.add("key 'ssl' must be true or false");
    }

    private static void checkCredential(String key, String value, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_CREDENTIAL_LENGTH) {
            problems.add("key '" + key + "' is longer than " + MAX_CREDENTIAL_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            problems.add("key '" + key + "' contains a control character");
        }
    }

    /** A copy with other credentials and every other key unchanged. */
    public DatabaseSecret withCredentials(String newUsername, String newPassword) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(USERNAME, newUsername);
        copy.put(PASSWORD, newPassword);
        return new DatabaseSecret(copy, engine, host, port, newUsername, newPassword);
    }

    /** The JSON to store, with keys in their original order. */
    public String toJson() {
        return SecretJson.write(fields);
    }

    public String engine() {
        return engine;
    }

    public String host() {
        return host;
    }

    public OptionalInt port() {
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    public String username() {
        return username;
    }

    /** The password. Never log it, and never put it in an exception message. */
    public String password() {
        return password;
    }

    public Optional<String> dbname() {
        return stringField(DBNAME);
    }

    public Optional<String> masterArn() {
        return stringField(MASTER_ARN);
    }

    /** The {@code ssl} key: empty when absent, so that {@code TLS_DEFAULT} decides. */
    public Optional<Boolean> ssl() {
        Object node = fields.get(SSL);
        if (!(node instanceof JsonNode) || ((JsonNode) node).isNull()) {
            return Optional.empty();
        }
        JsonNode json = (JsonNode) node;
        return Optional.of(json.isBoolean() ? json.asBoolean() : Boolean.parseBoolean(json.asString()));
    }

    /** Any other string-valued key, such as {@code dbClusterIdentifier}. */
    public Optional<String> stringField(String key) {
        Object value = fields.get(key);
        if (value instanceof String) {
            return Optional.of((String) value);
        }
        if (value instanceof JsonNode && ((JsonNode) value).isString()) {
            return Optional.of(((JsonNode) value).asString()).filter(s -> !s.isBlank());
        }
        return Optional.empty();
    }

    /** The names of all keys, for diagnostics; values are never exposed this way. */
    public List<String> keys() {
        return Collections.unmodifiableList(new ArrayList<>(fields.keySet()));
    }

    @Override
    public String toString() {
        return "DatabaseSecret[engine=" + engine + ", host=" + host + ", port=" + port + ", username=" + username
                + ", password=****, keys=" + fields.keySet() + "]";
    }
}
