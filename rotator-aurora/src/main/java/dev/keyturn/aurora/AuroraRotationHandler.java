package dev.keyturn.aurora;

import dev.keyturn.core.LogSink;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda entry point for Aurora MySQL and Aurora PostgreSQL secrets:
 * {@code dev.keyturn.aurora.AuroraRotationHandler::handleRequest}. The first engine that serves a
 * secret rotates it; see {@link AuroraEngine} for which secrets each takes.
 */
public final class AuroraRotationHandler extends RotationHandler {

    public AuroraRotationHandler() {
        super(AuroraEngine.mysql(), AuroraEngine.postgresql());
    }

    /** For tests and embedding: every dependency given. */
    public AuroraRotationHandler(SecretsManagerClient client, Settings settings, LogSink sink) {
        super(client, settings, sink, AuroraEngine.mysql(), AuroraEngine.postgresql());
    }
}
