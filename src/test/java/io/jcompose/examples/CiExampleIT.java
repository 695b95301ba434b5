package io.jcompose.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.testing.Exec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * examples/ci/run-ci.sh as a CI job runs it, against the built-in engine: a passing smoke test exits 0, a failing
 * one exits with the test's own code (3), and either way the stack is gone afterwards, volumes included.
 */
@Tag("integration")
// The default budget (300 s) assumes the web-stack images are in the test cache: .ci/run builds them up front with
// examples/web-stack/make-images.sh --build-only (≈6 min cold); run that first on a new machine. With the cache:
// CiExampleIT 135 s, WebStackIT 83 s at load 5–10 (one run of both with ExamplePlansIT); up to 230 s at load 25.
class CiExampleIT {
    private static Examples ex;

    @BeforeAll
    static void engine() {
        ex = Examples.start();
    }

    @AfterAll
    static void stop() {
        if (ex != null) ex.close();
    }

    private Exec.Result runCi(String project, Map<String, String> extra) {
        Examples.webStackImages();
        Map<String, String> env = new TreeMap<>(ex.env(extra));
        env.put("JCOMPOSE", String.join(" ", Examples.jcomposeCommand()));
        env.put("COMPOSE_PROJECT_NAME", project);
        env.put("WEB_PORT", String.valueOf(Examples.freePort()));
        return Exec.run(List.of(Examples.DIR.resolve("ci/run-ci.sh").toString()), env, Duration.ofMinutes(5));
    }

    private static void nothingLeft(String project) {
        assertThat(ex.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).out()).as("containers").isBlank();
        assertThat(ex.docker("volume", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project).out()).as("volumes").isBlank();
        assertThat(ex.docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project).out()).as("networks").isBlank();
    }

    @Test
    void aPassingTestExitsZeroAndTakesTheStackDown() {
        String project = Examples.project("ci-pass");
        Exec.Result r = runCi(project, Map.of());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS http://web/: redis hits 1 -> 2, postgres visits 1 -> 2");
        nothingLeft(project);
    }

    @Test
    void aFailingTestsExitCodeIsPropagated() {
        String project = Examples.project("ci-fail");
        Exec.Result r = runCi(project, Map.of("SMOKE_PATH", "/no-such-page"));
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out()).contains("FAIL GET http://web/no-such-page: 404");
        // The job shows the stack's logs on failure: here the app's own line for the request that failed.
        assertThat(r.err()).contains("tests failed (exit 3)").contains("\"GET /no-such-page HTTP/1.0\" 404");
        nothingLeft(project);
    }
}
