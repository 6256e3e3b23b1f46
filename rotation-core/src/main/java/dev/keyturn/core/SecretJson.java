package dev.keyturn.core;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Reads and writes secret values with the JSON support the SDK already carries, so that no mapping
 * library has to start up. Keys keep their order, and values the function does not understand are
 * written back exactly as they were read.
 */
final class SecretJson {
    private static final JsonNodeParser PARSER = JsonNode.parser();

    private SecretJson() {
    }

    /**
     * Parses a JSON object. Parser messages quote the input, which may hold a password, so a failure
     * reports only that the text is not a JSON object.
     */
    static Map<String, Object> parseObject(String text) {
        JsonNode node;
        try {
            node = PARSER.parse(text);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new InvalidSecretException("the secret value is not valid JSON. Store it as a JSON object "
                    + "with the keys engine, host, username and password.");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidSecretException("the secret value is JSON but not an object. Store it as a JSON "
                    + "object with the keys engine, host, username and password.");
        }
        return new LinkedHashMap<>(node.asObject());
    }

    /** Writes an object whose values are either parsed {@link JsonNode}s or plain strings. */
    static String write(Map<String, ?> fields) {
        JsonWriter writer = JsonWriter.create();
        writeObject(writer, fields);
        return new String(writer.getBytes(), StandardCharsets.UTF_8);
    }

    private static void writeObject(JsonWriter writer, Map<String, ?> fields) {
        writer.writeStartObject();
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            writer.writeFieldName(field.getKey());
            writeNode(writer, field.getValue());
        }
        writer.writeEndObject();
    }

    private static void writeArray(JsonWriter writer, List<JsonNode> items) {
        writer.writeStartArray();
        items.forEach(item -> writeNode(writer, item));
        writer.writeEndArray();
    }

    private static void writeNode(JsonWriter writer, Object value) {
        if (value instanceof String) {
            writer.writeValue((String) value);
            return;
        }
        JsonNode node = (JsonNode) value;
        if (node.isObject()) {
            writeObject(writer, node.asObject());
        } else if (node.isArray()) {
            writeArray(writer, node.asArray());
        } else if (node.isString()) {
            writer.writeValue(node.asString());
        } else if (node.isNumber()) {
            // the original digits, so that 5432 stays 5432 and 1.50 stays 1.50
            writer.writeNumber(node.asNumber());
        } else if (node.isBoolean()) {
            writer.writeValue(node.asBoolean());
        } else {
            writer.writeNull();
        }
    }
}
