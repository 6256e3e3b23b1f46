package dev.keyturn.mysql;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.SecretsFixture;
import dev.keyturn.mysql.testing.RotationHandlerScenarios;

/**
 * The MySQL function end to end, with MariaDB standing in for MySQL (see
 * {@link MySqlEngineOnMariaDbTest} for why, and for what only MySQL runs).
 */
class MySqlRotationHandlerTest extends RotationHandlerScenarios {

    @Override
    protected DatabaseEngine engine() {
        return new MySqlEngine();
    }

    @Override
    protected String engineValue() {
        return "mysql";
    }

    @Override
    protected RotationHandler handler(SecretsFixture secrets, Settings settings, CapturingLogSink logs) {
        return new MySqlRotationHandler(secrets.client(), settings, logs);
    }
}
