package dev.keyturn.it.packaging;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import dev.keyturn.core.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** The benchmark's results as markdown: the machine, cold starts, warm rotations and their cost. */
final class BenchmarkReport {
    private static final double NANOS_PER_MILLI = 1e6;
    private static final String NOT_MEASURED = "Not measured here: the time Lambda takes to restore a SnapStart "
            + "snapshot (runtime hooks on shows what priming moves out of the first steps, not the restore); "
            + "arm64, which template.yaml deploys (this machine is x86_64); Lambda's java21 runtime with its own "
            + "class-data archive (this JVM is the one named above); Lambda's CPU share at 256 MB; network "
            + "latency to Secrets Manager and to a database in a VPC (both run on this machine).\n";

    private final List<RotationBenchmark.Result> results;
    private final int warmRotations;
    private final int coldStarts;
    private final String loadAtStart;

    BenchmarkReport(List<RotationBenchmark.Result> results, int warmRotations, int coldStarts, String loadAtStart) {
        this.results = results;
        this.warmRotations = warmRotations;
        this.coldStarts = coldStarts;
        this.loadAtStart = loadAtStart;
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Keyturn benchmark\n\n").append(setup()).append('\n');
        out.append("## Cold start (median of ").append(coldStarts).append(" fresh processes per row)\n\n");
        out.append(coldStartTable()).append('\n');
        out.append("## Warm rotations (").append(warmRotations).append(" in one process) and the cost of each\n\n");
        out.append(warmTable()).append('\n');
        out.append("Secrets Manager calls / database logins per step (single-user, first rotation):\n\n");
        results.stream().filter(result -> result.singleUser() != null).forEach(result -> out.append("- ")
                .append(result.subject().name()).append(": ").append(result.singleUser().callsPerStep()).append('\n'));
        out.append('\n').append(notes()).append('\n').append(NOT_MEASURED);
        return out.toString();
    }

    private String setup() {
        SamTemplate template = Repository.template();
        return String.join("\n",
                "- " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; " + cpuModel() + ", "
                        + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.arch")
                        + "; load average " + loadAtStart + " at the start, " + loadAverage() + " at the end",
                "- function JVM: " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version") + " in aws-lambda-java-runtime-interface-client "
                        + AWSLambda.class.getPackage().getImplementationVersion() + ", -Xmx"
                        + template.functionGlobals().get("MemorySize") + "m (MemorySize)",
                "- JAVA_TOOL_OPTIONS: template.yaml's `" + template.defaultEnvironment().get("JAVA_TOOL_OPTIONS")
                        + "`, Lambda's bootstrap's `" + MeasuredFunction.LAMBDA_RUNTIME_OPTIONS
                        + "`; runtime hooks on: `" + MeasuredFunction.RUNTIME_HOOKS_OPTION + "`, as Lambda sets it",
                "- Secrets Manager: moto_server at " + MotoServer.endpoint() + "; databases: scripts/test-services "
                        + "(PostgreSQL 15, MariaDB 10.11) on this machine, verified TLS",
                "");
    }

    private String coldStartTable() {
        StringBuilder table = new StringBuilder("| function | runtime hooks (priming) | init ms | first step ms "
                + "| start → 1st step answered ms | start → 4th step answered ms | first rotation ms "
                + "| classes at end of init | classes by 1st answer | classes by 4th answer |\n"
                + "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (RotationBenchmark.Result result : results) {
            for (boolean hooks : List.of(true, false)) {
                List<RotationBenchmark.ColdRun> runs = result.coldRuns().stream()
                        .filter(run -> run.runtimeHooks() == hooks).collect(Collectors.toList());
                if (!runs.isEmpty()) {
                    table.append(coldRow(result.subject().name(), hooks, runs));
                }
            }
        }
        return table.toString();
    }

    private static String coldRow(String name, boolean hooks, List<RotationBenchmark.ColdRun> runs) {
        return "| " + name + " | " + (hooks ? "on" : "off")
                + " | " + millis(median(runs, RotationBenchmark.ColdRun::initNanos))
                + " | " + millis(median(runs, RotationBenchmark.ColdRun::firstStepNanos))
                + " | " + millis(median(runs, RotationBenchmark.ColdRun::toFirstAnswerNanos))
                + " | " + millis(median(runs, RotationBenchmark.ColdRun::toFourthAnswerNanos))
                + " | " + millis(median(runs, RotationBenchmark.ColdRun::firstRotationNanos))
                + " | " + median(runs, RotationBenchmark.ColdRun::classesAtReady)
                + " | " + median(runs, RotationBenchmark.ColdRun::classesAtFirstAnswer)
                + " | " + median(runs, RotationBenchmark.ColdRun::classesAtFourthAnswer) + " |\n";
    }

    private String warmTable() {
        StringBuilder table = new StringBuilder("| function | artifact MB | warm rotation p50 ms | p95 ms "
                + "| single-user: SM calls | logins | failed logins | alternating-users: SM calls | logins "
                + "| failed logins | peak RSS MB |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (RotationBenchmark.Result result : results) {
            if (result.problem() != null && result.singleUser() == null) {
                table.append("| ").append(result.subject().name())
                        .append(" | ").append(megabytes(result.artifactBytes()))
                        .append(" | – | – | – | – | – | – | – | – | – |\n");
                continue;
            }
            List<Long> sorted = result.warmRotationNanos().stream().sorted().collect(Collectors.toList());
            table.append("| ").append(result.subject().name())
                    .append(" | ").append(megabytes(result.artifactBytes()))
                    .append(" | ").append(millis(percentile(sorted, 0.50)))
                    .append(" | ").append(millis(percentile(sorted, 0.95)))
                    .append(counts(result.singleUser()))
                    .append(counts(result.alternating()))
                    .append(" | ").append(Math.round(result.peakResidentKilobytes() / 1024.0)).append(" |\n");
        }
        return table.toString();
    }

    private static String counts(RotationCounts counts) {
        if (counts == null) {
            return " | – | – | –";
        }
        return " | " + counts.secretsManagerCalls() + " | " + counts.databaseLogins() + " | " + counts.failedLogins();
    }

    private String notes() {
        StringBuilder notes = new StringBuilder();
        for (RotationBenchmark.Result result : results) {
            if (!result.subject().note().isEmpty()) {
                notes.append("- ").append(result.subject().name()).append(": ").append(result.subject().note())
                        .append(".\n");
            }
            if (result.problem() != null) {
                notes.append("- ").append(result.subject().name()).append(" not fully measured: ")
                        .append(result.problem().lines().findFirst().orElse("")).append('\n');
            }
        }
        return notes.toString();
    }

    private static <T> long median(List<T> runs, ToLongFunction<T> value) {
        return percentile(runs.stream().map(run -> value.applyAsLong(run)).sorted().collect(Collectors.toList()),
                0.50);
    }

    /** Nearest rank: the smallest value with at least {@code fraction} of the values at or below it. */
    private static long percentile(List<Long> sorted, double fraction) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(fraction * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String millis(long nanos) {
        return String.valueOf(Math.round(nanos / NANOS_PER_MILLI));
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_000_000.0);
    }

    /** The 1-, 5- and 15-minute load averages: other work on the machine slows every figure. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
