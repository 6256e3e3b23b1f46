package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ForwardingDatabaseEngineTest {

    /** A method added to the interface must reach wrapped engines, default methods included. */
    @Test
    void forwards_every_method_of_the_engine_interface() {
        for (Method method : DatabaseEngine.class.getMethods()) {
            assertThat(ForwardingDatabaseEngine.class.getDeclaredMethods())
                    .as(method.getName())
                    .anyMatch(own -> own.getName().equals(method.getName())
                            && Arrays.equals(own.getParameterTypes(), method.getParameterTypes()));
        }
    }

    @Test
    void a_wrapper_changes_only_what_it_overrides() {
        // given an engine double wrapped so that it serves another engine value
        InMemoryDatabaseEngine real = new InMemoryDatabaseEngine();
        DatabaseEngine wrapper = new ForwardingDatabaseEngine(real) {
            @Override
            public String name() {
                return "wrapped";
            }
        };

        // then
        assertThat(wrapper.name()).isEqualTo("wrapped");
        assertThat(wrapper.defaultPort()).isEqualTo(real.defaultPort());
        assertThat(wrapper.passwordRules()).isEqualTo(real.passwordRules());
        assertThat(wrapper.cloneSuffix()).isEqualTo(real.cloneSuffix());
    }
}
