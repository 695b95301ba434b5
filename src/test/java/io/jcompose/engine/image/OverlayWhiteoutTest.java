package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.engine.snapshot.Mount;
import io.jcompose.engine.snapshot.Mounter;
import io.jcompose.engine.snapshot.SnapshotException;
import io.jcompose.engine.snapshot.Snapshotter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whiteouts and opaque dirs as unpacked by LayerStore, seen through a real overlay mount. */
@Tag("integration")
class OverlayWhiteoutTest {
    @TempDir Path tmp;

    @Test
    void whiteoutsAndOpaqueDirsHideLowerContent() throws IOException {
        Infra.require(Infra.isRoot(), "root (mount)");
        LayerStore layers = new LayerStore(tmp);
        byte[] l1 = new TarFixture().dir("a", 0755).file("a/x", "x", 0644).file("a/y", "y", 0644)
                .dir("d", 0755).file("d/keep", "k", 0644).file("d/sub/deep", "deep", 0644).tar();
        byte[] l2 = new TarFixture().file("a/.wh.x", "", 0644).dir("d", 0755).file("d/.wh..wh..opq", "", 0644)
                .file("d/new", "n", 0644).gzip();
        Path d1 = layers.unpack(Digest.of(l1), () -> new ByteArrayInputStream(l1));
        Path d2 = layers.unpack(Digest.of(LayerUnpacker.decompress(new ByteArrayInputStream(l2))), () -> new ByteArrayInputStream(l2));
        Snapshotter snaps = new Snapshotter(tmp.resolve("snap"));
        Mount m = snaps.prepare("c1", List.of(d1, d2));
        String[] lowers = m.option("lowerdir").split(":");
        assertThat(Path.of(lowers[0]).toRealPath()).isEqualTo(d2.toRealPath()); // top first
        assertThat(Path.of(lowers[1]).toRealPath()).isEqualTo(d1.toRealPath());
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        Mounter.mount(m, merged);
        try {
            assertThat(Mounter.isMounted(merged)).isTrue();
            assertThat(merged.resolve("a/x")).doesNotExist();
            assertThat(merged.resolve("a/y")).hasContent("y");
            assertThat(merged.resolve("d/keep")).doesNotExist();
            assertThat(merged.resolve("d/sub")).doesNotExist();
            assertThat(merged.resolve("d/new")).hasContent("n");
            Files.writeString(merged.resolve("a/z"), "written");
            Files.delete(merged.resolve("a/y"));
            Path upper = snaps.upperDir("c1");
            assertThat(upper.resolve("a/z")).hasContent("written");
            assertThat(((int) Files.getAttribute(upper.resolve("a/y"), "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000).isEqualTo(0020000);
            assertThat(snaps.layerInUse(d1)).isTrue();
            assertThatThrownBy(() -> snaps.remove("c1")).isInstanceOf(SnapshotException.class).hasMessageContaining("mounted");
            assertThat(d1.resolve("a/y")).hasContent("y"); // lower layers are never written
        } finally {
            Mounter.unmount(merged);
        }
        assertThat(Mounter.isMounted(merged)).isFalse();
        snaps.remove("c1");
        assertThat(snaps.layerInUse(d1)).isFalse();
        assertThat(snaps.list()).isEmpty();
    }

    @Test
    void imageRemovalKeepsLayersASnapshotUses() throws IOException {
        Infra.require(Infra.isRoot(), "root");
        Snapshotter snaps = new Snapshotter(tmp.resolve("snap"));
        try (ImageService s = new ImageService(tmp.resolve("engine"), new RegistryClient(RegistryConfig.defaults()), snaps::layerInUse)) {
            String id = s.importRootfs(TestImage.stream(new TarFixture().file("f", "1", 0644).tar()), java.util.Optional.of("keep:1"), Platform.host());
            List<Path> dirs = s.layerDirs(id);
            snaps.prepare("ctr", dirs);
            assertThat(s.remove("keep:1", false, x -> false)).containsExactly(java.util.Map.of("Untagged", "keep:1"), java.util.Map.of("Deleted", id));
            assertThat(dirs.get(0).resolve("f")).hasContent("1"); // still there: the snapshot uses it
            snaps.remove("ctr");
        }
    }
}
