package dev.keyturn.it.packaging;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The CloudWatch embedded-metric line the function writes at the end of each step, read back from
 * its output: what CloudWatch would turn into the Keyturn metrics.
 */
record StepMetricLine(String step, int secretsManagerCalls, int databaseLogins, int failedLogins,
        long durationMillis) {

    /** Every metric line in the output, in the order the steps ran. */
    static List<StepMetricLine> allIn(String output) {
        return Arrays.stream(output.split("\n"))
                .filter(line -> line.contains("\"CloudWatchMetrics\""))
                .map(line -> line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1))
                .map(StepMetricLine::parse)
                .collect(Collectors.toList());
    }

    private static StepMetricLine parse(String json) {
        Map<String, JsonNode> fields = JsonNode.parser().parse(json).asObject();
        return new StepMetricLine(fields.get("Step").asString(), integer(fields, "SecretsManagerCalls"),
                integer(fields, "DatabaseLogins"), integer(fields, "FailedLogins"),
                Long.parseLong(fields.get("StepDuration").asNumber()));
    }

    private static int integer(Map<String, JsonNode> fields, String name) {
        return Integer.parseInt(fields.get(name).asNumber());
    }
}
