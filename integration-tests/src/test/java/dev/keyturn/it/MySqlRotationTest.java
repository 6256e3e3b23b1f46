package dev.keyturn.it;

import org.junit.jupiter.api.Nested;

/**
 * The MySQL function ({@code MySqlEngine}). Locally it runs against the test MariaDB, which stands
 * in for MySQL (see {@link MySqlFamilyUnderTest} for what that shows and what it cannot); with
 * {@code -Dkeyturn.services=containers} against a real MySQL 8.4.
 */
class MySqlRotationTest {

    @Nested
    class SingleUser extends MySqlFamilySingleUserScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mysql(services);
        }
    }

    @Nested
    class AlternatingUsers extends MySqlFamilyAlternatingUsersScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mysql(services);
        }
    }

    @Nested
    class Interrupted extends MySqlFamilyInterruptedScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mysql(services);
        }
    }

    @Nested
    class HostileInput extends MySqlFamilyHostileInputScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mysql(services);
        }
    }

    @Nested
    class Tls extends MySqlFamilyTlsScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mysql(services);
        }
    }
}
