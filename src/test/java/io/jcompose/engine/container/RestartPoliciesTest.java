package io.jcompose.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPoliciesTest {
    static ContainerSpec.RestartPolicy p(String name, int max) {
        return new ContainerSpec.RestartPolicy(name, max);
    }

    @Test
    void dockerRules() {
        assertThat(RestartPolicies.shouldRestart(p("no", 0), 1, 0, false)).isFalse();
        assertThat(RestartPolicies.shouldRestart(p("always", 0), 0, 99, false)).isTrue();
        assertThat(RestartPolicies.shouldRestart(p("always", 0), 0, 0, true)).as("manual stop wins").isFalse();
        assertThat(RestartPolicies.shouldRestart(p("unless-stopped", 0), 0, 0, false)).isTrue();
        assertThat(RestartPolicies.shouldRestart(p("on-failure", 0), 0, 0, false)).as("exit 0").isFalse();
        assertThat(RestartPolicies.shouldRestart(p("on-failure", 0), 1, 50, false)).as("no limit").isTrue();
        assertThat(RestartPolicies.shouldRestart(p("on-failure", 2), 1, 1, false)).isTrue();
        assertThat(RestartPolicies.shouldRestart(p("on-failure", 2), 1, 2, false)).isFalse();
        assertThatThrownBy(() -> p("sometimes", 0)).hasMessageContaining("invalid restart policy 'sometimes'");
    }

    @Test
    void backOffDoublesAndResetsAfterALongRun() {
        assertThat(RestartPolicies.delay(0, Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartPolicies.delay(3, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(800));
        assertThat(RestartPolicies.delay(30, Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RestartPolicies.delay(30, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void logSizes() {
        assertThat(ContainerService.parseSize("10m")).isEqualTo(10L * 1024 * 1024);
        assertThat(ContainerService.parseSize("1k")).isEqualTo(1024);
        assertThat(ContainerService.parseSize("2GB")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(ContainerService.parseSize("")).isEqualTo(-1);
        assertThatThrownBy(() -> ContainerService.parseSize("lots")).hasMessageContaining("invalid log max-size 'lots'");
    }
}
