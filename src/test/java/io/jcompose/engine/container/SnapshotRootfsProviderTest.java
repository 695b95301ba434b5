package io.jcompose.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.engine.image.ImageService;
import io.jcompose.engine.image.Platform;
import io.jcompose.engine.image.RegistryClient;
import io.jcompose.engine.image.RegistryConfig;
import io.jcompose.engine.snapshot.Snapshotter;
import io.jcompose.testing.Infra;
import io.jcompose.testing.TestImages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The production seam: a container whose rootfs comes from engine.image + engine.snapshot, in process. */
@Tag("integration")
class SnapshotRootfsProviderTest {
    @Test
    void containerRunsOnAnImportedImageAndLeavesNoSnapshot() throws Exception {
        Infra.requireRoot();
        Infra.requireBinary("conmon");
        Path root = Files.createTempDirectory(Path.of("/tmp"), "jcs-");
        Snapshotter snaps = new Snapshotter(root.resolve("snapshots"));
        try (ImageService images = new ImageService(root.resolve("images"), new RegistryClient(RegistryConfig.defaults()), snaps::layerInUse)) {
            Path layout = TestImages.layout("busybox");
            JsonNode index = new ObjectMapper().readTree(layout.resolve("index.json").toFile());
            JsonNode manifest = new ObjectMapper().readTree(layout.resolve("blobs/sha256/"
                    + index.at("/manifests/0/digest").asText().substring(7)).toFile());
            Path layer = layout.resolve("blobs/sha256/" + manifest.at("/layers/0/digest").asText().substring(7));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
                images.importRootfs(in, Optional.of("busybox:latest"), Platform.host());
            }
            SnapshotRootfsProvider provider = new SnapshotRootfsProvider(images, snaps, root.resolve("mounts"));
            assertThatThrownBy(() -> provider.inspect("nosuch:1")).isInstanceOf(RootfsProvider.ImageNotFoundException.class);
            try (ContainerService s = ContainerService.open(new ContainerService.Settings(root, "abc123", "", false), provider, new EventBus())) {
                ContainerSpec spec = ContainerJson.MAPPER.readValue(
                        "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"head -1 /etc/passwd; exit 6\"]}", ContainerSpec.class);
                ContainerRecord r = s.create("snap", spec);
                var exit = s.nextExit(r.id());
                s.start(r.id());
                assertThat(exit.get(30, TimeUnit.SECONDS).exitCode()).isEqualTo(6);
                assertThat(LogFile.parse(Files.readAllLines(s.logPath(r.id()))))
                        .extracting(LogFile.Entry::text).containsExactly("root:x:0:0:root:/root:/bin/sh\n");
                s.remove(r.id(), false);
                assertThat(snaps.list()).isEmpty();
                assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(" " + root + "/");
            }
        } finally {
            if (!Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + root + "/")) {
                try (var w = Files.walk(root)) {
                    for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        }
    }
}
