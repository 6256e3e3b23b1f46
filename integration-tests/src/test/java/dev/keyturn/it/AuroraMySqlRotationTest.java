package dev.keyturn.it;

import org.junit.jupiter.api.Nested;

/**
 * The Aurora function's MySQL engine ({@code AuroraEngine.mysql()}, secrets with {@code engine}
 * {@code aurora-mysql} and a {@code dbClusterIdentifier}). No Aurora cluster runs here: locally the
 * test MariaDB stands in for Aurora MySQL, with {@code -Dkeyturn.services=containers} MySQL 8.4
 * (see {@link MySqlFamilyUnderTest}).
 */
class AuroraMySqlRotationTest {

    @Nested
    class SingleUser extends MySqlFamilySingleUserScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.auroraMysql(services);
        }
    }

    @Nested
    class AlternatingUsers extends MySqlFamilyAlternatingUsersScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.auroraMysql(services);
        }
    }

    @Nested
    class Interrupted extends MySqlFamilyInterruptedScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.auroraMysql(services);
        }
    }

    @Nested
    class HostileInput extends MySqlFamilyHostileInputScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.auroraMysql(services);
        }
    }

    @Nested
    class Tls extends MySqlFamilyTlsScenarios {
        @Override
        protected MySqlFamilyUnderTest underTest(Services services) {
            return MySqlFamilyUnderTest.auroraMysql(services);
        }
    }
}
