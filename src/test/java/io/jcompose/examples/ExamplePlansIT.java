package io.jcompose.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.testing.Exec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Compose file under examples/ loads (`config -q`) and renders a plan (`up --dry-run`) on the built-in
 * engine, changing nothing: a new example is covered the day it is added.
 */
@Tag("integration")
class ExamplePlansIT {
    private static Examples ex;

    @BeforeAll
    static void engine() {
        ex = Examples.start();
    }

    @AfterAll
    static void stop() {
        if (ex != null) ex.close();
    }

    static List<Path> composeFiles() {
        return Examples.composeFiles();
    }

    @Test
    void theExamplesAreFound() {
        assertThat(composeFiles()).extracting(p -> Examples.DIR.relativize(p).toString())
                .contains("quickstart/compose.yaml", "web-stack/compose.yaml", "ci/compose.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void loadsAndRendersAPlanWithoutChangingAnything(Path file) {
        String project = Examples.project("plan");
        Map<String, String> env = Map.of();
        ex.ok(env, "-f", file.toString(), "-p", project, "config", "-q");
        Exec.Result plan = ex.ok(env, "-f", file.toString(), "-p", project, "up", "--dry-run");
        assertThat(plan.out()).as("plan of " + file).contains("create container " + project + "-");
        assertThat(ex.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).out()).as("containers").isBlank();
        assertThat(ex.docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project).out()).as("networks").isBlank();
        assertThat(ex.docker("volume", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project).out()).as("volumes").isBlank();
    }
}
