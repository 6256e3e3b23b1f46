package dev.keyturn.it;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh harness for every test against {@link Services#postgres()}. After each test, every
 * captured log line is checked against every password the test's secrets ever held.
 */
abstract class PostgresRotationTestBase {
    protected final Services services = Services.get();
    protected PostgresUnderTest postgres;
    protected RotationHarness harness;

    @BeforeEach
    void openHarness() {
        postgres = new PostgresUnderTest(services);
        harness = new RotationHarness(services, postgres);
    }

    @AfterEach
    void checkForLeaksAndDropUsers() throws SQLException {
        try {
            harness.assertNoPasswordLeaked();
        } finally {
            harness.close();
        }
    }
}
