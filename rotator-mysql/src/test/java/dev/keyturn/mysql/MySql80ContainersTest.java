package dev.keyturn.mysql;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;

/** {@link MySqlContainersTest} against MySQL 8.0. */
@Testcontainers(disabledWithoutDocker = true)
class MySql80ContainersTest extends MySqlContainersTest {
    @Container
    static final MySQLContainer MYSQL = mysql("mysql:8.0");

    @Override
    protected MySQLContainer container() {
        return MYSQL;
    }
}
