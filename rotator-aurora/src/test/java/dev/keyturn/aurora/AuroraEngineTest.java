package dev.keyturn.aurora;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.mysql.MySqlEngine;
import dev.keyturn.postgres.PostgresEngine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuroraEngineTest {
    private final List<DatabaseEngine> engines = List.of(AuroraEngine.mysql(), AuroraEngine.postgresql());

    @ParameterizedTest(name = "{0} with cluster key {1} -> {2}")
    @CsvSource({
        "aurora-mysql,      false, aurora-mysql",
        "aurora-mysql,      true,  aurora-mysql",
        "mysql,             true,  aurora-mysql",
        "aurora-postgresql, false, aurora-postgresql",
        "postgres,          true,  aurora-postgresql",
        "postgresql,        true,  aurora-postgresql",
        "mysql,             false, none",
        "postgres,          false, none",
        "mariadb,           true,  none",
        "oracle,            true,  none"})
    void the_first_engine_that_serves_a_secret_is_chosen_as_the_core_chooses(String engine, boolean clusterKey,
            String chosen) {
        DatabaseSecret secret = secret(engine, clusterKey);

        Optional<DatabaseEngine> first = engines.stream().filter(e -> e.serves(secret)).findFirst();

        assertThat(first.map(DatabaseEngine::name).orElse("none")).isEqualTo(chosen);
    }

    @Test
    void an_empty_cluster_identifier_does_not_make_a_secret_an_aurora_secret() {
        DatabaseSecret secret = DatabaseSecret.parse("{\"engine\":\"mysql\",\"host\":\"h\",\"username\":\"u\","
                + "\"password\":\"p\",\"dbClusterIdentifier\":\" \"}");

        assertThat(engines).noneMatch(engine -> engine.serves(secret));
    }

    @Test
    void the_refusal_names_every_secret_the_function_rotates() {
        assertThat(engines.get(0).servedEngines()).contains("aurora-mysql", "aurora-postgresql", "mysql",
                "postgres", "dbClusterIdentifier");
    }

    @Test
    void everything_else_is_the_wrapped_engines() {
        DatabaseEngine mysql = new MySqlEngine();
        DatabaseEngine postgres = new PostgresEngine();

        assertThat(AuroraEngine.mysql().defaultPort()).isEqualTo(mysql.defaultPort());
        assertThat(AuroraEngine.mysql().maxUserNameLength()).isEqualTo(mysql.maxUserNameLength());
        assertThat(AuroraEngine.mysql().passwordRules()).isEqualTo(mysql.passwordRules());
        assertThat(AuroraEngine.mysql().userNameProblem("app ")).isEqualTo(mysql.userNameProblem("app "));
        assertThat(AuroraEngine.postgresql().defaultPort()).isEqualTo(postgres.defaultPort());
        assertThat(AuroraEngine.postgresql().maxUserNameLength()).isEqualTo(postgres.maxUserNameLength());
        assertThat(AuroraEngine.postgresql().passwordRules()).isEqualTo(postgres.passwordRules());
        assertThat(AuroraEngine.postgresql().cloneSuffix()).isEqualTo(postgres.cloneSuffix());
    }

    private static DatabaseSecret secret(String engine, boolean clusterKey) {
        return DatabaseSecret.parse("{\"engine\":\"" + engine + "\",\"host\":\"db.example.com\",\"username\":\"app\","
                + "\"password\":\"pw\"" + (clusterKey ? ",\"dbClusterIdentifier\":\"cluster-1\"" : "") + "}");
    }
}
