package dev.keyturn.postgres;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.LogSink;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda handler for PostgreSQL secrets ({@code engine} {@code postgres} or {@code postgresql}):
 * {@code dev.keyturn.postgres.PostgresRotationHandler::handleRequest}.
 */
public final class PostgresRotationHandler extends RotationHandler {

    public PostgresRotationHandler() {
        super(new PostgresEngine());
    }

    /** For tests and embedding: every dependency given. */
    PostgresRotationHandler(SecretsManagerClient client, Settings settings, LogSink sink, DatabaseEngine... engines) {
        super(client, settings, sink, engines);
    }
}
