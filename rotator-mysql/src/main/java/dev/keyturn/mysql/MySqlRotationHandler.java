package dev.keyturn.mysql;

import dev.keyturn.core.LogSink;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The Lambda entry point for MySQL secrets: {@code dev.keyturn.mysql.MySqlRotationHandler::handleRequest}. */
public final class MySqlRotationHandler extends RotationHandler {

    public MySqlRotationHandler() {
        super(new MySqlEngine());
    }

    /** For tests and embedding: every dependency given. */
    public MySqlRotationHandler(SecretsManagerClient client, Settings settings, LogSink sink) {
        super(client, settings, sink, new MySqlEngine());
    }
}
