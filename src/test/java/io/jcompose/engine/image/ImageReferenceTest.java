package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String D = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest, busybox:latest, registry-1.docker.io",
            "busybox:1.36, docker.io/library/busybox:1.36, busybox:1.36, registry-1.docker.io",
            "user/app, docker.io/user/app:latest, user/app:latest, registry-1.docker.io",
            "docker.io/library/redis:7, docker.io/library/redis:7, redis:7, registry-1.docker.io",
            "index.docker.io/library/redis, docker.io/library/redis:latest, redis:latest, registry-1.docker.io",
            "localhost/app, localhost/app:latest, localhost/app:latest, localhost",
            "localhost:5000/a/b/c:v1, localhost:5000/a/b/c:v1, localhost:5000/a/b/c:v1, localhost:5000",
            "127.0.0.1:5000/app, 127.0.0.1:5000/app:latest, 127.0.0.1:5000/app:latest, 127.0.0.1:5000",
            "ghcr.io/org/tool:1.0-rc_2, ghcr.io/org/tool:1.0-rc_2, ghcr.io/org/tool:1.0-rc_2, ghcr.io",
            "host:5000, docker.io/library/host:5000, host:5000, registry-1.docker.io",
    })
    void normalisesLikeDocker(String in, String full, String familiar, String apiHost) {
        ImageReference r = ImageReference.parse(in);
        assertThat(r.toString()).isEqualTo(full);
        assertThat(r.familiarTagged()).isEqualTo(familiar);
        assertThat(r.apiHost()).isEqualTo(apiHost);
    }

    @org.junit.jupiter.api.Test
    void digestReferencesHaveNoImpliedTag() {
        ImageReference r = ImageReference.parse("busybox@" + D);
        assertThat(r.tag()).isEmpty();
        assertThat(r.toString()).isEqualTo("docker.io/library/busybox@" + D);
        assertThat(r.manifestReference()).isEqualTo(D);
        ImageReference both = ImageReference.parse("localhost:5000/x:1@" + D);
        assertThat(both.tag()).contains("1");
        assertThat(both.manifestReference()).isEqualTo(D);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Busybox", "user/App:1", "busybox:bad tag", "a//b", "busybox@sha256:123", "busybox@md5:" + "ab", "-x/y"})
    void rejectsInvalid(String in) {
        assertThatThrownBy(() -> ImageReference.parse(in)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void uppercaseErrorSaysWhy() {
        assertThatThrownBy(() -> ImageReference.parse("user/App")).hasMessageContaining("must be lowercase");
    }

    @org.junit.jupiter.api.Test
    void loopbackAndInsecureRules() {
        RegistryConfig c = RegistryConfig.of(java.util.Map.of(), java.util.Set.of("reg.lan:5000"));
        assertThat(c.allowsPlainHttp("127.0.0.1:5000")).isTrue();
        assertThat(c.allowsPlainHttp("127.8.9.10")).isTrue();
        assertThat(c.allowsPlainHttp("localhost:1")).isTrue();
        assertThat(c.allowsPlainHttp("[::1]:5000")).isTrue();
        assertThat(c.allowsPlainHttp("reg.lan:5000")).isTrue();
        assertThat(c.allowsPlainHttp("reg.lan")).isFalse();
        assertThat(c.allowsPlainHttp("128.0.0.1:5000")).isFalse();
        assertThat(c.allowsPlainHttp("127.example.com")).isFalse();
    }
}
