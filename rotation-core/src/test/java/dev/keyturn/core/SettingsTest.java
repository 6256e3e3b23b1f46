package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every environment variable the function reads, its default, and the error a bad value gets. */
class SettingsTest {

    @Test
    void only_the_strategy_is_required_and_everything_else_has_a_default() {
        // when
        Settings settings = Settings.from(Map.of("ROTATION_STRATEGY", "single-user"));

        // then
        assertThat(settings.strategy()).isEqualTo(Strategy.SINGLE_USER);
        assertThat(settings.overlapFallback()).isEqualTo(Settings.OverlapFallback.REFUSE);
        assertThat(settings.tls().whenAbsent()).isEqualTo(TlsSettings.Default.REQUIRED);
        assertThat(settings.tls().caBundle()).isEmpty();
        assertThat(settings.tls().verifyHostname()).isTrue();
        assertThat(settings.trust().caBundle()).isEmpty();
        assertThat(settings.trust().verifyHostname()).isTrue();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.passwordPolicy().requireEachIncludedType()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "single-user, SINGLE_USER",
        "single-user-overlap, SINGLE_USER_OVERLAP",
        "alternating-users, ALTERNATING_USERS",
        "' Alternating-Users ', ALTERNATING_USERS"
    })
    void ROTATION_STRATEGY_accepts_each_strategy_in_any_case(String value, Strategy expected) {
        assertThat(Settings.from(Map.of("ROTATION_STRATEGY", value)).strategy()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void a_missing_ROTATION_STRATEGY_is_refused_with_the_choices_named(String value) {
        assertThatThrownBy(() -> Settings.from(Map.of("ROTATION_STRATEGY", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ROTATION_STRATEGY is not set")
                .hasMessageContaining("single-user, single-user-overlap, alternating-users");
        assertThatThrownBy(() -> Settings.from(Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ROTATION_STRATEGY is not set");
    }

    @Test
    void an_unknown_ROTATION_STRATEGY_is_refused_with_its_value() {
        assertThatThrownBy(() -> Settings.from(Map.of("ROTATION_STRATEGY", "multi-user")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ROTATION_STRATEGY is 'multi-user'");
    }

    @ParameterizedTest
    @CsvSource({"refuse, REFUSE", "single-user, SINGLE_USER", "' SINGLE-USER ', SINGLE_USER"})
    void OVERLAP_FALLBACK_is_read(String value, Settings.OverlapFallback expected) {
        assertThat(settings("OVERLAP_FALLBACK", value).overlapFallback()).isEqualTo(expected);
    }

    @Test
    void a_bad_OVERLAP_FALLBACK_is_refused() {
        assertRefused("OVERLAP_FALLBACK", "alternating-users", "OVERLAP_FALLBACK is 'alternating-users'");
    }

    @ParameterizedTest
    @CsvSource({"required, REQUIRED", "preferred, PREFERRED", "disabled, DISABLED", "Disabled, DISABLED"})
    void TLS_DEFAULT_is_read(String value, TlsSettings.Default expected) {
        assertThat(settings("TLS_DEFAULT", value).tls().whenAbsent()).isEqualTo(expected);
    }

    @Test
    void a_bad_TLS_DEFAULT_is_refused() {
        assertRefused("TLS_DEFAULT", "on", "TLS_DEFAULT is 'on'");
    }

    @Test
    void TLS_CA_BUNDLE_and_TLS_VERIFY_HOSTNAME_reach_the_trust_settings() {
        // when
        Settings settings = Settings.from(Map.of("ROTATION_STRATEGY", "single-user",
                "TLS_CA_BUNDLE", "/var/task/ca.pem", "TLS_VERIFY_HOSTNAME", "FALSE"));

        // then
        assertThat(settings.tls().caBundle()).isEqualTo(Optional.of(Path.of("/var/task/ca.pem")));
        assertThat(settings.trust().caBundle()).isEqualTo(Optional.of(Path.of("/var/task/ca.pem")));
        assertThat(settings.trust().verifyHostname()).isFalse();
        assertThat(settings.trust()).isSameAs(settings.withStrategy(Strategy.ALTERNATING_USERS).trust());
    }

    @Test
    void a_blank_TLS_CA_BUNDLE_means_the_jvm_trust_store() {
        assertThat(settings("TLS_CA_BUNDLE", " ").tls().caBundle()).isEmpty();
    }

    @Test
    void a_bad_TLS_VERIFY_HOSTNAME_is_refused() {
        assertRefused("TLS_VERIFY_HOSTNAME", "no", "TLS_VERIFY_HOSTNAME is 'no'. Set it to 'true' or 'false'");
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "' 30 ', 30", "600, 600"})
    void DB_CONNECT_TIMEOUT_SECONDS_is_read(String value, long seconds) {
        assertThat(settings("DB_CONNECT_TIMEOUT_SECONDS", value).connectTimeout())
                .isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "601", "-5", "ten", "1.5"})
    void a_bad_DB_CONNECT_TIMEOUT_SECONDS_is_refused(String value) {
        assertRefused("DB_CONNECT_TIMEOUT_SECONDS", value, "DB_CONNECT_TIMEOUT_SECONDS is '" + value
                + "'. Set it to a whole number of seconds from 1 to 600");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PASSWORD_LENGTH", "EXCLUDE_NUMBERS", "EXCLUDE_PUNCTUATION", "EXCLUDE_UPPERCASE",
        "EXCLUDE_LOWERCASE", "REQUIRE_EACH_INCLUDED_TYPE"})
    void a_bad_password_setting_is_refused_naming_the_variable(String variable) {
        assertRefused(variable, "maybe", variable + " is 'maybe'");
    }

    @Test
    void withStrategy_changes_only_the_strategy() {
        // given
        Settings settings = Settings.from(Map.of("ROTATION_STRATEGY", "single-user", "TLS_DEFAULT", "disabled",
                "DB_CONNECT_TIMEOUT_SECONDS", "7", "OVERLAP_FALLBACK", "single-user"));

        // when
        Settings other = settings.withStrategy(Strategy.SINGLE_USER_OVERLAP);

        // then
        assertThat(other.strategy()).isEqualTo(Strategy.SINGLE_USER_OVERLAP);
        assertThat(other.tls()).isEqualTo(settings.tls());
        assertThat(other.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(other.overlapFallback()).isEqualTo(Settings.OverlapFallback.SINGLE_USER);
        assertThat(other.passwordPolicy()).isSameAs(settings.passwordPolicy());
    }

    @Test
    void the_description_names_every_setting() {
        assertThat(settings("TLS_DEFAULT", "preferred").toString()).contains("strategy=single-user",
                "overlapFallback=REFUSE", "PREFERRED", "connectTimeout=PT10S", "PasswordPolicy[");
    }

    private static Settings settings(String variable, String value) {
        Map<String, String> env = new HashMap<>();
        env.put("ROTATION_STRATEGY", "single-user");
        env.put(variable, value);
        return Settings.from(env);
    }

    private static void assertRefused(String variable, String value, String message) {
        assertThatThrownBy(() -> settings(variable, value)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message);
    }
}
