package dev.keyturn.core;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * One CloudWatch Embedded Metric Format line per step: CloudWatch turns it into metrics from the
 * log itself, so recording them costs no API call and no time in the function.
 */
final class StepMetrics {
    static final String NAMESPACE = "Keyturn";

    private StepMetrics() {
    }

    static String line(String engine, RotationStep step, boolean failed, long durationMillis, StepCounters counters) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("_aws").writeStartObject();
        json.writeFieldName("Timestamp").writeValue(System.currentTimeMillis());
        json.writeFieldName("CloudWatchMetrics").writeStartArray().writeStartObject();
        json.writeFieldName("Namespace").writeValue(NAMESPACE);
        json.writeFieldName("Dimensions").writeStartArray()
                .writeStartArray().writeValue("Engine").writeValue("Step").writeEndArray()
                .writeEndArray();
        json.writeFieldName("Metrics").writeStartArray();
        metric(json, "StepDuration", "Milliseconds");
        metric(json, "StepFailed", "Count");
        metric(json, "DatabaseLogins", "Count");
        metric(json, "FailedLogins", "Count");
        metric(json, "SecretsManagerCalls", "Count");
        json.writeEndArray();
        json.writeEndObject().writeEndArray();
        json.writeEndObject();
        json.writeFieldName("Engine").writeValue(engine);
        json.writeFieldName("Step").writeValue(step.wireName());
        json.writeFieldName("StepDuration").writeValue(durationMillis);
        json.writeFieldName("StepFailed").writeValue(failed ? 1 : 0);
        json.writeFieldName("DatabaseLogins").writeValue(counters.logins());
        json.writeFieldName("FailedLogins").writeValue(counters.failedLogins());
        json.writeFieldName("SecretsManagerCalls").writeValue(counters.secretsManagerCalls());
        json.writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    private static void metric(JsonWriter json, String name, String unit) {
        json.writeStartObject();
        json.writeFieldName("Name").writeValue(name);
        json.writeFieldName("Unit").writeValue(unit);
        json.writeEndObject();
    }
}
