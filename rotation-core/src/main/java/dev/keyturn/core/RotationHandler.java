package dev.keyturn.core;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.util.List;
import org.crac.Core;
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
 * built in the constructor, which Lambda runs once per container during initialisation. Under
 * SnapStart, {@link SnapStartPriming} then runs a rotation's code in memory before the snapshot.
 */
public abstract class RotationHandler implements RequestHandler<SecretsManagerRotationEvent, Void> {
    private final Rotator rotator;
    /** Held here because the runtime's hook registry keeps its resources only weakly. */
    private final SnapStartPriming priming;

    /**
     * Reads the settings from the environment, uses the container's shared client, and registers
     * the SnapStart priming, which the runtime runs before it takes the snapshot.
     */
    protected RotationHandler(DatabaseEngine... engines) {
        this(SecretsManagerClients.shared(), Settings.fromEnvironment(), LogSink.lambdaRuntime(), engines);
        Core.getGlobalContext().register(priming);
    }

    /** For tests and embedding: every dependency given; no SnapStart hook is registered. */
    protected RotationHandler(SecretsManagerClient client, Settings settings, LogSink sink,
            DatabaseEngine... engines) {
        this.rotator = new Rotator(client, settings, sink, List.of(engines));
        this.priming = new SnapStartPriming(settings, List.of(engines), sink);
    }

    @Override
    public Void handleRequest(SecretsManagerRotationEvent event, Context context) {
        rotator.rotate(event, context == null ? null : context.getAwsRequestId());
        return null;
    }

    /** The SnapStart hook; tests run it directly. */
    SnapStartPriming priming() {
        return priming;
    }
}
