package dev.keyturn.mariadb;

import dev.keyturn.core.LogSink;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The Lambda entry point for MariaDB secrets: {@code dev.keyturn.mariadb.MariaDbRotationHandler::handleRequest}. */
public final class MariaDbRotationHandler extends RotationHandler {

    public MariaDbRotationHandler() {
        super(new MariaDbEngine());
    }

    /** For tests and embedding: every dependency given. */
    public MariaDbRotationHandler(SecretsManagerClient client, Settings settings, LogSink sink) {
        super(client, settings, sink, new MariaDbEngine());
    }
}
