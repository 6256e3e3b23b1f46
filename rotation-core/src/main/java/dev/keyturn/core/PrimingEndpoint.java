package dev.keyturn.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A Secrets Manager endpoint held in memory, for {@link SnapStartPriming}: it answers, without any
 * socket, the calls one rotation makes for one placeholder secret, so that the SDK's request
 * marshalling, signing and response parsing (errors included) run before the snapshot. Its client
 * has placeholder credentials and is thrown away afterwards; nothing real is read or written.
 */
final class PrimingEndpoint implements SdkHttpClient {
    static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:keyturn-priming-AbCdEf";
    static final String MASTER_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:keyturn-priming-master";
    static final String TOKEN = "00000000-0000-4000-8000-000000000001";
    private static final String CURRENT_VERSION = "00000000-0000-4000-8000-000000000000";
    /** Letters and digits only, and short, so that every engine's password rules accept them. */
    private static final String PLACEHOLDER_PASSWORD = "Placeholder0Placeholder0";
    private static final String GENERATED_PASSWORD = "Generated0Generated0Gen0";
    private static final String TARGET_PREFIX = "secretsmanager.";
    private static final int BAD_REQUEST = 400;
    /** Epoch seconds, as the service writes timestamps. */
    private static final String PLACEHOLDER_DATE = "1700000000.123";

    private final int port;
    private final List<String> answered = new ArrayList<>();
    private String pendingValue;

    PrimingEndpoint(int port) {
        this.port = port;
    }

    /** A client that sends every request here; close it when done. */
    SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .httpClient(this)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("PRIMING", "PRIMING")))
                .build();
    }

    /** The Secrets Manager actions answered so far, in order. */
    List<String> answered() {
        return List.copyOf(answered);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return answer(request);
            }

            @Override
            public void abort() {
                // answered in memory: nothing in flight to abort
            }
        };
    }

    @Override
    public void close() {
        // holds no connection
    }

    private HttpExecuteResponse answer(HttpExecuteRequest request) {
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        String action = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
        answered.add(action);
        Map<String, JsonNode> body = JsonNode.parser().parse(body(request)).asObject();
        switch (action) {
            case "DescribeSecret":
                return ok(describe());
            case "GetSecretValue":
                return getSecretValue(body);
            case "GetRandomPassword":
                return ok(object("RandomPassword", GENERATED_PASSWORD));
            case "PutSecretValue":
                pendingValue = text(body, "SecretString");
                return ok(object("ARN", SECRET_ARN, "VersionId", TOKEN));
            case "UpdateSecretVersionStage":
                return ok(object("ARN", SECRET_ARN));
            default:
                return error("InvalidRequestException", "priming does not answer " + action);
        }
    }

    private HttpExecuteResponse getSecretValue(Map<String, JsonNode> body) {
        if (TOKEN.equals(text(body, "VersionId"))) {
            return pendingValue == null
                    ? error("ResourceNotFoundException", "the pending version has no value yet")
                    : ok(secretValue(TOKEN, pendingValue));
        }
        boolean master = MASTER_ARN.equals(text(body, "SecretId"));
        return ok(secretValue(CURRENT_VERSION, placeholderSecret(master ? "primer_master" : "primer")));
    }

    /** Shaped like a real answer for a secret under rotation, so that each of its kinds of field is read. */
    private static String describe() {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("ARN").writeValue(SECRET_ARN);
        json.writeFieldName("Name").writeValue("keyturn-priming");
        json.writeFieldName("RotationEnabled").writeValue(true);
        json.writeFieldName("RotationLambdaARN").writeValue("arn:aws:lambda:us-east-1:000000000000:function:priming");
        json.writeFieldName("RotationRules").writeStartObject();
        json.writeFieldName("AutomaticallyAfterDays").writeNumber("30");
        json.writeEndObject();
        json.writeFieldName("LastChangedDate").writeNumber(PLACEHOLDER_DATE);
        json.writeFieldName("CreatedDate").writeNumber(PLACEHOLDER_DATE);
        json.writeFieldName("Tags").writeStartArray().writeEndArray();
        json.writeFieldName("VersionIdsToStages").writeStartObject();
        json.writeFieldName(CURRENT_VERSION).writeStartArray().writeValue(SecretVersions.CURRENT).writeEndArray();
        json.writeFieldName(TOKEN).writeStartArray().writeValue(SecretVersions.PENDING).writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    private static String secretValue(String versionId, String value) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("ARN").writeValue(SECRET_ARN);
        json.writeFieldName("VersionId").writeValue(versionId);
        json.writeFieldName("SecretString").writeValue(value);
        json.writeFieldName("CreatedDate").writeNumber(PLACEHOLDER_DATE);
        json.writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    private String placeholderSecret(String user) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("engine").writeValue("priming");
        json.writeFieldName("host").writeValue("keyturn-priming.invalid");
        json.writeFieldName("port").writeValue(port);
        json.writeFieldName("username").writeValue(user);
        json.writeFieldName("password").writeValue(PLACEHOLDER_PASSWORD);
        json.writeFieldName("dbname").writeValue("priming");
        json.writeFieldName("masterarn").writeValue(MASTER_ARN);
        json.writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    private static String object(String... keyValues) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            json.writeFieldName(keyValues[i]).writeValue(keyValues[i + 1]);
        }
        json.writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    private static HttpExecuteResponse ok(String json) {
        return response(200, json);
    }

    private static HttpExecuteResponse error(String type, String message) {
        return response(BAD_REQUEST, object("__type", type, "Message", message));
    }

    private static HttpExecuteResponse response(int status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        SdkHttpResponse response = SdkHttpResponse.builder()
                .statusCode(status)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("Content-Length", String.valueOf(bytes.length))
                .build();
        return HttpExecuteResponse.builder()
                .response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }

    private static String body(HttpExecuteRequest request) {
        return request.contentStreamProvider().map(provider -> {
            try (InputStream in = provider.newStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse("{}");
    }

    private static String text(Map<String, JsonNode> body, String key) {
        JsonNode node = body.get(key);
        return node == null || !node.isString() ? null : node.asString();
    }
}
