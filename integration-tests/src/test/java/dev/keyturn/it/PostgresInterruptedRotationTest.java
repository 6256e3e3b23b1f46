package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.RotationException;
import dev.keyturn.core.RotationHandler;
import dev.keyturn.core.RotationStep;
import dev.keyturn.core.Strategy;
import dev.keyturn.core.testing.CrashingEngine;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rotation stopped part-way, then retried whole with the same token, as Secrets Manager does after
 * a failed step. The stop inside setSecret, after the database took the new password and before the
 * step returned, uses {@link CrashingEngine}: a test double wrapped around the real engine,
 * because nothing real can stop a function at that point on purpose.
 */
class PostgresInterruptedRotationTest extends PostgresRotationTestBase {

    /** Where the first attempt stops. */
    enum Interruption {
        AFTER_CREATE_SECRET(RotationStep.CREATE_SECRET),
        INSIDE_SET_SECRET(null),
        AFTER_SET_SECRET(RotationStep.SET_SECRET),
        AFTER_TEST_SECRET(RotationStep.TEST_SECRET),
        AFTER_FINISH_SECRET(RotationStep.FINISH_SECRET);

        private final RotationStep lastStepRun;

        Interruption(RotationStep lastStepRun) {
            this.lastStepRun = lastStepRun;
        }
    }

    static Stream<Arguments> interruptions() {
        return Stream.of(Strategy.SINGLE_USER, Strategy.ALTERNATING_USERS)
                .flatMap(strategy -> Arrays.stream(Interruption.values()).map(point -> Arguments.of(strategy, point)));
    }

    @ParameterizedTest(name = "{0}, stopped {1}")
    @MethodSource("interruptions")
    void an_interrupted_rotation_completes_when_retried_with_the_same_token(Strategy strategy,
            Interruption interruption) throws SQLException {
        // given
        TestUser user = harness.newUser("kt_stop");
        String arn = harness.secretFor(user, strategy);
        String token = harness.startRotation(arn);

        // when the first attempt stops
        stopAt(interruption, strategy, arn, token);

        // then someone can still log in
        assertThat(harness.currentOrPendingLogsIn(arn, token)).as("AWSCURRENT or AWSPENDING logs in").isTrue();

        // when Secrets Manager retries the whole rotation, in a new container
        harness.runAllSteps(harness.handler(strategy), arn, token);

        // then the rotation is complete and nobody is locked out
        DatabaseSecret current = harness.current(arn);
        assertThat(harness.stagesOf(arn, token)).contains("AWSCURRENT");
        assertThat(harness.logsIn(current)).as("AWSCURRENT logs in").isTrue();
        assertThat(harness.previous(arn).password()).isEqualTo(user.password());
        if (strategy == Strategy.SINGLE_USER) {
            assertThat(postgres.canLogin(user.name(), user.password())).as("the replaced password").isFalse();
        } else {
            assertThat(current.username()).isEqualTo(user.name() + "_clone");
            assertThat(postgres.canLogin(user.name(), user.password())).as("the original user").isTrue();
        }
    }

    private void stopAt(Interruption interruption, Strategy strategy, String arn, String token) {
        CrashingEngine crashing = new CrashingEngine(postgres.engine());
        RotationHandler firstAttempt = harness.handler(harness.settings(strategy), crashing);
        if (interruption == Interruption.INSIDE_SET_SECRET) {
            harness.step(firstAttempt, RotationStep.CREATE_SECRET, arn, token);
            crashing.crashAfterNextChange();
            assertThatThrownBy(() -> harness.step(firstAttempt, RotationStep.SET_SECRET, arn, token))
                    .isInstanceOf(RotationException.class);
            assertThat(crashing.crashes()).isEqualTo(1);
            return;
        }
        for (RotationStep step : RotationStep.values()) {
            harness.step(firstAttempt, step, arn, token);
            if (step == interruption.lastStepRun) {
                return;
            }
        }
    }
}
