package dev.keyturn.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without the local services, tests must fail and say how to start them, never pass by skipping. */
class LocalServicesTest {

    @Test
    void postgres_should_fail_with_the_command_to_run_when_the_services_were_never_started(@TempDir Path root) {
        LocalServices services = new LocalServices(root);

        assertThatThrownBy(services::postgres)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running")
                .hasMessageContaining("scripts/test-services");
    }

    @Test
    void tls_should_fail_the_same_way(@TempDir Path root) {
        LocalServices services = new LocalServices(root);

        assertThatThrownBy(services::tls).hasMessageContaining("scripts/test-services");
    }
}
