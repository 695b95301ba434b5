package io.jcompose.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start path of the dockerd fixture (the one CI takes when no daemon answers), proven with a second,
 * isolated daemon beside the developer's: own socket, data and exec roots, no bridge, no iptables.
 */
@Tag("integration")
class DockerdStartIT {
    @Test void startsASecondDaemonAndStopsOnlyThatOne() throws Exception {
        Infra.requireRoot();
        Infra.requireBinary("dockerd");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jc-ds-");
        try {
            Path sock = dir.resolve("docker.sock");
            Dockerd d = Dockerd.startOrReuse(Path.of("dockerd"), sock, Duration.ofSeconds(60));
            assertThat(d.startedByUs()).isTrue();
            assertThat(UnixHttp.get(sock, "/_ping").body()).isEqualTo("OK");
            assertThat(d.docker("info", "--format", "{{.ServerVersion}}").check().out()).isNotBlank();
            // Reusing: a second call finds it answering and does not start (or own) another.
            assertThat(Dockerd.startOrReuse(Path.of("/bin/false"), sock, Duration.ofSeconds(5)).startedByUs()).isFalse();
            d.stop();
            assertThat(UnixHttp.pingOk(sock)).isFalse();
        } finally {
            TestFiles.deleteTree(dir, Path.of("/tmp"));
        }
        assertThat(UnixHttp.pingOk(Dockerd.DEFAULT_SOCKET)).as("the developer's dockerd is untouched").isEqualTo(
                java.nio.file.Files.exists(Dockerd.DEFAULT_SOCKET));
    }
}
