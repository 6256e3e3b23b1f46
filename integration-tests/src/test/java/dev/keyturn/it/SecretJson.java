package dev.keyturn.it;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/** Builds a secret value; the JSON writer escapes whatever a hostile test puts into it. */
public final class SecretJson {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Sets a string, number or boolean key; null removes the key. */
    public SecretJson put(String key, Object value) {
        if (value == null) {
            fields.remove(key);
        } else {
            fields.put(key, value);
        }
        return this;
    }

    public String json() {
        JsonWriter writer = JsonWriter.create();
        writer.writeStartObject();
        fields.forEach((key, value) -> {
            writer.writeFieldName(key);
            if (value instanceof Boolean) {
                writer.writeValue((Boolean) value);
            } else if (value instanceof Integer) {
                writer.writeValue((Integer) value);
            } else {
                writer.writeValue(String.valueOf(value));
            }
        });
        writer.writeEndObject();
        return new String(writer.getBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SecretJson" + fields.keySet();
    }
}
