package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an engine accepts as a password, and how a generated one is made to fit. */
class PasswordRulesTest {
    private static final PasswordRules LETTER_FIRST = PasswordRules.upTo(30).startingWithLetter();

    @ParameterizedTest
    @CsvSource({
        "12ab, a12b",
        "1!2#Z9, Z1!2#9",
        "abc1, abc1",
        "9z, z9"
    })
    void arrange_moves_the_first_letter_to_the_front(String generated, String arranged) {
        assertThat(LETTER_FIRST.arrange(generated)).isEqualTo(arranged);
    }

    @Test
    void arrange_keeps_every_character() {
        // given
        String generated = "7&4kQ!x9";

        // when
        String arranged = LETTER_FIRST.arrange(generated);

        // then
        assertThat(arranged).startsWith("k");
        assertThat(arranged.chars().sorted().toArray()).isEqualTo(generated.chars().sorted().toArray());
    }

    @Test
    void arrange_leaves_a_password_alone_when_the_rules_do_not_ask_for_a_letter_or_it_has_none() {
        assertThat(PasswordRules.upTo(30).arrange("12ab")).isEqualTo("12ab");
        assertThat(LETTER_FIRST.arrange("1234")).isEqualTo("1234");
        assertThat(LETTER_FIRST.arrange("")).isEmpty();
    }

    @Test
    void upTo_defaults_to_32_characters_or_the_maximum_when_that_is_lower() {
        assertThat(PasswordRules.upTo(128).defaultLength()).isEqualTo(32);
        assertThat(PasswordRules.upTo(30).defaultLength()).isEqualTo(30);
        assertThat(PasswordRules.upTo(30).firstCharacterLetter()).isFalse();
        assertThat(PasswordRules.upTo(30).excludedCharacters()).isEmpty();
    }

    @Test
    void a_default_length_above_the_maximum_is_a_programming_error() {
        assertThatThrownBy(() -> PasswordRules.upTo(30).withDefaultLength(31))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_fitting_password_has_no_violation() {
        assertThat(LETTER_FIRST.excluding(";").violation("Abc123!xyz")).isEmpty();
    }

    @Test
    void each_violation_is_described_without_quoting_the_password() {
        PasswordRules rules = PasswordRules.upTo(10).excluding(";").startingWithLetter();

        assertThat(rules.violation("")).contains("the password is empty");
        assertThat(rules.violation("Abcdefghijk")).contains("the password has 11 characters, over the engine's "
                + "limit of 10");
        assertThat(rules.violation("Ab;cd")).contains("the password contains a character the engine refuses "
                + "(one of ;)");
        assertThat(rules.violation("Ab\u0001cd")).contains("the password contains a control character");
        assertThat(rules.violation("1bcd")).contains("the password does not start with a letter");
        assertThat(rules.violation("Secret-Value-1")).get().asString().doesNotContain("Secret-Value-1");
    }
}
