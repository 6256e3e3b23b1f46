package dev.keyturn.core;

import dev.keyturn.core.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Records every request the function's Secrets Manager client sends to moto, through the SDK's own
 * interceptor hook, so that tests can see what was written, and with which parameters.
 */
final class SecretsManagerCallLog implements ExecutionInterceptor {
    /** The operations that change a secret; a refused input must send none of them. */
    static final List<String> WRITES = List.of("PutSecretValue", "UpdateSecretVersionStage", "UpdateSecret",
            "CreateSecret", "DeleteSecret", "RotateSecret", "CancelRotateSecret");

    /** One request, by operation name. */
    record Call(String operation, SdkRequest request) {
    }

    private final List<Call> calls = new ArrayList<>();

    /** A client built as {@link MotoServer#client()} builds one, with this log attached. */
    SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(MotoServer.endpoint())
                .region(MotoServer.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(config -> config.addExecutionInterceptor(this))
                .build();
    }

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.add(new Call(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request()));
    }

    synchronized int mark() {
        return calls.size();
    }

    synchronized List<Call> since(int mark) {
        return List.copyOf(calls.subList(mark, calls.size()));
    }

    synchronized List<String> operationsSince(int mark) {
        return since(mark).stream().map(Call::operation).toList();
    }

    synchronized List<String> writesSince(int mark) {
        return operationsSince(mark).stream().filter(WRITES::contains).toList();
    }
}
