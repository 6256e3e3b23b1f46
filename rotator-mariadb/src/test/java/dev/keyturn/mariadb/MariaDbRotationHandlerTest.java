package dev.keyturn.mariadb;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.Settings;
import dev.keyturn.core.testing.CapturingLogSink;
import dev.keyturn.core.testing.SecretsFixture;
import dev.keyturn.mysql.testing.RotationHandlerScenarios;

/** The MariaDB function end to end, against a real MariaDB. */
class MariaDbRotationHandlerTest extends RotationHandlerScenarios {

    @Override
    protected DatabaseEngine engine() {
        return new MariaDbEngine();
    }

    @Override
    protected String engineValue() {
        return "mariadb";
    }

    @Override
    protected RotationHandler handler(SecretsFixture secrets, Settings settings, CapturingLogSink logs) {
        return new MariaDbRotationHandler(secrets.client(), settings, logs);
    }
}
