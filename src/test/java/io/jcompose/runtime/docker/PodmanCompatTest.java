package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.reconcile.Observed;
import org.junit.jupiter.api.Test;

/** What Podman's compatible API answers differently from dockerd, as seen by the smoke test. */
class PodmanCompatTest {
    @Test
    void anEmptyHealthStatusMeansNoHealthCheck() throws Exception {
        var podman = new ObjectMapper().readTree("{\"Status\":\"running\",\"Running\":true,\"Health\":{\"Status\":\"\",\"FailingStreak\":0,\"Log\":null}}");
        assertThat(InfoJson.state(podman).health()).isEmpty();
        var docker = new ObjectMapper().readTree("{\"Status\":\"running\",\"Running\":true,\"Health\":{\"Status\":\"starting\",\"FailingStreak\":0,\"Log\":[]}}");
        assertThat(InfoJson.state(docker).health()).hasValueSatisfying(h -> assertThat(h.status()).isEqualTo("starting"));
    }

    @Test
    void fullyQualifiedDockerHubNamesMatchTheFamiliarOnes() {
        assertThat(Observed.normalise("docker.io/library/busybox:latest")).isEqualTo("busybox:latest");
        assertThat(Observed.normalise("docker.io/library/busybox")).isEqualTo("busybox:latest");
        assertThat(Observed.normalise("docker.io/me/app:1")).isEqualTo("me/app:1");
        assertThat(Observed.normalise("localhost/busybox:latest")).isEqualTo("localhost/busybox:latest");
        assertThat(Observed.normalise("127.0.0.1:5000/x")).isEqualTo("127.0.0.1:5000/x:latest");
    }
}
