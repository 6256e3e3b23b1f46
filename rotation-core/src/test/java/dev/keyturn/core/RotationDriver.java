package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.MotoServer;
import dev.keyturn.core.testing.SecretsFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Invokes rotation steps as Secrets Manager does: the function's own {@link Rotator} (or a
 * {@link RotationHandler}) with the real SDK client against moto_server, and the
 * {@link InMemoryDatabaseEngine} at the JDBC boundary. It remembers every secret, log line and
 * exception of a test, so that {@link #assertNoPasswordLeaked()} can look through all of them.
 */
final class RotationDriver {
    static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");
    static final String HOST = "db.internal";
    /** Not the engine's default port, so that a test can tell which one was used. */
    static final int PORT = 15432;
    static final String APP_USER = "app";
    static final String APP_CLONE = "app_clone";
    static final String ADMIN_USER = "keyturn_admin";
    static final String APP_PRIVILEGE = "SELECT ON orders";
    private static final Pattern PASSWORD_KEY = Pattern.compile("\"password\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    final InMemoryDatabaseEngine database = new InMemoryDatabaseEngine();
    final CapturingLogSink log = new CapturingLogSink();
    final SecretsManagerCallLog calls = new SecretsManagerCallLog();
    final SecretsFixture secrets = new SecretsFixture(MotoServer.client());

    private final SecretsManagerClient functionClient = calls.client();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<Throwable> thrown = new ArrayList<>();
    private final Set<String> secretArns = new LinkedHashSet<>();
    private final Set<String> otherPasswords = new LinkedHashSet<>();
    private Rotator rotator;
    private boolean throughHandler;
    private int invocations;

    RotationDriver(Strategy strategy) {
        environment.put(Settings.STRATEGY, strategy.settingValue());
    }

    RotationDriver using(Strategy strategy) {
        return with(Settings.STRATEGY, strategy.settingValue());
    }

    /** Sets an environment variable of the function; the next step starts a new container. */
    RotationDriver with(String variable, String value) {
        environment.put(variable, value);
        rotator = null;
        return this;
    }

    /** Invokes the steps through a {@link RotationHandler} subclass, as Lambda does. */
    RotationDriver throughHandler() {
        throughHandler = true;
        return this;
    }

    Settings settings() {
        return Settings.from(environment);
    }

    // secrets and users

    static String newPassword(String label) {
        return label + "-" + UUID.randomUUID();
    }

    static String secretJson(String user, String password) {
        return "{\"engine\":\"" + InMemoryDatabaseEngine.ENGINE + "\",\"host\":\"" + HOST + "\",\"port\":" + PORT
                + ",\"username\":" + quoted(user) + ",\"password\":" + quoted(password) + ",\"dbname\":\"orders\"}";
    }

    /** The JSON object with one more key; {@code rawValue} is written as given. */
    static String withKey(String json, String key, String rawValue) {
        return json.substring(0, json.lastIndexOf('}')) + ",\"" + key + "\":" + rawValue + "}";
    }

    /** {@code text} as a JSON string, escaped, so that hostile names can be put into a secret. */
    static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    String createSecret(String value) {
        String arn = secrets.createSecret("keyturn-core", value);
        secretArns.add(arn);
        return arn;
    }

    /** The user {@value #APP_USER} with one privilege, and its secret. */
    String createAppSecret() {
        String password = newPassword("initial");
        database.addUser(APP_USER, password, APP_PRIVILEGE);
        return createSecret(secretJson(APP_USER, password));
    }

    String createMasterSecret() {
        String password = newPassword("master");
        database.addAdmin(ADMIN_USER, password);
        return createSecret(secretJson(ADMIN_USER, password));
    }

    /** The app user's secret with a {@code masterarn} naming a new master secret. */
    String createAppSecretWithMaster() {
        String masterArn = createMasterSecret();
        String password = newPassword("initial");
        database.addUser(APP_USER, password, APP_PRIVILEGE);
        return createSecret(withKey(secretJson(APP_USER, password), "masterarn", quoted(masterArn)));
    }

    /** A password that is in no secret but must not leak either, such as one set by hand. */
    String unrelatedPassword() {
        String password = newPassword("by-hand");
        otherPasswords.add(password);
        return password;
    }

    DatabaseSecret valueOfStage(String arn, String stage) {
        return DatabaseSecret.parse(secrets.valueOfStage(arn, stage));
    }

    DatabaseSecret valueOfVersion(String arn, String versionId) {
        return DatabaseSecret.parse(secrets.valueOfVersion(arn, versionId).orElseThrow());
    }

    // invoking the function

    /**
     * Starts a rotation as RotateSecret does. moto refuses RotateSecret while the AWSCURRENT version
     * still carries AWSPENDING (AWS accepts that state, which every finished rotation leaves), so the
     * label is taken off that version first.
     */
    String startRotation(String arn) {
        return secrets.startRotation(arn);
    }

    /** A whole rotation, the four steps in order, followed by the leak check; returns the token. */
    String rotate(String arn) {
        String token = startRotation(arn);
        steps(arn, token, STEPS.toArray(String[]::new));
        assertNoPasswordLeaked();
        return token;
    }

    void steps(String arn, String token, String... steps) {
        for (String step : steps) {
            step(step, arn, token);
        }
    }

    void step(String step, String arn, String token) {
        invoke(SecretsFixture.event(step, arn, token));
    }

    void invoke(SecretsManagerRotationEvent event) {
        String requestId = "request-" + ++invocations;
        try {
            if (throughHandler) {
                new InMemoryRotationHandler(functionClient, settings(), log, database)
                        .handleRequest(event, lambdaContext(requestId));
            } else {
                rotator().rotate(event, requestId);
            }
        } catch (RuntimeException | Error e) {
            thrown.add(e);
            throw e;
        }
    }

    /** Runs a step that must fail, and returns what it threw. */
    RotationException stepFails(String step, String arn, String token) {
        return invocationFails(SecretsFixture.event(step, arn, token));
    }

    RotationException invocationFails(SecretsManagerRotationEvent event) {
        Throwable failure = catchThrowable(() -> invoke(event));
        assertThat(failure).isInstanceOf(RotationException.class);
        return (RotationException) failure;
    }

    /** One rotator per "container", as Lambda keeps one handler instance per container. */
    private Rotator rotator() {
        if (rotator == null) {
            rotator = new Rotator(functionClient, settings(), log, List.of(database));
        }
        return rotator;
    }

    private static Context lambdaContext(String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> "getAwsRequestId".equals(method.getName()) ? requestId : null);
    }

    /** The way an engine module's handler is written, with the constructor tests use. */
    static final class InMemoryRotationHandler extends RotationHandler {
        InMemoryRotationHandler(SecretsManagerClient client, Settings settings, LogSink sink,
                InMemoryDatabaseEngine engine) {
            super(client, settings, sink, engine);
        }
    }

    // reading the log

    int logMark() {
        return log.lines().size();
    }

    List<JsonNode> linesSince(int mark) {
        List<String> lines = log.lines();
        return lines.subList(mark, lines.size()).stream().map(JsonNode.parser()::parse).toList();
    }

    List<JsonNode> lines() {
        return linesSince(0);
    }

    /** The lines at {@code level} whose message contains {@code text}. */
    List<JsonNode> lines(String level, String text) {
        return lines().stream()
                .filter(line -> line.field("level").map(JsonNode::asString).orElse("").equals(level))
                .filter(line -> line.field("message").map(JsonNode::asString).orElse("").contains(text))
                .toList();
    }

    List<JsonNode> metricLinesSince(int mark) {
        return linesSince(mark).stream().filter(line -> line.field("_aws").isPresent()).toList();
    }

    /** What the steps since {@code mark} reported in their EMF metric lines, summed. */
    StepTotals metricsSince(int mark) {
        List<JsonNode> metrics = metricLinesSince(mark);
        return new StepTotals(metrics.size(), sum(metrics, "DatabaseLogins"), sum(metrics, "FailedLogins"),
                sum(metrics, "SecretsManagerCalls"), sum(metrics, "StepFailed"));
    }

    private static long sum(List<JsonNode> lines, String metric) {
        return lines.stream().mapToLong(line -> Long.parseLong(line.field(metric).orElseThrow().asNumber())).sum();
    }

    /** The sums of the EMF metrics over some steps. */
    record StepTotals(int steps, long databaseLogins, long failedLogins, long secretsManagerCalls,
            long failedSteps) {
    }

    // nothing written

    /** What a refused input must leave as it was. */
    record Before(Map<String, List<String>> stages, InMemoryDatabaseEngine.State database, int callMark,
            int loginAttempts) {
    }

    Before before(String arn) {
        return new Before(secrets.stages(arn), database.snapshot(), calls.mark(), database.attempts().size());
    }

    /** The secret's versions and labels, the pending value and the database are as they were. */
    void assertNothingWritten(String arn, String token, Before before) {
        assertNothingChanged(arn, before);
        assertThat(secrets.valueOfVersion(arn, token)).as("value of the pending version").isEmpty();
    }

    /** No write to the secret, its labels as they were, no login and no change in the database. */
    void assertNothingChanged(String arn, Before before) {
        assertThat(calls.writesSince(before.callMark())).as("Secrets Manager writes").isEmpty();
        assertThat(secrets.stages(arn)).as("versions and labels").isEqualTo(before.stages());
        assertThat(database.snapshot()).as("database").isEqualTo(before.database());
        assertThat(database.attempts()).as("database logins").hasSize(before.loginAttempts());
    }

    // the leak check

    /**
     * No password of any version of any secret this test created, nor any password set by hand,
     * appears in a log line (as written or JSON-decoded) or in any exception the function threw,
     * causes and suppressed exceptions included.
     */
    void assertNoPasswordLeaked() {
        Set<String> passwords = passwordsToLookFor();
        List<String> lines = log.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String decoded = decodedText(line);
            int lineNumber = i;
            passwords.forEach(password -> assertThat(line.contains(password) || decoded.contains(password))
                    .withFailMessage("log line %d contains a password: %s", lineNumber, line)
                    .isFalse());
        }
        for (Throwable failure : thrown) {
            String text = fullText(failure);
            passwords.forEach(password -> assertThat(text.contains(password))
                    .withFailMessage("an exception contains a password: %s", text)
                    .isFalse());
        }
    }

    List<Throwable> thrown() {
        return List.copyOf(thrown);
    }

    Set<String> passwordsToLookFor() {
        Set<String> passwords = new LinkedHashSet<>(otherPasswords);
        for (String arn : secretArns) {
            secrets.allValues(arn).forEach(value -> passwords.addAll(passwordsIn(value)));
        }
        passwords.removeIf(String::isEmpty);
        return passwords;
    }

    /** The password of a secret value, read as JSON, or found by pattern when the value is not JSON. */
    static Set<String> passwordsIn(String value) {
        Set<String> found = new LinkedHashSet<>();
        try {
            JsonNode node = JsonNode.parser().parse(value);
            if (node != null && node.isObject()) {
                node.field("password").filter(JsonNode::isString).map(JsonNode::asString).ifPresent(found::add);
            }
        } catch (RuntimeException notJson) {
            // a deliberately broken secret; the pattern below still finds its password
        }
        Matcher matcher = PASSWORD_KEY.matcher(value);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String decodedText(String jsonLine) {
        StringBuilder text = new StringBuilder();
        appendStrings(JsonNode.parser().parse(jsonLine), text);
        return text.toString();
    }

    private static void appendStrings(JsonNode node, StringBuilder text) {
        if (node.isString()) {
            text.append(node.asString()).append('\n');
        } else if (node.isObject()) {
            node.asObject().values().forEach(child -> appendStrings(child, text));
        } else if (node.isArray()) {
            node.asArray().forEach(child -> appendStrings(child, text));
        }
    }

    /** What the runtime would print for the exception: messages, causes, suppressed exceptions. */
    static String fullText(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
