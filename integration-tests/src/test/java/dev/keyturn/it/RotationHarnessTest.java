package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.keyturn.core.Strategy;
import dev.keyturn.it.RotationHarness.TestUser;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The harness's own checks must catch what they are there to catch. */
class RotationHarnessTest {
    private final Services services = Services.get();

    @Test
    void assertNoPasswordLeaked_should_fail_when_a_log_line_holds_a_password_in_its_json_form()
            throws SQLException {
        try (RotationHarness harness = new RotationHarness(services, new PostgresUnderTest(services))) {
            // given a password that JSON escapes, and a log line that carries it escaped
            String password = "Leak\"Me\\" + RotationHarness.randomHex(6);
            TestUser user = harness.newUser("kt_leak_" + RotationHarness.randomHex(4), password);
            harness.secretFor(user, Strategy.SINGLE_USER);
            String escaped = password.replace("\\", "\\\\").replace("\"", "\\\"");
            harness.logs().write(LogLevel.INFO, "{\"message\":\"oops " + escaped + "\"}");

            // when, then
            assertThatThrownBy(harness::assertNoPasswordLeaked)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("appears in the function's log lines")
                    .hasMessageNotContaining(password);
        }
    }
}
