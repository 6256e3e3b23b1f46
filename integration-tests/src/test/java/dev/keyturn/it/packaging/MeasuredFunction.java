package dev.keyturn.it.packaging;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A {@link LambdaFunction} whose start, readiness, answers, loaded classes and memory are recorded
 * for the benchmark. Times are {@link System#nanoTime()} values of this JVM; the function's JVM logs
 * each class it loads with the same clock (the {@code tn} decorator is CLOCK_MONOTONIC on Linux, as
 * nanoTime is), so a class count can be taken at any moment this JVM saw, after the fact.
 */
final class MeasuredFunction implements AutoCloseable {
    /**
     * What Lambda's own java21 bootstrap adds to every function's command line, beyond the heap
     * size LambdaFunction sets: the serial collector (a function has one or two vCPUs), IPv4, and
     * the property that routes org.crac registrations to the runtime's checkpoint hooks.
     */
    static final String LAMBDA_RUNTIME_OPTIONS = "-XX:+UseSerialGC -Xshare:auto -Djava.net.preferIPv4Stack=true";
    /** Without it org.crac finds no implementation and never calls a Resource: no priming. */
    static final String RUNTIME_HOOKS_OPTION = "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_NANOS = Duration.ofMillis(1).toNanos();
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private final LambdaFunction function;
    private final long startedNanos;
    private final ProcessHandle process;
    private final Path classLog;

    private MeasuredFunction(LambdaFunction function, long startedNanos, ProcessHandle process, Path classLog) {
        this.function = function;
        this.startedNanos = startedNanos;
        this.process = process;
        this.classLog = classLog;
    }

    /**
     * Starts the artifact with the template's JAVA_TOOL_OPTIONS plus Lambda's runtime options.
     *
     * @param runtimeHooks whether org.crac resources run, as they do under SnapStart
     */
    static MeasuredFunction start(LambdaArtifact artifact, Map<String, String> settings, Path workDirectory,
            boolean runtimeHooks) throws IOException {
        Files.createDirectories(workDirectory);
        Path classLog = workDirectory.resolve("classes.log");
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("JAVA_TOOL_OPTIONS", javaToolOptions(classLog, runtimeHooks));
        Set<Long> before = childPids();
        LambdaFunction function = LambdaFunction.start(artifact, environment, workDirectory);
        long started = System.nanoTime();
        return new MeasuredFunction(function, started, newChild(before), classLog);
    }

    private static String javaToolOptions(Path classLog, boolean runtimeHooks) {
        return Repository.template().defaultEnvironment().get("JAVA_TOOL_OPTIONS")
                + " " + LAMBDA_RUNTIME_OPTIONS
                + (runtimeHooks ? " " + RUNTIME_HOOKS_OPTION : "")
                + " -Xlog:class+load=info:file=" + classLog + ":tn";
    }

    long startedNanos() {
        return startedNanos;
    }

    /**
     * Waits until initialisation (and, with runtime hooks, the checkpoint hooks) has finished: the
     * moment the runtime asks to be restored, which it does just before it waits for the first event.
     */
    long awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (function.restores() == 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the function did not finish initialising; its output:\n" + output());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return System.nanoTime();
    }

    /** Runs the four steps of one rotation; returns the moment each answer arrived. */
    long[] rotate(String secretArn, String token) {
        long[] answered = new long[STEPS.size()];
        for (int i = 0; i < STEPS.size(); i++) {
            LocalRuntimeApi.Result result = function.invoke(STEPS.get(i), secretArn, token);
            answered[i] = System.nanoTime();
            if (result.failed()) {
                throw new IllegalStateException(STEPS.get(i) + " failed: " + result.body());
            }
        }
        return answered;
    }

    /** The classes the function's JVM had loaded by the given moment, counted from its log. */
    int classesLoadedBy(long nanos) throws IOException {
        return ClassLoadLog.read(classLog).loadedBy(nanos);
    }

    /**
     * Writes, next to the class log, which classes each phase loaded (initialisation, the first step,
     * the other three), for finding out what a cold start spends its time on.
     */
    void writeClassesByPhase(long ready, long[] answered) throws IOException {
        ClassLoadLog log = ClassLoadLog.read(classLog);
        StringBuilder out = new StringBuilder();
        appendPhase(out, "init", log.loadedBetween(0, ready));
        appendPhase(out, "first-step", log.loadedBetween(ready, answered[0]));
        appendPhase(out, "other-steps", log.loadedBetween(answered[0], answered[answered.length - 1]));
        Files.writeString(classLog.resolveSibling("classes-by-phase.txt"), out);
    }

    private static void appendPhase(StringBuilder out, String phase, List<ClassLoadLog.LoadedClass> classes) {
        classes.forEach(loaded -> out.append(phase).append(' ').append(loaded.name()).append(' ')
                .append(loaded.source().replaceAll(".*/", "")).append('\n'));
    }

    /** The function's peak resident set (VmHWM), in kB. */
    long peakResidentKilobytes() throws IOException {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(status + " has no VmHWM line"));
    }

    String output() {
        try {
            return function.output();
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        function.close();
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The runtime's JVM: the child started since {@code before} whose command runs the runtime client. */
    private static ProcessHandle newChild(Set<Long> before) {
        return ProcessHandle.current().children()
                .filter(child -> !before.contains(child.pid()))
                .filter(child -> child.info().commandLine().orElse("").contains(AWSLambda.class.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the function's process was not found"));
    }
}
