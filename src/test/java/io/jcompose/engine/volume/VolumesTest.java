package io.jcompose.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store: records on disk, idempotent create, refs persisted, recovery skips what it cannot read. */
class VolumesTest {
    Path root;
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T05:25:57.987Z"), ZoneOffset.UTC);

    @BeforeEach
    void setUp() throws Exception {
        root = VolumeTestRoot.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        VolumeTestRoot.delete(root);
    }

    @Test
    void recordOnDiskAndIdempotentCreate() throws Exception {
        Volumes v = Volumes.open(root.resolve("volumes"), clock);
        Volume a = v.create("app_data.1", null, Map.of(), Map.of("k", "v"));
        assertThat(a.createdAt()).isEqualTo("2026-11-23T05:25:57Z");
        assertThat(Files.readString(root.resolve("volumes/app_data.1/volume.json"))).contains("\"name\" : \"app_data.1\"", "\"k\" : \"v\"");
        assertThat(v.create("app_data.1", "local", Map.of("type", "tmpfs"), Map.of())).isEqualTo(a);
        assertThatThrownBy(() -> v.create("x", "", Map.of(), Map.of())).hasMessageContaining("volume name is too short");
        assertThatThrownBy(() -> v.create("-x", "", Map.of(), Map.of())).hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> v.create("ok", "nfs-plugin", Map.of(), Map.of()))
                .hasMessage("create ok: error looking up volume plugin nfs-plugin: plugin \"nfs-plugin\" not found");
        assertThatThrownBy(() -> v.create("ok", "", Map.of("type", "none"), Map.of()))
                .hasMessage("create ok: missing required option: \"device\"");
        assertThatThrownBy(() -> v.create("ok", "", Map.of("size", "1g"), Map.of()))
                .hasMessage("create ok: quota size requested but no quota support");
    }

    @Test
    void refsSurviveReopenAndUnreadableDirectoriesAreSkipped() throws Exception {
        Volumes v = Volumes.open(root.resolve("volumes"), clock);
        v.create("kept", "", Map.of(), Map.of());
        v.ref("kept", "c1");
        v.ref("kept", "c1");
        v.ref("kept", "c2");
        Files.createDirectories(root.resolve("volumes/norecord/_data"));
        Files.createDirectories(root.resolve("volumes/broken"));
        Files.writeString(root.resolve("volumes/broken/volume.json"), "{not json");
        Volumes again = Volumes.open(root.resolve("volumes"), clock);
        assertThat(again.list()).extracting(Volume::name).containsExactly("kept");
        assertThat(again.get("kept").refs()).containsExactly("c1", "c2");
        assertThatThrownBy(() -> again.remove("kept", true)).hasMessage("remove kept: volume is in use - [c1 c2]");
        again.unref("kept", "c1");
        again.unref("kept", "c2");
        again.remove("kept", false);
        assertThat(root.resolve("volumes/kept")).doesNotExist();
        assertThat(root.resolve("volumes/broken/volume.json")).exists(); // left for a person, never deleted
    }

    @Test
    void pruneRemovesOnlyUnusedSelectedVolumesAndCountsTheirBytes() throws Exception {
        Volumes v = Volumes.open(root.resolve("volumes"), clock);
        v.create("used", "", Map.of(), Map.of());
        v.ref("used", "c1");
        Volume anon = v.create("", "", Map.of(), Map.of());
        v.create("named", "", Map.of(), Map.of());
        Files.writeString(v.mountpoint(anon.name()).resolve("f"), "1234567");
        Volumes.Pruned p = v.prune(Volume::anonymous);
        assertThat(p.names()).containsExactly(anon.name());
        assertThat(p.spaceReclaimed()).isEqualTo(7);
        assertThat(v.prune(x -> true).names()).containsExactly("named");
        assertThat(v.list()).extracting(Volume::name).containsExactly("used");
    }

    @Test
    void twoContainersCreatedAtOnceCopyUpOnce() throws Exception {
        Volumes v = Volumes.open(root.resolve("volumes"), clock);
        MountResolver r = new MountResolver(v);
        Path rootfs = Files.createDirectories(root.resolve("rootfs/data"));
        for (int i = 0; i < 200; i++) Files.writeString(rootfs.resolve("f" + i), "x" + i);
        ContainerMounts m = new ContainerMounts(List.of("shared:/data"), null, null, null, null, "");
        var a = CompletableFuture.runAsync(() -> r.resolve("a", m, root.resolve("rootfs"), id -> java.util.Optional.empty()));
        var b = CompletableFuture.runAsync(() -> r.resolve("b", m, root.resolve("rootfs"), id -> java.util.Optional.empty()));
        a.join();
        b.join();
        try (var s = Files.list(v.mountpoint("shared"))) {
            assertThat(s.count()).isEqualTo(200);
        }
        assertThat(v.get("shared").refs()).containsExactly("a", "b");
    }
}
