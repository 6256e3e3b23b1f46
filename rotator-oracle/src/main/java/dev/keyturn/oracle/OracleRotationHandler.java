package dev.keyturn.oracle;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.LogSink;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda entry point for Oracle secrets: {@code dev.keyturn.oracle.OracleRotationHandler::handleRequest}.
 */
public final class OracleRotationHandler extends RotationHandler {
    public OracleRotationHandler() {
        super(new OracleEngine());
    }

    /** For tests: every dependency given. */
    OracleRotationHandler(SecretsManagerClient client, Settings settings, LogSink sink, DatabaseEngine engine) {
        super(client, settings, sink, engine);
    }
}
