package dev.keyturn.sqlserver;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.LogSink;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda entry point for SQL Server secrets:
 * {@code dev.keyturn.sqlserver.SqlServerRotationHandler::handleRequest}.
 */
public final class SqlServerRotationHandler extends RotationHandler {
    public SqlServerRotationHandler() {
        super(new SqlServerEngine());
    }

    /** For tests: every dependency given. */
    SqlServerRotationHandler(SecretsManagerClient client, Settings settings, LogSink sink, DatabaseEngine engine) {
        super(client, settings, sink, engine);
    }
}
