package dev.keyturn.core;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Structured log lines for one step of one rotation. Every line carries the same context (secret,
 * step, token, request id), so one rotation can be followed through CloudWatch Logs with a single
 * filter. The fields match Lambda's JSON log format: {@code timestamp}, {@code level},
 * {@code message}.
 *
 * <p>Callers pass only names, labels, counts and durations. Nothing here accepts a secret value.
 */
public final class RotationLog {
    private final LogSink sink;
    private final Map<String, Object> context;

    private RotationLog(LogSink sink, Map<String, Object> context) {
        this.sink = sink;
        this.context = context;
    }

    public static RotationLog to(LogSink sink) {
        return new RotationLog(sink, Map.of());
    }

    /** A log whose every line also carries {@code key}. */
    public RotationLog with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(context);
        more.put(key, value);
        return new RotationLog(sink, more);
    }

    public void debug(String message, Object... keyValues) {
        write(LogLevel.DEBUG, message, keyValues);
    }

    public void info(String message, Object... keyValues) {
        write(LogLevel.INFO, message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write(LogLevel.WARN, message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        write(LogLevel.ERROR, message, keyValues);
    }

    /** Writes a line exactly as given; used for metric lines, which have their own shape. */
    void raw(String jsonLine) {
        sink.write(LogLevel.UNDEFINED, jsonLine);
    }

    private void write(LogLevel level, String message, Object[] keyValues) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("timestamp").writeValue(Instant.now().toString());
        json.writeFieldName("level").writeValue(level.name());
        json.writeFieldName("message").writeValue(message);
        context.forEach((key, value) -> writeField(json, key, value));
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            writeField(json, String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        json.writeEndObject();
        sink.write(level, new String(json.getBytes(), StandardCharsets.UTF_8));
    }

    static void writeField(JsonWriter json, String key, Object value) {
        json.writeFieldName(key);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Long || value instanceof Integer) {
            json.writeValue(((Number) value).longValue());
        } else if (value instanceof Boolean) {
            json.writeValue((Boolean) value);
        } else {
            json.writeValue(String.valueOf(value));
        }
    }
}
