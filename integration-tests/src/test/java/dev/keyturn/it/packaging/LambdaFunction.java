package dev.keyturn.it.packaging;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * One deployable artifact running as Lambda's managed Java runtime runs it: a separate JVM with only
 * the runtime interface client on its class path, started in a task root that holds the artifact,
 * with the Handler string and environment from template.yaml, SnapStart's initialisation type, and
 * credentials from a container credentials endpoint. The function serves invocations until it is
 * closed, like a warm Lambda container.
 *
 * <p>Lambda unpacks a jar into the task root; here the jar sits in the task root's {@code lib/},
 * which the runtime loads the same way, through its own class loader for the function's code.
 * Unpacking thousands of files per test would only make the tests slow.
 */
final class LambdaFunction implements AutoCloseable {
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "123456789012";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** One class of each jar on Lambda's own runtime class path (/var/runtime/lib). */
    private static final List<Class<?>> RUNTIME_JAR_CLASSES =
            List.of(AWSLambda.class, PojoSerializer.class, Context.class, SdkInternalThreadLocal.class);

    private final Process process;
    private final LocalRuntimeApi runtimeApi;
    private final Path output;

    private LambdaFunction(Process process, LocalRuntimeApi runtimeApi, Path output) {
        this.process = process;
        this.runtimeApi = runtimeApi;
        this.output = output;
    }

    /**
     * Starts the function that template.yaml deploys from this artifact.
     *
     * @param settings environment variables to set on top of the template's defaults
     * @param workDirectory an empty directory for the task root and the function's output
     */
    static LambdaFunction start(LambdaArtifact artifact, Map<String, String> settings, Path workDirectory)
            throws IOException {
        SamTemplate template = Repository.template();
        Path jar = artifact.jar(template);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build the artifacts with ./mvnw package");
        }
        Path taskRoot = taskRootHolding(jar, workDirectory.resolve("task"));
        Path output = workDirectory.resolve("function-output.log");
        Duration timeout = Duration.ofSeconds(intProperty(template, "Timeout"));
        String aliasArn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName(artifact)
                + ":live";
        LocalRuntimeApi runtimeApi = LocalRuntimeApi.start(aliasArn, timeout);

        ProcessBuilder builder = new ProcessBuilder(command(template, template.handler(artifact.functionId)))
                .directory(taskRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(template, artifact, taskRoot, runtimeApi, settings));
        Process process = builder.start();
        process.onExit().thenRun(() -> runtimeApi.abandon("the function's JVM exited with code "
                + process.exitValue() + "; its output:\n" + tail(output)));
        return new LambdaFunction(process, runtimeApi, output);
    }

    /** Invokes the function with a Secrets Manager rotation event, as Secrets Manager does. */
    LocalRuntimeApi.Result invoke(String step, String secretArn, String token) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("Step").writeValue(step);
        json.writeFieldName("SecretId").writeValue(secretArn);
        json.writeFieldName("ClientRequestToken").writeValue(token);
        json.writeEndObject();
        return runtimeApi.invoke(new String(json.getBytes(), StandardCharsets.UTF_8));
    }

    int restores() {
        return runtimeApi.restores();
    }

    int credentialRequests() {
        return runtimeApi.credentialRequests();
    }

    /** Everything the function wrote: its log lines, as CloudWatch Logs would receive them. */
    String output() throws IOException {
        return Files.readString(output);
    }

    /** Stops the function's JVM; its output is complete afterwards. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            runtimeApi.close();
        }
    }

    private static List<String> command(SamTemplate template, String handler) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the heap can never be larger than the memory the function is given
        command.add("-Xmx" + intProperty(template, "MemorySize") + "m");
        // as Lambda's bootstrap does: the runtime then runs the jar's SnapStart priming before its first event
        command.add(MeasuredFunction.RUNTIME_HOOKS_OPTION);
        command.add("-cp");
        command.add(runtimeClassPath());
        command.add(AWSLambda.class.getName());
        command.add(handler);
        return command;
    }

    private static Map<String, String> environment(SamTemplate template, LambdaArtifact artifact,
            Path taskRoot, LocalRuntimeApi runtimeApi, Map<String, String> settings) {
        Map<String, Object> logging = SamTemplate.map(template.functionGlobals(), "LoggingConfig");
        Map<String, String> env = new LinkedHashMap<>(template.defaultEnvironment());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
        env.put("_HANDLER", template.handler(artifact.functionId));
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + template.functionGlobals().get("Runtime"));
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName(artifact));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(intProperty(template, "MemorySize")));
        env.put("AWS_LAMBDA_LOG_FORMAT", String.valueOf(logging.get("LogFormat")));
        env.put("AWS_LAMBDA_LOG_LEVEL", template.withParameterDefaults(logging.get("ApplicationLogLevel")));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", runtimeApi.credentialsUri());
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", runtimeApi.credentialsToken());
        // Lambda has no AWS configuration files; this machine's must not leak in
        env.put("AWS_CONFIG_FILE", taskRoot.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", taskRoot.resolve("no-aws-credentials").toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.putAll(settings);
        return env;
    }

    private static String functionName(LambdaArtifact artifact) {
        return "keyturn-" + artifact.functionId;
    }

    private static int intProperty(SamTemplate template, String name) {
        return Integer.parseInt(String.valueOf(template.functionGlobals().get(name)));
    }

    private static String runtimeClassPath() {
        return RUNTIME_JAR_CLASSES.stream()
                .map(LambdaFunction::jarOf)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + type.getName(), e);
        }
    }

    private static Path taskRootHolding(Path jar, Path taskRoot) throws IOException {
        Path lib = Files.createDirectories(taskRoot.resolve("lib"));
        Files.copy(jar, lib.resolve(jar.getFileName()));
        return taskRoot;
    }

    private static String tail(Path output) {
        try (Stream<String> lines = Files.lines(output)) {
            List<String> all = lines.collect(Collectors.toList());
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
