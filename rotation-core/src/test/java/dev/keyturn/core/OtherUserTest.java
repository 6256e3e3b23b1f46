package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How alternating users names the user that is not current. */
class OtherUserTest {
    private final InMemoryDatabaseEngine engine = new InMemoryDatabaseEngine();

    @ParameterizedTest
    @CsvSource({
        "app, app_clone",
        "app_clone, app",
        "app_clone_clone, app_clone",
        "_clone, _clone_clone",
        "app_Clone, app_Clone_clone"
    })
    void the_other_user_adds_or_removes_the_clone_suffix(String current, String other) {
        assertThat(StepRun.otherUser(current, engine)).isEqualTo(other);
    }

    @Test
    void the_engines_own_suffix_is_used() {
        // given
        engine.useCloneSuffix("$ALT");

        // then
        assertThat(StepRun.otherUser("APP", engine)).isEqualTo("APP$ALT");
        assertThat(StepRun.otherUser("APP$ALT", engine)).isEqualTo("APP");
        assertThat(StepRun.otherUser("APP_clone", engine)).isEqualTo("APP_clone$ALT");
    }
}
