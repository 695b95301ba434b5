package io.jcompose.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {
    @TempDir Path tmp;

    private List<Path> layers(int n) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path d = Files.createDirectories(tmp.resolve("a-rather-long-directory-name-for-layers").resolve("layer-" + i).resolve("diff"));
            Files.writeString(d.resolve("file-" + i), "layer " + i);
            Files.writeString(d.resolve("shared"), "from " + i);
            out.add(d);
        }
        return out;
    }

    @Test
    void prepareReturnsOverlayOptionsTopFirstAndPersistsReferences() throws IOException {
        Path root = tmp.resolve("snap");
        Snapshotter s = new Snapshotter(root);
        List<Path> ls = layers(3);
        Mount m = s.prepare("c1", ls);
        assertThat(m.type()).isEqualTo("overlay");
        assertThat(m.options()).hasSize(3);
        String[] lowers = m.option("lowerdir").split(":");
        assertThat(lowers).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Path.of(lowers[i]).getFileName().toString()).hasSize(8);
            assertThat(Path.of(lowers[i]).toRealPath()).isEqualTo(ls.get(2 - i).toRealPath());
        }
        assertThat(m.option("upperdir")).isEqualTo(root.resolve("snapshots/c1/upper").toString());
        assertThat(m.option("workdir")).isEqualTo(root.resolve("snapshots/c1/work").toString());
        assertThatThrownBy(() -> s.prepare("c1", ls)).isInstanceOf(SnapshotException.class).hasMessageContaining("already exists");
        s.prepare("c2", ls.subList(0, 1));
        Snapshotter reopened = new Snapshotter(root); // the counts survive a restart: they are on disk
        assertThat(reopened.layerRefCounts()).containsEntry(ls.get(0), 2).containsEntry(ls.get(2), 1);
        assertThat(reopened.mountOf("c1")).isEqualTo(m);
        reopened.remove("c1");
        assertThat(reopened.layerRefCounts()).containsOnlyKeys(ls.get(0));
        assertThat(reopened.layerInUse(ls.get(2))).isFalse();
        assertThatThrownBy(() -> s.prepare("../x", ls)).isInstanceOf(SnapshotException.class).hasMessageContaining("invalid snapshot key");
        assertThatThrownBy(() -> s.mountOf("nope")).isInstanceOf(SnapshotException.class).hasMessageContaining("no such snapshot");
    }

    @Test
    @Tag("integration")
    void mountsAnImageWith150LayersBeyondOnePageOfOptions() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) || "true".equals(System.getenv("CI")), "needs root");
        Snapshotter s = new Snapshotter(tmp.resolve("snapshotter-root-with-a-long-name"));
        List<Path> ls = layers(150);
        Mount m = s.prepare("big", ls);
        assertThat(m.data().length()).isGreaterThan(4096); // absolute short links alone do not fit here
        Path target = Files.createDirectories(tmp.resolve("rootfs"));
        Mounter.mount(m, target);
        try {
            assertThat(target.resolve("shared")).hasContent("from 149");
            assertThat(target.resolve("file-0")).hasContent("layer 0");
            assertThat(target.resolve("file-149")).hasContent("layer 149");
        } finally {
            Mounter.unmount(target);
        }
        assertThat(Mounter.isMounted(target)).isFalse();
        s.remove("big");
    }

    @Test
    @Tag("integration")
    void emptyImageMountsAndCommitMovesTheUpperDir() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) || "true".equals(System.getenv("CI")), "needs root");
        Snapshotter s = new Snapshotter(tmp.resolve("snap"));
        Mount m = s.prepare("scratch", List.of());
        Path target = Files.createDirectories(tmp.resolve("rootfs"));
        Mounter.mount(m, target);
        try {
            Files.writeString(target.resolve("hello"), "world");
            assertThatThrownBy(() -> s.commit("scratch", tmp.resolve("layer"))).hasMessageContaining("mounted");
        } finally {
            Mounter.unmount(target);
        }
        Path layer = s.commit("scratch", tmp.resolve("layer"));
        assertThat(layer.resolve("hello")).hasContent("world");
        assertThat(s.list()).isEmpty();
    }

    @Test
    @Tag("integration")
    void failedMountSaysWhy() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) || "true".equals(System.getenv("CI")), "needs root");
        Mount bad = new Mount("overlay", "overlay", List.of("lowerdir=" + tmp.resolve("missing"), "upperdir=" + tmp.resolve("u"), "workdir=" + tmp.resolve("w")));
        assertThatThrownBy(() -> Mounter.mount(bad, tmp)).isInstanceOf(SnapshotException.class).hasMessageContaining("No such file");
        assertThat(Mounter.isMounted(tmp)).isFalse();
    }
}
