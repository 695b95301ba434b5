package io.jcompose.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Copy-up, nocopy, subpath, local-driver option mounts and persistence, on the real file system as root. */
@Tag("integration")
class VolumeIntegrationTest {
    Path root;
    Volumes volumes;
    MountResolver resolver;

    @BeforeEach
    void setUp() throws Exception {
        io.jcompose.testing.Infra.requireRoot();
        root = VolumeTestRoot.create();
        volumes = Volumes.open(root.resolve("volumes"), Clock.systemUTC());
        resolver = new MountResolver(volumes);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (volumes != null) {
            // Drop every reference so option-volumes are unmounted before the tree is deleted.
            for (Volume v : volumes.list()) for (String r : v.refs()) volumes.unref(v.name(), r);
        }
        VolumeTestRoot.delete(root);
    }

    static Object attr(Path p, String a) throws Exception {
        return Files.getAttribute(p, a, LinkOption.NOFOLLOW_LINKS);
    }

    static void chmod(Path p, int mode) throws Exception {
        Native.chmod(p.toString(), mode);
    }

    /** A rootfs whose /data holds what a tar round trip must keep. */
    Path rootfs(String name, String content) throws Exception {
        Path rootfs = Files.createDirectories(root.resolve(name));
        Path data = Files.createDirectories(rootfs.resolve("var/lib/app"));
        Files.createSymbolicLink(rootfs.resolve("data"), Path.of("/var/lib/app")); // absolute link: must stay inside rootfs
        Path f = Files.writeString(data.resolve("file"), content);
        Files.setAttribute(f, "unix:uid", 1000);
        Files.setAttribute(f, "unix:gid", 1001);
        chmod(f, 04751);
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        Files.createLink(data.resolve("hard"), f);
        Files.createSymbolicLink(data.resolve("link"), Path.of("file"));
        Files.setAttribute(data.resolve("link"), "unix:uid", 7, LinkOption.NOFOLLOW_LINKS);
        Path sub = Files.createDirectories(data.resolve("sub"));
        Native.mknod(sub.resolve("fifo").toString(), 0010640, 0);
        assertThat(Native.setXattr(f.toString(), "user.origin", "image".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Native.setXattr(f.toString(), "trusted.jc", "t".getBytes(StandardCharsets.UTF_8))).isTrue();
        Files.setLastModifiedTime(sub, FileTime.from(Instant.parse("2019-01-01T00:00:00Z")));
        Files.setAttribute(data, "unix:uid", 999);
        Files.setAttribute(data, "unix:gid", 998);
        chmod(data, 0750);
        return rootfs;
    }

    @Test
    void copyUpFillsAnEmptyVolumeOnceKeepingModesOwnersLinksTimesAndXattrs() throws Exception {
        Path rootfs = rootfs("rootfs1", "v1");
        Resolution r = resolver.resolve("c1", new ContainerMounts(List.of("appdata:/data"), List.of(), null, null, List.of(), ""), rootfs, id -> Optional.empty());
        Path vol = volumes.mountpoint("appdata");
        assertThat(r.oci().get(0).source()).isEqualTo(vol.toString());
        Path f = vol.resolve("file");
        assertThat(Files.readString(f)).isEqualTo("v1");
        assertThat((Integer) attr(f, "unix:mode") & 07777).isEqualTo(04751);
        assertThat(attr(f, "unix:uid")).isEqualTo(1000);
        assertThat(attr(f, "unix:gid")).isEqualTo(1001);
        assertThat(Files.getLastModifiedTime(f).toInstant()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        assertThat(attr(vol.resolve("hard"), "unix:ino")).isEqualTo(attr(f, "unix:ino"));
        assertThat(Files.readSymbolicLink(vol.resolve("link"))).isEqualTo(Path.of("file"));
        assertThat(attr(vol.resolve("link"), "unix:uid")).isEqualTo(7);
        assertThat((Integer) attr(vol.resolve("sub/fifo"), "unix:mode")).isEqualTo(0010640);
        assertThat(Files.getLastModifiedTime(vol.resolve("sub")).toInstant()).isEqualTo(Instant.parse("2019-01-01T00:00:00Z"));
        assertThat(new String(Native.getXattr(f.toString(), "user.origin"), StandardCharsets.UTF_8)).isEqualTo("image");
        assertThat(new String(Native.getXattr(f.toString(), "trusted.jc"), StandardCharsets.UTF_8)).isEqualTo("t");
        // The volume's top directory takes the image directory's owner and mode (Docker's copyOwnership).
        assertThat(attr(vol, "unix:uid")).isEqualTo(999);
        assertThat((Integer) attr(vol, "unix:mode") & 07777).isEqualTo(0750);

        // Second use, other image content: the volume is not empty, nothing is copied.
        Files.writeString(f, "changed in the volume");
        Path other = rootfs("rootfs2", "v2");
        resolver.resolve("c2", new ContainerMounts(List.of("appdata:/data"), List.of(), null, null, List.of(), ""), other, id -> Optional.empty());
        assertThat(Files.readString(f)).isEqualTo("changed in the volume");

        // Data survives the removal of the containers that referenced it.
        volumes.release("c1", true);
        volumes.release("c2", true);
        assertThat(volumes.get("appdata").refs()).isEmpty();
        assertThat(Files.readString(volumes.mountpoint("appdata").resolve("file"))).isEqualTo("changed in the volume");
    }

    @Test
    void nocopyAndImageVolumes() throws Exception {
        Path rootfs = rootfs("rootfs", "img");
        Resolution r = resolver.resolve("c1", new ContainerMounts(List.of("empty:/data:nocopy"), List.of(), null,
                new java.util.TreeSet<>(List.of("/data", "/var/lib/app")), List.of(), ""), rootfs, id -> Optional.empty());
        assertThat(CopyUp.isEmpty(volumes.mountpoint("empty"))).isTrue();
        // /var/lib/app is an image VOLUME not mounted otherwise: an anonymous volume, filled from the image.
        MountPoint anon = r.mountPoints().stream().filter(m -> m.destination().equals("/var/lib/app")).findFirst().orElseThrow();
        assertThat(volumes.get(anon.name()).anonymous()).isTrue();
        assertThat(Files.readString(volumes.mountpoint(anon.name()).resolve("file"))).isEqualTo("img");
        // An image VOLUME over an existing file is Docker's error.
        Files.writeString(rootfs.resolve("afile"), "x");
        assertThatThrownBy(() -> resolver.resolve("c2", new ContainerMounts(List.of(), List.of(), null,
                new java.util.TreeSet<>(List.of("/afile")), List.of(), ""), rootfs, id -> Optional.empty()))
                .hasMessage("cannot mount volume over existing file, file exists " + rootfs.resolve("afile"));
    }

    @Test
    void subpathMustExistAndNotEscape() throws Exception {
        volumes.create("sp", "", Map.of(), Map.of());
        Path data = volumes.mountpoint("sp");
        Files.createDirectories(data.resolve("inner/dir"));
        Files.createSymbolicLink(data.resolve("esc"), Path.of("/etc"));
        Files.createSymbolicLink(data.resolve("inner/up"), Path.of("../../.."));
        Resolution ok = resolver.resolve("c1", new ContainerMounts(List.of(), List.of(subpath("inner/dir")), null, null, List.of(), ""),
                null, id -> Optional.empty());
        assertThat(ok.oci().get(0).source()).isEqualTo(data.resolve("inner/dir").toString());
        for (String bad : List.of("esc", "inner/up")) {
            assertThatThrownBy(() -> resolver.resolve("c2", new ContainerMounts(List.of(), List.of(subpath(bad)), null, null, List.of(), ""),
                    null, id -> Optional.empty())).hasMessageContaining("subpath \"" + bad + "\" escapes volume sp");
        }
        assertThat(volumes.get("sp").refs()).containsExactly("c1");
    }

    static MountSpec subpath(String p) {
        return new MountSpec("volume", "sp", "/x", false, null, null, new MountSpec.VolumeOptions(true, null, null, p), null);
    }

    @Test
    void localDriverOptionsMountWhileInUseAndRefsSurviveReopen() throws Exception {
        Path host = Files.createDirectories(root.resolve("hostdir"));
        Files.writeString(host.resolve("keep"), "host data");
        volumes.create("bound", "local", Map.of("type", "none", "device", host.toString(), "o", "bind"), Map.of());
        volumes.create("tmp", "local", Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m,mode=0700"), Map.of());
        resolver.resolve("c1", new ContainerMounts(List.of("bound:/b", "tmp:/t"), List.of(), null, null, List.of(), ""), null, id -> Optional.empty());
        assertThat(Volumes.isMounted(volumes.mountpoint("bound"))).isTrue();
        assertThat(Files.readString(volumes.mountpoint("bound").resolve("keep"))).isEqualTo("host data");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).containsPattern(volumes.mountpoint("tmp") + " .* - tmpfs tmpfs .*size=1024k,mode=700");
        assertThatThrownBy(() -> volumes.remove("bound", true)).hasMessage("remove bound: volume is in use - [c1]")
                .extracting(e -> ((VolumeException) e).kind()).isEqualTo(VolumeException.Kind.CONFLICT);

        Volumes reopened = Volumes.open(root.resolve("volumes"), Clock.systemUTC());
        assertThat(reopened.get("bound").refs()).containsExactly("c1");

        volumes.release("c1", false);
        assertThat(Volumes.isMounted(volumes.mountpoint("bound"))).isFalse();
        assertThat(Volumes.isMounted(volumes.mountpoint("tmp"))).isFalse();
        volumes.remove("bound", false);
        volumes.remove("tmp", false);
        assertThat(Files.readString(host.resolve("keep"))).as("removing a bind volume keeps the host's data").isEqualTo("host data");
    }
}
