package io.jcompose.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * examples/web-stack on the built-in engine, its images pulled through the docker.io mirror: nginx → app → redis +
 * postgres answers through the published port, and postgres' named volume outlives `down` (redis, without one,
 * starts from zero).
 */
@Tag("integration")
// The default budget (300 s) assumes the web-stack images are in the test cache: .ci/run builds them up front with
// examples/web-stack/make-images.sh --build-only (≈6 min cold); run that first on a new machine. With the cache:
// CiExampleIT 135 s, WebStackIT 83 s at load 5–10 (one run of both with ExamplePlansIT); up to 230 s at load 25.
class WebStackIT {
    private static Examples ex;
    private final String file = Examples.DIR.resolve("web-stack/compose.yaml").toString();
    private final String project = Examples.project("webstack");
    private final int port = Examples.freePort();
    private final Map<String, String> env = Map.of("WEB_PORT", String.valueOf(port));

    @BeforeAll
    static void engine() {
        ex = Examples.start();
    }

    @AfterAll
    static void stop() {
        if (ex != null) ex.close();
    }

    @AfterEach
    void down() {
        if (ex != null) ex.jcompose(env, "-f", file, "-p", project, "down", "-v", "-t", "5");
    }

    @Test
    void answersThroughNginxAndKeepsPostgresDataAcrossDownAndUp() {
        Examples.webStackImages();
        ex.ok(env, "-f", file, "-p", project, "up", "-d", "--wait");
        assertThat(Examples.get(port, "/")).isEqualTo("200 hello from the web-stack: redis hits=1, postgres visits=1\n");
        assertThat(Examples.get(port, "/")).isEqualTo("200 hello from the web-stack: redis hits=2, postgres visits=2\n");
        assertThat(Examples.get(port, "/healthz")).isEqualTo("200 ok\n");

        ex.ok(env, "-f", file, "-p", project, "down", "-t", "5");
        assertThat(ex.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).out()).as("containers after down").isBlank();
        assertThat(ex.docker("volume", "ls", "-q").out()).as("volumes after down").contains(project + "_pgdata");

        ex.ok(env, "-f", file, "-p", project, "up", "-d", "--wait");
        // A new redis container starts empty; postgres finds its data in the volume.
        assertThat(Examples.get(port, "/")).isEqualTo("200 hello from the web-stack: redis hits=1, postgres visits=3\n");

        ex.ok(env, "-f", file, "-p", project, "down", "-v", "-t", "5");
        assertThat(ex.docker("volume", "ls", "-q").out()).as("volumes after down -v").doesNotContain(project + "_pgdata");
    }
}
