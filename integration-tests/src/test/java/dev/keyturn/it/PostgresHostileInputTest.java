package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.RotationException;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User names and passwords chosen to break statements. Each rotates correctly or is refused before
 * anything changes; either way no role or table appears that the rotation did not mean to create,
 * and the canary role and table that the injected statements name are still there. Only names
 * starting with "kt" are compared: other test runs may share the server.
 */
class PostgresHostileInputTest extends PostgresRotationTestBase {
    /** Characters that end or escape a quoted name or literal in some engine. */
    private static final String QUOTING_CHARACTERS = "'\"`\\";

    static Stream<Arguments> hostileNames() {
        List<String> names = List.of("kt\"double", "kt'single", "kt\\backslash", "kt with spaces",
                "kt_Ünïcödé_名前", "kt;DROP TABLE kt_canary;--", "KT_Upper", "kt$$dollar$$",
                "kt\"; DROP ROLE kt_canary; --");
        return Stream.of(Strategy.SINGLE_USER, Strategy.ALTERNATING_USERS)
                .flatMap(strategy -> names.stream().map(name -> Arguments.of(strategy, name)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileNames")
    void a_hostile_user_name_rotates_or_is_refused_cleanly(Strategy strategy, String prefix)
            throws SQLException {
        // given a role and a table that an injected statement would drop
        createCanaries();
        TestUser user = harness.newUser(prefix + "_" + RotationHarness.randomHex(3), "Init-" + RotationHarness
                .randomHex(8));
        String arn = harness.secretFor(user, strategy);
        Set<String> accountsBefore = ours(postgres.accounts());
        Set<String> tablesBefore = ours(postgres.tables());

        // when
        RotationException refusal = rotateOrCatch(strategy, arn);

        // then
        DatabaseSecret current = harness.current(arn);
        assertThat(harness.logsIn(current)).as("AWSCURRENT logs in").isTrue();
        Set<String> expectedAccounts = new HashSet<>(accountsBefore);
        if (refusal == null) {
            assertThat(current.password()).isNotEqualTo(user.password());
            if (strategy == Strategy.ALTERNATING_USERS) {
                assertThat(current.username()).isEqualTo(user.name() + "_clone");
                expectedAccounts.add(current.username());
            } else {
                assertThat(postgres.canLogin(user.name(), user.password())).isFalse();
            }
        } else {
            assertThat(refusal).isInstanceOf(InvalidSecretException.class);
            assertThat(current.password()).isEqualTo(user.password());
        }
        if (user.name().chars().noneMatch(c -> QUOTING_CHARACTERS.indexOf(c) >= 0)) {
            assertThat(refusal).as("PostgreSQL takes this name when it is quoted").isNull();
        }
        assertThat(ours(postgres.accounts())).containsExactlyInAnyOrderElementsOf(expectedAccounts)
                .contains("kt_canary");
        assertThat(ours(postgres.tables())).containsExactlyInAnyOrderElementsOf(tablesBefore)
                .contains("public.kt_canary");
    }

    static Stream<String> hostilePasswords() {
        String printable = IntStream.rangeClosed(0x20, 0x7e).mapToObj(c -> String.valueOf((char) c))
                .collect(Collectors.joining());
        return Stream.of(printable, shuffled(printable, 1), shuffled(printable, 2),
                "'; DROP ROLE keyturn_admin; --", "\\'\"$$ $1 %s ${x} \\\\ --", "  spaces around  ",
                "a'b\"c\\d/e@f g", "\"quoted\"");
    }

    @ParameterizedTest
    @MethodSource("hostilePasswords")
    void a_current_password_of_any_printable_characters_is_replaced(String hostilePassword) throws SQLException {
        // given a user whose AWSCURRENT password is hostile
        TestUser user = harness.newUser("kt_pw_" + RotationHarness.randomHex(4), hostilePassword);
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);
        Set<String> accountsBefore = ours(postgres.accounts());
        Set<String> tablesBefore = ours(postgres.tables());

        // when
        harness.rotate(harness.handler(Strategy.SINGLE_USER), arn);

        // then
        assertThat(harness.logsIn(harness.current(arn))).isTrue();
        assertThat(postgres.canLogin(user.name(), hostilePassword)).isFalse();
        assertThat(harness.previous(arn).password()).isEqualTo(hostilePassword);
        assertThat(ours(postgres.accounts())).containsExactlyInAnyOrderElementsOf(accountsBefore);
        assertThat(ours(postgres.tables())).containsExactlyInAnyOrderElementsOf(tablesBefore);
    }

    private void createCanaries() throws SQLException {
        postgres.asAdmin("CREATE TABLE IF NOT EXISTS public.kt_canary (n int)");
        if (!postgres.accounts().contains("kt_canary")) {
            postgres.asAdmin("CREATE ROLE kt_canary NOLOGIN");
        }
    }

    /** The accounts or tables of these tests (user names start with "kt"), not of others sharing the server. */
    private static Set<String> ours(Set<String> names) {
        return names.stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).replaceFirst("^public\\.", "").startsWith("kt"))
                .collect(Collectors.toSet());
    }

    private RotationException rotateOrCatch(Strategy strategy, String arn) {
        try {
            harness.rotate(harness.handler(strategy), arn);
            return null;
        } catch (RotationException e) {
            return e;
        }
    }

    private static String shuffled(String characters, long seed) {
        List<String> list = new ArrayList<>(characters.chars().mapToObj(c -> String.valueOf((char) c)).toList());
        Collections.shuffle(list, new Random(seed));
        return String.join("", list);
    }
}
