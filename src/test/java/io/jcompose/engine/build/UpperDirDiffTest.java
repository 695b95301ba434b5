package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.engine.image.LayerWriter;
import io.jcompose.testing.Exec;
import io.jcompose.testing.Infra;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An overlay upper dir (as a RUN step leaves it) becomes an OCI layer with .wh. entries. Needs root (mknod, trusted xattr). */
class UpperDirDiffTest {
    @TempDir Path tmp;

    @Test
    void whiteoutsAndOpaqueDirectoriesBecomeWhFiles() throws Exception {
        Infra.requireRoot();
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/new.conf"), "n");
        Exec.run("mknod", upper.resolve("etc/old.conf").toString(), "c", "0", "0").check();
        Files.createDirectories(upper.resolve("var/cache"));
        Files.writeString(upper.resolve("var/cache/fresh"), "f");
        UpperDirDiff.markOpaque(upper.resolve("var/cache"));
        Exec.run("mknod", upper.resolve("gone").toString(), "c", "0", "0").check();
        Exec.run("mknod", upper.resolve("realdev").toString(), "c", "1", "3").check(); // /dev/null: not a whiteout

        assertThat(UpperDirDiff.convert(upper)).isEqualTo(3);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.deterministic().keepingOwners().writeTar(upper, out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) names.add(e.getName() + (e.isCharacterDevice() ? " c" + e.getDevMajor() + "," + e.getDevMinor() : ""));
        }
        assertThat(names).containsExactly(".wh.gone", "etc/", "etc/.wh.old.conf", "etc/new.conf", "realdev c1,3",
                "var/", "var/cache/", "var/cache/.wh..wh..opq", "var/cache/fresh");
    }

    @Test
    void plainDirectoryIsNotOpaque() throws Exception {
        Infra.requireRoot();
        Path d = Files.createDirectories(tmp.resolve("d"));
        assertThat(UpperDirDiff.opaque(d)).isFalse();
    }
}
