package dev.keyturn.it;

import org.junit.jupiter.api.Nested;

/**
 * The MariaDB function ({@code MariaDbEngine}) against the test MariaDB 10.11, or MariaDB in a container.
 */
class MariaDbRotationTest {

    @Nested
    class SingleUser extends MySqlFamilySingleUserScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mariadb(services);
        }
    }

    @Nested
    class AlternatingUsers extends MySqlFamilyAlternatingUsersScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mariadb(services);
        }
    }

    @Nested
    class Interrupted extends MySqlFamilyInterruptedScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mariadb(services);
        }
    }

    @Nested
    class HostileInput extends MySqlFamilyHostileInputScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mariadb(services);
        }
    }

    @Nested
    class Tls extends MySqlFamilyTlsScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.mariadb(services);
        }
    }
}
