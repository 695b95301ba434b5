package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Unpacking needs root (mknod, lchown, trusted.* xattrs): these run as root on the dev VM and CI. */
@org.junit.jupiter.api.Tag("integration")
class LayerStoreTest {
    // The store sits one level below a private temp dir, so the escape sentinel (root/../x) is private too:
    // /tmp/x may exist on a shared machine for reasons unrelated to this test.
    @TempDir Path tmp;
    Path root;
    LayerStore store;

    @BeforeEach
    void setUp() throws IOException {
        Infra.require(Infra.isRoot(), "root (mknod, lchown, trusted xattrs)");
        root = Files.createDirectories(tmp.resolve("store"));
        store = new LayerStore(root);
    }

    private Path unpack(byte[] layer) throws IOException {
        Digest diffId = Digest.of(LayerUnpacker.decompress(new ByteArrayInputStream(layer)));
        return store.unpack(diffId, () -> new ByteArrayInputStream(layer));
    }

    @Test
    void unpacksFilesModesOwnersTimesAndXattrs() throws IOException {
        byte[] tar = new TarFixture()
                .dir("./bin", 0755)
                .file("./bin/su", "suid", 04755).owned(0, 0)
                .dir("tmp", 01777)
                .file("etc/passwd", "root:x:0:0", 0644).owned(1000, 1001).xattr("user.note", "kept")
                .file("etc/cap", "x", 0755).xattr("security.capability", "\u0001\u0000\u0000\u0002\u0000\u0020\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000")
                .symlink("bin/sh", "/bin/busybox")
                .hardlink("etc/passwd-", "etc/passwd")
                .gzip();
        Path d = unpack(tar);
        assertThat(d).isEqualTo(store.diffDir(Digest.of(LayerUnpacker.decompress(new ByteArrayInputStream(tar)))));
        assertThat(mode(d.resolve("bin/su"))).isEqualTo(04755);
        assertThat(mode(d.resolve("tmp"))).isEqualTo(01777);
        assertThat((int) Files.getAttribute(d.resolve("etc/passwd"), "unix:uid")).isEqualTo(1000);
        assertThat((int) Files.getAttribute(d.resolve("etc/passwd"), "unix:gid")).isEqualTo(1001);
        assertThat(Native.string(Native.lgetxattr(d.resolve("etc/passwd"), "user.note"))).isEqualTo("kept");
        assertThat(Native.lgetxattr(d.resolve("etc/cap"), "security.capability")).isNotNull();
        assertThat(Files.readSymbolicLink(d.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.getLastModifiedTime(d.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS).toMillis()).isEqualTo(1_500_000_000_000L);
        assertThat(Files.getLastModifiedTime(d.resolve("etc/passwd")).toMillis()).isEqualTo(1_600_000_000_000L);
        assertThat(Files.isSameFile(d.resolve("etc/passwd"), d.resolve("etc/passwd-"))).isTrue();
    }

    @Test
    void whiteoutsBecomeOverlayForm() throws IOException {
        Path d = unpack(new TarFixture()
                .dir("a", 0755).file("a/.wh.gone", "", 0644)
                .dir("b", 0755).file("b/.wh..wh..opq", "", 0644).file("b/new", "n", 0644)
                .file("c/.wh..wh.plnk", "", 0644)
                .tar());
        PosixFileAttributes a = Files.readAttributes(d.resolve("a/gone"), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(a.isOther()).isTrue();
        assertThat((long) Files.getAttribute(d.resolve("a/gone"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isZero();
        assertThat(((int) Files.getAttribute(d.resolve("a/gone"), "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000).isEqualTo(0020000);
        assertThat(Native.string(Native.lgetxattr(d.resolve("b"), "trusted.overlay.opaque"))).isEqualTo("y");
        assertThat(d.resolve("b/.wh..wh..opq")).doesNotExist();
        assertThat(d.resolve("c")).isEmptyDirectory();
    }

    @Test
    void acceptsTarsWithoutEndBlocksAndHashesTheWholeStream() throws IOException {
        byte[] t = new TarFixture().file("x", "1", 0644).tarWithoutEnd();
        Path d = unpack(t);
        assertThat(d.resolve("x")).hasContent("1");
        assertThat(store.list()).containsExactly(Digest.of(t));
        assertThat(store.size(Digest.of(t))).isEqualTo(t.length);
    }

    @Test
    void wrongDiffIdLeavesNothing() throws IOException {
        byte[] t = new TarFixture().file("x", "1", 0644).tar();
        Digest wrong = Digest.of("not this");
        assertThatThrownBy(() -> store.unpack(wrong, () -> new ByteArrayInputStream(t))).isInstanceOf(DigestMismatchException.class);
        assertThat(store.list()).isEmpty();
        assertThat(nonHidden(root.resolve("layers"))).isZero();
    }

    static Iterable<Object[]> hostile() {
        return java.util.List.of(
                new Object[]{"dot-dot", new TarFixture().file("ok", "1", 0644).file("../x", "evil", 0644).tar(), "\"..\""},
                new Object[]{"nested dot-dot", new TarFixture().file("a/../../x", "evil", 0644).tar(), "\"..\""},
                new Object[]{"absolute", new TarFixture().file("/etc/x", "evil", 0644).tar(), "absolute path"},
                new Object[]{"symlink escape", new TarFixture().symlink("esc", "../../../../tmp").tar(), "escapes the layer"},
                new Object[]{"write through symlink", new TarFixture().symlink("d", "/etc").file("d/x", "evil", 0644).tar(), "through the symlink"},
                new Object[]{"hardlink escape", new TarFixture().hardlink("h", "../../etc/passwd").tar(), "\"..\""},
                new Object[]{"hardlink absolute", new TarFixture().hardlink("h", "/etc/passwd").tar(), "absolute path"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileLayersFailWhole(String name, byte[] tar, String why) throws IOException {
        Path sentinel = root.getParent().resolve("x");
        assertThatThrownBy(() -> unpack(tar)).isInstanceOf(ImageException.class).hasMessageContaining(why).hasMessageContaining("rejected");
        assertThat(store.list()).isEmpty();
        assertThat(nonHidden(root.resolve("layers"))).isZero();
        try (var s = Files.list(root.resolve("layers"))) {
            assertThat(s).isEmpty(); // the partial dir was removed
        }
        assertThat(Files.exists(sentinel)).isFalse();
    }

    @Test
    void zstdIsAClearError() {
        byte[] zstdMagic = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        assertThatThrownBy(() -> store.unpack(Digest.of("x"), () -> new ByteArrayInputStream(zstdMagic)))
                .hasMessageContaining("zstd").hasMessageContaining("gzip");
    }

    private static long nonHidden(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    private static int mode(Path p) throws IOException {
        return ((int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }
}
