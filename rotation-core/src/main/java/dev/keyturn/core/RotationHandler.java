package dev.keyturn.core;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda entry point each engine module extends in a few lines:
 *
 * <pre>{@code
 * public final class PostgresRotationHandler extends RotationHandler {
 *     public PostgresRotationHandler() {
 *         super(new PostgresEngine());
 *     }
 * }
 * }</pre>
 *
 * <p>Everything costly (the Secrets Manager client, the settings, the engines and their drivers) is
 * built in the constructor, which Lambda runs once per container during initialisation.
 */
public abstract class RotationHandler implements RequestHandler<SecretsManagerRotationEvent, Void> {
    private final Rotator rotator;

    /** Reads the settings from the environment and uses the container's shared client. */
    protected RotationHandler(DatabaseEngine... engines) {
        this(SecretsManagerClients.shared(), Settings.fromEnvironment(), LogSink.lambdaRuntime(), engines);
    }

    /** For tests and embedding: every dependency given. */
    protected RotationHandler(SecretsManagerClient client, Settings settings, LogSink sink,
            DatabaseEngine... engines) {
        this.rotator = new Rotator(client, settings, sink, List.of(engines));
    }

    @Override
    public Void handleRequest(SecretsManagerRotationEvent event, Context context) {
        rotator.rotate(event, context == null ? null : context.getAwsRequestId());
        return null;
    }
}
