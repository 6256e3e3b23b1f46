package dev.keyturn.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.PasswordRules;
import org.junit.jupiter.api.Test;

/** What the engine accepts, without a server. */
class PostgresEngineRulesTest {
    private final PostgresEngine engine = new PostgresEngine();

    @Test
    void serves_should_accept_both_spellings_of_the_engine_and_nothing_else() {
        assertThat(engine.serves(secret("postgres"))).isTrue();
        assertThat(engine.serves(secret("PostgreSQL"))).isTrue();
        assertThat(engine.serves(secret("aurora-postgresql"))).isFalse();
        assertThat(engine.serves(secret("mysql"))).isFalse();
    }

    @Test
    void passwordRules_should_follow_the_rds_limits() {
        PasswordRules rules = engine.passwordRules();

        assertThat(rules.maxLength()).isEqualTo(128);
        assertThat(rules.defaultLength()).isEqualTo(32);
        assertThat(rules.violation("a".repeat(128))).isEmpty();
        assertThat(rules.violation("a".repeat(129))).isPresent();
        assertThat(rules.violation("with space")).isPresent();
        assertThat(rules.violation("with/slash")).isPresent();
        assertThat(rules.violation("with\"quote")).isPresent();
        assertThat(rules.violation("with@at")).isPresent();
        assertThat(rules.violation("'\\!#$%^&*()-=+[]{};:,.<>?|~`")).isEmpty();
    }

    @Test
    void userNameProblem_should_count_bytes_because_postgres_cuts_names_at_63_bytes() {
        assertThat(engine.userNameProblem("a".repeat(63))).isNull();
        assertThat(engine.userNameProblem("é".repeat(32))).contains("64 bytes");
    }

    @Test
    void userNameProblem_should_refuse_the_reserved_prefix() {
        assertThat(engine.userNameProblem("pg_app")).contains("reserved");
        assertThat(engine.userNameProblem("app_pg_user")).isNull();
    }

    private static DatabaseSecret secret(String engineValue) {
        return DatabaseSecret.parse("{\"engine\":\"" + engineValue + "\",\"host\":\"h\",\"username\":\"u\","
                + "\"password\":\"p\"}");
    }
}
