package dev.keyturn.it.packaging;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The repository's template.yaml, read so that the tests run each artifact exactly as the template
 * deploys it: the same handler string, the same code location, the same environment. CloudFormation's
 * short-form functions ({@code !Ref}, {@code !Sub}, ...) are read as their long form
 * ({@code {"Ref": ...}}, {@code {"Fn::Sub": ...}}).
 */
final class SamTemplate {
    static final String FUNCTION_TYPE = "AWS::Serverless::Function";

    private final Map<String, Object> document;

    private SamTemplate(Map<String, Object> document) {
        this.document = document;
    }

    static SamTemplate read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> document = new Yaml(new CloudFormationFunctions()).load(reader);
            return new SamTemplate(document);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** A function's own properties, without what Globals adds. */
    Map<String, Object> functionProperties(String logicalId) {
        Map<String, Object> resource = resource(logicalId);
        if (!FUNCTION_TYPE.equals(resource.get("Type"))) {
            throw new IllegalStateException(logicalId + " in template.yaml is not an " + FUNCTION_TYPE);
        }
        return map(resource, "Properties");
    }

    String handler(String logicalId) {
        return (String) functionProperties(logicalId).get("Handler");
    }

    String codeUri(String logicalId) {
        return (String) functionProperties(logicalId).get("CodeUri");
    }

    /** The logical ids of all resources of the given type, in template order. */
    List<String> resourcesOfType(String type) {
        return resources().entrySet().stream()
                .filter(entry -> type.equals(asMap(entry.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalStateException("template.yaml has no resource " + logicalId);
        }
        return asMap(resource);
    }

    /** Globals.Function: the properties every function gets. */
    Map<String, Object> functionGlobals() {
        return map(map(document, "Globals"), "Function");
    }

    /** The environment every function gets, with each parameter reference replaced by its default. */
    Map<String, String> defaultEnvironment() {
        Map<String, Object> variables = map(map(functionGlobals(), "Environment"), "Variables");
        Map<String, String> environment = new LinkedHashMap<>();
        variables.forEach((name, value) -> environment.put(name, withParameterDefaults(value)));
        return environment;
    }

    /** A plain value as it is; a {@code !Ref} to a parameter as that parameter's default. */
    String withParameterDefaults(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        Map<String, Object> function = asMap(value);
        if (function.size() == 1 && function.containsKey("Ref")) {
            Map<String, Object> parameter = map(map(document, "Parameters"), (String) function.get("Ref"));
            return String.valueOf(parameter.get("Default"));
        }
        throw new IllegalStateException("template.yaml value " + value + " is neither plain nor a parameter");
    }

    private Map<String, Object> resources() {
        return map(document, "Resources");
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            throw new IllegalStateException("template.yaml has no '" + key + "' where the tests expect it");
        }
        return asMap(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException("expected a mapping in template.yaml, found " + value);
        }
        return (Map<String, Object>) value;
    }

    /** Reads {@code !Name value} as {@code {"Fn::Name": value}}, and {@code !Ref x} as {@code {"Ref": x}}. */
    private static final class CloudFormationFunctions extends SafeConstructor {
        CloudFormationFunctions() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new ShortForm());
        }

        private final class ShortForm extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String name = node.getTag().getValue().substring(1);
                String key = "Ref".equals(name) || "Condition".equals(name) ? name : "Fn::" + name;
                return Map.of(key, value(node));
            }

            private Object value(Node node) {
                if (node instanceof ScalarNode) {
                    return constructScalar((ScalarNode) node);
                }
                if (node instanceof SequenceNode) {
                    return constructSequence((SequenceNode) node);
                }
                return constructMapping((MappingNode) node);
            }
        }
    }
}
