package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.InvalidSecretException;
import dev.keyturn.core.RotationException;
import dev.keyturn.core.RotationStep;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User names and passwords chosen to break statements. MySQL-family servers take every one of these
 * names, and all fit MySQL's 32 characters with the clone suffix; the function refuses the ones with
 * a quote or a backslash before anything changes, and rotates the others. Either way no account or
 * table appears or disappears that the rotation did not mean to create, and the canary account and
 * table the injected statements name are still there. Only names starting with "kt" are compared:
 * other test runs may share the server.
 */
abstract class MySqlFamilyHostileInputScenarios extends MySqlFamilyRotationTestBase {
    /** The characters the function refuses in user names, for every engine. */
    private static final String QUOTING_CHARACTERS = "'\"`\\";

    static Stream<Arguments> hostileNames() {
        List<String> names = List.of("kt'q", "kt\"dq", "kt\\bs", "kt`bt", "kt sp ace", "kt_Ünï名", "kt;DROP--",
                "kt?@?", "kt%_", "kt/*x*/");
        return Stream.of(Strategy.SINGLE_USER, Strategy.ALTERNATING_USERS)
                .flatMap(strategy -> names.stream().map(name -> Arguments.of(strategy, name)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileNames")
    void a_hostile_user_name_rotates_or_is_refused_cleanly(Strategy strategy, String prefix)
            throws SQLException {
        // given an account and a table that an injected statement would drop
        createCanaries();
        TestUser user = harness.newUser(prefix + "_" + RotationHarness.randomHex(3), "Init-" + RotationHarness
                .randomHex(8));
        String arn = harness.secretFor(user, strategy);
        Set<String> accountsBefore = ours(db.accounts());
        Set<String> tablesBefore = ours(db.tables());
        boolean refused = user.name().chars().anyMatch(c -> QUOTING_CHARACTERS.indexOf(c) >= 0);

        // when
        RotationException refusal = rotateOrCatch(strategy, arn);

        // then
        DatabaseSecret current = harness.current(arn);
        assertThat(harness.logsIn(current)).as("AWSCURRENT logs in").isTrue();
        Set<String> expectedAccounts = new HashSet<>(accountsBefore);
        if (refused) {
            assertThat(refusal).isInstanceOf(InvalidSecretException.class).hasMessageContaining("quote");
            assertThat(current.password()).isEqualTo(user.password());
        } else if (strategy == Strategy.ALTERNATING_USERS) {
            assertThat(refusal).isNull();
            assertThat(current.username()).isEqualTo(user.name() + "_clone");
            expectedAccounts.add(current.username() + "@%");
            assertThat(db.grantsWithoutGrantee(current.username()))
                    .containsExactlyInAnyOrderElementsOf(db.grantsWithoutGrantee(user.name()));
        } else {
            assertThat(refusal).isNull();
            assertThat(db.canLogin(user.name(), user.password())).isFalse();
        }
        assertThat(ours(db.accounts())).containsExactlyInAnyOrderElementsOf(expectedAccounts)
                .contains("kt_canary@%");
        assertThat(ours(db.tables())).containsExactlyInAnyOrderElementsOf(tablesBefore).contains(canaryTable());
    }

    /** MySQL and MariaDB compare user names ignoring trailing spaces: 'kt ' would reach the account 'kt'. */
    @Test
    void a_user_name_with_a_trailing_space_is_refused_before_anything_changes() throws SQLException {
        // given an account, and a secret naming it with a space after the name
        TestUser user = harness.newUser("kt_trail");
        String arn = harness.createSecret(db.secret(user.name() + " ", user.password()));
        String token = harness.startRotation(arn);

        // when, then
        assertThatThrownBy(() -> harness.step(harness.handler(Strategy.SINGLE_USER), RotationStep.CREATE_SECRET,
                arn, token))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("ends with a space");
        assertThat(harness.pending(arn, token)).isEmpty();
        assertThat(db.canLogin(user.name(), user.password())).isTrue();
    }

    static Stream<String> hostilePasswords() {
        String printable = IntStream.rangeClosed(0x20, 0x7e).mapToObj(c -> String.valueOf((char) c))
                .collect(Collectors.joining());
        return Stream.of(printable, shuffled(printable, 1), shuffled(printable, 2),
                "'; DROP USER keyturn_admin; --", "\\'\"`?@? %s \\\\ --", "  spaces around  ", "a'b\"c\\d/e@f g");
    }

    @ParameterizedTest
    @MethodSource("hostilePasswords")
    void a_current_password_of_any_printable_characters_is_replaced(String hostilePassword) throws SQLException {
        // given a user whose AWSCURRENT password is hostile
        TestUser user = harness.newUser("kt_pw_" + RotationHarness.randomHex(4), hostilePassword);
        String arn = harness.secretFor(user, Strategy.SINGLE_USER);
        Set<String> accountsBefore = ours(db.accounts());
        Set<String> tablesBefore = ours(db.tables());

        // when
        harness.rotate(harness.handler(Strategy.SINGLE_USER), arn);

        // then
        assertThat(harness.logsIn(harness.current(arn))).isTrue();
        assertThat(db.canLogin(user.name(), hostilePassword)).isFalse();
        assertThat(harness.previous(arn).password()).isEqualTo(hostilePassword);
        assertThat(ours(db.accounts())).containsExactlyInAnyOrderElementsOf(accountsBefore);
        assertThat(ours(db.tables())).containsExactlyInAnyOrderElementsOf(tablesBefore);
    }

    private RotationException rotateOrCatch(Strategy strategy, String arn) {
        try {
            harness.rotate(harness.handler(strategy), arn);
            return null;
        } catch (RotationException e) {
            return e;
        }
    }

    private void createCanaries() throws SQLException {
        db.asAdmin("CREATE TABLE IF NOT EXISTS " + db.quotedDatabase() + ".kt_canary (n INT)");
        if (!db.accounts().contains("kt_canary@%")) {
            db.asAdmin("CREATE USER IF NOT EXISTS 'kt_canary'@'%' ACCOUNT LOCK");
        }
    }

    private String canaryTable() {
        return db.server().database() + ".kt_canary";
    }

    /** The accounts or tables of these tests (names start with "kt"), not of others sharing the server. */
    private Set<String> ours(Set<String> names) {
        String schema = db.server().database().toLowerCase(Locale.ROOT) + ".";
        return names.stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).replace(schema, "").startsWith("kt"))
                .collect(Collectors.toSet());
    }

    private static String shuffled(String characters, long seed) {
        List<String> list = new ArrayList<>(characters.chars().mapToObj(c -> String.valueOf((char) c)).toList());
        Collections.shuffle(list, new Random(seed));
        return String.join("", list);
    }
}
