package io.jcompose.testing;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The real-software test images (mmdebstrap, cached) and the alpine look-alike, run by dockerd. */
@Tag("integration")
@TimeBudget(seconds = 900) // the first run builds two Debian root file systems; cached runs take seconds
class TestImagesIT {
    static Dockerd dockerd;

    @BeforeAll static void infra() {
        Infra.requireRoot();
        dockerd = Dockerd.shared();
    }

    @Test void layoutsAreCachedByRecipeHash() {
        Path a = TestImages.layout("alpine");
        assertThat(a.getParent()).isEqualTo(TestImages.cacheDir());
        assertThat(a.getFileName().toString()).startsWith("alpine-");
        assertThat(TestImages.layout("alpine")).isEqualTo(a);
        assertThat(Files.exists(a.resolve("recipe.txt"))).isTrue();
        assertThat(TestImages.recipe("alpine")).isNotEqualTo(TestImages.recipe("busybox"));
    }

    @Test void alpineLookAlike() {
        String ref = TestImages.pullIntoDockerd("alpine");
        Exec.Result r = dockerd.docker("run", "--rm", "--label", Dockerd.TEST_LABEL, ref,
                "sh", "-c", ". /etc/os-release; echo $ID; cat /etc/alpine-release").check();
        assertThat(r.out()).isEqualTo("alpine\n3.19.0\n");
        // printenv as Alpine's: the named values, exit 1 when one is unset, the whole environment without names.
        Exec.Result p = dockerd.docker("run", "--rm", "--label", Dockerd.TEST_LABEL, "-e", "A=x y", ref, "printenv", "A", "NOPE");
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(p.out()).isEqualTo("x y\n");
        assertThat(dockerd.docker("run", "--rm", "--label", Dockerd.TEST_LABEL, "-e", "A=1", ref, "printenv").check().out()).contains("A=1\n");
    }

    @Test void redisAnswersPing() {
        String ref = TestImages.pullIntoDockerd("redis");
        String id = dockerd.docker("run", "-d", "--label", Dockerd.TEST_LABEL, ref).check().out().strip();
        try {
            Awaitility.await("redis PONG").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> dockerd.docker("exec", id, "redis-cli", "ping").out().strip().equals("PONG"));
            assertThat(dockerd.docker("exec", id, "id", "-un").check().out().strip()).isEqualTo("redis");
        } finally {
            dockerd.docker("rm", "-f", id);
        }
    }

    @Test void nginxServesItsWelcomePage() {
        String ref = TestImages.pullIntoDockerd("nginx");
        String id = dockerd.docker("run", "-d", "--label", Dockerd.TEST_LABEL, "-p", "127.0.0.1::80", ref).check().out().strip();
        try {
            String port = dockerd.docker("port", id, "80/tcp").check().out().strip().split("\n")[0].replaceAll(".*:", "");
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build();
            Awaitility.await("nginx answers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()).body().contains("Welcome to nginx"));
        } finally {
            dockerd.docker("rm", "-f", id);
        }
    }
}
