package dev.keyturn.it;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh harness for every test of a MySQL-family engine (MySQL, MariaDB, Aurora MySQL). After each
 * test, every captured log line is checked against every password the test's secrets ever held.
 * The engine and server come from {@link #underTest}; see {@link MySqlFamilyUnderTest} for which
 * server stands in for which.
 */
abstract class MySqlFamilyRotationTestBase {
    protected final Services services = Services.get();
    protected MySqlFamilyUnderTest db;
    protected RotationHarness harness;

    protected abstract MySqlFamilyUnderTest underTest(Services services);

    @BeforeEach
    void openHarness() {
        db = underTest(services);
        harness = new RotationHarness(services, db);
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
