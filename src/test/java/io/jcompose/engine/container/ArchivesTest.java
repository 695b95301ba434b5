package io.jcompose.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
    @TempDir Path rootfs;

    @Test
    void symlinksResolveInsideTheContainerRoot() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../../etc"));
        assertThat(Archives.resolve(rootfs, "/escape/passwd", true)).isEqualTo(rootfs.resolve("etc/passwd"));
        assertThat(Archives.resolve(rootfs, "/up/passwd", true)).isEqualTo(rootfs.resolve("etc/passwd"));
        assertThat(Archives.resolve(rootfs, "/../../etc", true)).isEqualTo(rootfs.resolve("etc"));
        assertThat(Archives.resolve(rootfs, "/escape", false)).isEqualTo(rootfs.resolve("escape"));
        assertThat(Archives.stat(rootfs, "/escape").linkTarget()).isEqualTo("/etc");
        assertThat(Archives.stat(rootfs, "/etc").mode() & (1L << 31)).as("Go's dir bit").isNotZero();
    }

    @Test
    void extractRefusesEntriesLeavingTheDestination() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            TarArchiveEntry e = new TarArchiveEntry("../evil");
            e.setSize(1);
            t.putArchiveEntry(e);
            t.write('x');
            t.closeArchiveEntry();
        }
        Files.createDirectories(rootfs.resolve("dst"));
        assertThatThrownBy(() -> Archives.extract(rootfs, "/dst", new ByteArrayInputStream(b.toByteArray())))
                .hasMessageContaining("escapes the destination");
        assertThat(rootfs.resolve("evil")).doesNotExist();
    }

    @Test
    void roundTrip() throws Exception {
        Files.createDirectories(rootfs.resolve("data/sub"));
        Files.writeString(rootfs.resolve("data/sub/f.txt"), "hello");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Archives.write(rootfs, "/data", b);
        Files.createDirectories(rootfs.resolve("copy"));
        Archives.extract(rootfs, "/copy", new ByteArrayInputStream(b.toByteArray()));
        assertThat(Files.readString(rootfs.resolve("copy/data/sub/f.txt"))).isEqualTo("hello");
    }
}
