package dev.keyturn.it.packaging;

import java.nio.file.Path;
import java.util.List;

/**
 * The six deployable jars, each named by the template.yaml function that deploys it. The size budgets
 * keep deployment and cold-start unpacking cheap; Oracle's driver alone is 7.6 MB, hence its own.
 */
enum LambdaArtifact {
    POSTGRES("PostgresRotationFunction", 10_000_000, Driver.POSTGRES),
    MYSQL("MySqlRotationFunction", 10_000_000, Driver.MYSQL),
    MARIADB("MariaDbRotationFunction", 10_000_000, Driver.MARIADB),
    AURORA("AuroraRotationFunction", 10_000_000, Driver.MYSQL, Driver.POSTGRES),
    SQLSERVER("SqlServerRotationFunction", 10_000_000, Driver.SQLSERVER),
    ORACLE("OracleRotationFunction", 16_000_000, Driver.ORACLE);

    /** A JDBC driver: its class, as META-INF/services/java.sql.Driver names it, and its packages. */
    enum Driver {
        POSTGRES("org.postgresql.Driver", "org/postgresql/"),
        MYSQL("com.mysql.cj.jdbc.Driver", "com/mysql/"),
        MARIADB("org.mariadb.jdbc.Driver", "org/mariadb/"),
        SQLSERVER("com.microsoft.sqlserver.jdbc.SQLServerDriver", "com/microsoft/sqlserver/"),
        ORACLE("oracle.jdbc.OracleDriver", "oracle/");

        final String className;
        final String packagePrefix;

        Driver(String className, String packagePrefix) {
            this.className = className;
            this.packagePrefix = packagePrefix;
        }

        String classEntry() {
            return className.replace('.', '/') + ".class";
        }
    }

    final String functionId;
    final long budgetBytes;
    final List<Driver> drivers;

    LambdaArtifact(String functionId, long budgetBytes, Driver... drivers) {
        this.functionId = functionId;
        this.budgetBytes = budgetBytes;
        this.drivers = List.of(drivers);
    }

    /** Where the build writes the jar: the function's CodeUri, relative to the repository root. */
    Path jar(SamTemplate template) {
        return Repository.root().resolve(template.codeUri(functionId));
    }

    /** The handler class, read from the function's Handler string {@code package.Class::method}. */
    String handlerClass(SamTemplate template) {
        String handler = template.handler(functionId);
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }
}
