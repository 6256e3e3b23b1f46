package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GetRandomPassword request: the AWS-published functions' variable names and defaults, with the
 * engine's rules applied on top so that a setting can narrow what an engine accepts, never widen it.
 */
class PasswordPolicyTest {
    private static final PasswordRules ANY_PRINTABLE = PasswordRules.upTo(128);

    @Test
    void the_defaults_are_those_of_the_aws_published_functions() {
        // when
        PasswordPolicy policy = PasswordPolicy.from(Map.of());

        // then
        assertThat(policy.lengthFor(ANY_PRINTABLE)).isEqualTo(32);
        assertThat(policy.excludedCharactersFor(ANY_PRINTABLE)).isEqualTo("/@\"'\\");
        assertThat(policy.requireEachIncludedType()).isTrue();
        assertThat(policy.excludeNumbers()).isFalse();
        assertThat(policy.excludePunctuation()).isFalse();
        assertThat(policy.excludeUppercase()).isFalse();
        assertThat(policy.excludeLowercase()).isFalse();
        assertThat(policy.lengthCappedBy(ANY_PRINTABLE)).isFalse();
    }

    @Test
    void every_variable_is_read() {
        // when
        PasswordPolicy policy = PasswordPolicy.from(Map.of("PASSWORD_LENGTH", "40", "EXCLUDE_CHARACTERS", "xyz",
                "EXCLUDE_NUMBERS", "true", "EXCLUDE_PUNCTUATION", "TRUE", "EXCLUDE_UPPERCASE", "true",
                "EXCLUDE_LOWERCASE", "false", "REQUIRE_EACH_INCLUDED_TYPE", "false"));

        // then
        assertThat(policy.lengthFor(ANY_PRINTABLE)).isEqualTo(40);
        assertThat(policy.excludedCharactersFor(ANY_PRINTABLE)).isEqualTo("xyz");
        assertThat(policy.excludeNumbers()).isTrue();
        assertThat(policy.excludePunctuation()).isTrue();
        assertThat(policy.excludeUppercase()).isTrue();
        assertThat(policy.excludeLowercase()).isFalse();
        assertThat(policy.requireEachIncludedType()).isFalse();
    }

    @Test
    void an_empty_EXCLUDE_CHARACTERS_excludes_nothing_beyond_the_engines_rules() {
        PasswordPolicy policy = PasswordPolicy.from(Map.of("EXCLUDE_CHARACTERS", ""));

        assertThat(policy.excludedCharactersFor(ANY_PRINTABLE)).isEmpty();
        assertThat(policy.excludedCharactersFor(ANY_PRINTABLE.excluding(";"))).isEqualTo(";");
    }

    @Test
    void the_engines_excluded_characters_are_added_once_each() {
        // given
        PasswordRules rules = PasswordRules.upTo(128).excluding(":;/@&");

        // when
        String excluded = PasswordPolicy.from(Map.of()).excludedCharactersFor(rules);

        // then
        assertThat(excluded).isEqualTo("/@\"'\\:;&");
    }

    @Test
    void the_engines_default_length_applies_when_PASSWORD_LENGTH_is_not_set() {
        PasswordRules oracle = PasswordRules.upTo(30);

        assertThat(PasswordPolicy.from(Map.of()).lengthFor(oracle)).isEqualTo(30);
        assertThat(PasswordPolicy.from(Map.of()).lengthFor(ANY_PRINTABLE.withDefaultLength(24))).isEqualTo(24);
    }

    @Test
    void PASSWORD_LENGTH_above_the_engines_maximum_is_capped() {
        // given
        PasswordPolicy policy = PasswordPolicy.from(Map.of("PASSWORD_LENGTH", "64"));
        PasswordRules rules = PasswordRules.upTo(30);

        // then
        assertThat(policy.lengthFor(rules)).isEqualTo(30);
        assertThat(policy.lengthCappedBy(rules)).isTrue();
        assertThat(policy.lengthCappedBy(ANY_PRINTABLE)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "4097", "0", "thirty-two", "32.0"})
    void a_bad_PASSWORD_LENGTH_is_refused(String value) {
        assertThatThrownBy(() -> PasswordPolicy.from(Map.of("PASSWORD_LENGTH", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PASSWORD_LENGTH is '" + value + "'. Set it to a whole number from 8 to 4096");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "4096", " 12 "})
    void PASSWORD_LENGTH_accepts_8_to_4096(String value) {
        assertThat(PasswordPolicy.from(Map.of("PASSWORD_LENGTH", value)).lengthFor(PasswordRules.upTo(4096)))
                .isEqualTo(Integer.parseInt(value.trim()));
    }

    @Test
    void excluding_every_character_type_is_refused() {
        // given
        Map<String, String> env = new HashMap<>();
        for (String type : new String[] {"NUMBERS", "PUNCTUATION", "UPPERCASE", "LOWERCASE"}) {
            env.put("EXCLUDE_" + type, "true");
        }

        // then
        assertThatThrownBy(() -> PasswordPolicy.from(env)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("leaves no character to build a password from");
    }

    @Test
    void the_description_holds_the_settings_but_no_excluded_characters() {
        assertThat(PasswordPolicy.from(Map.of("PASSWORD_LENGTH", "20")).toString())
                .contains("length=20", "requireEachIncludedType=true");
        assertThat(PasswordPolicy.from(Map.of()).toString()).contains("length=engine default");
    }
}
