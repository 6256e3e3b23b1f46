package dev.keyturn.it.fleet;

import dev.keyturn.core.testing.CapturingLogSink;
import java.util.List;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The CloudWatch Embedded Metric Format lines the function wrote, one per step, read back from the
 * captured log: what an operator's dashboard would show for the steps since {@link #mark}.
 */
public final class EmfMetrics {
    private final CapturingLogSink logs;
    private final int start;

    private EmfMetrics(CapturingLogSink logs) {
        this.logs = logs;
        this.start = logs.lines().size();
    }

    /** Counts the steps written from now on. */
    public static EmfMetrics mark(CapturingLogSink logs) {
        return new EmfMetrics(logs);
    }

    /** The sum of one metric (FailedLogins, DatabaseLogins, ...) over the metric lines since the mark. */
    public long sum(String metric) {
        return metricLines().stream()
                .mapToLong(line -> Long.parseLong(line.field(metric).orElseThrow().asNumber()))
                .sum();
    }

    /** How many steps wrote a metric line since the mark. */
    public int steps() {
        return metricLines().size();
    }

    private List<JsonNode> metricLines() {
        List<String> lines = logs.lines();
        return lines.subList(start, lines.size()).stream()
                .filter(line -> line.contains("\"_aws\""))
                .map(JsonNode.parser()::parse)
                .filter(line -> line.field("_aws").isPresent())
                .toList();
    }
}
