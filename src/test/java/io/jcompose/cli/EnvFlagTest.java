package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code run -e}/{@code exec -e}: explicit values, and bare names resolved the way the verb says. */
class EnvFlagTest {

    @Test
    void aBareNameTakesItsValueFromTheResolverAndIsDroppedWhenUnset() {
        Map<String, String> env = Map.of("WHEREAMI", "shell", "EMPTY", "");
        assertThat(ExecCommand.envMap(List.of("WHEREAMI", "EMPTY", "UNSET", "X=1", "Y=a=b", "Z="), env::get))
                .containsExactly(Map.entry("EMPTY", ""), Map.entry("WHEREAMI", "shell"), Map.entry("X", "1"),
                        Map.entry("Y", "a=b"), Map.entry("Z", ""));
    }

    @Test
    void aMissingNameIsASyntaxError() {
        assertThatThrownBy(() -> ExecCommand.envMap(List.of("=x"), k -> null))
                .isInstanceOf(CliException.class).hasMessageContaining("invalid environment variable \"=x\"");
    }
}
