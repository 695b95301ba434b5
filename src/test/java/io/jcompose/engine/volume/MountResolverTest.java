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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resolution of Binds/Mounts/Tmpfs/image volumes/volumes_from to OCI mounts; expectations written by hand. */
class MountResolverTest {
    Path root;
    Volumes volumes;
    MountResolver resolver;

    @BeforeEach
    void setUp() throws Exception {
        root = VolumeTestRoot.create();
        volumes = Volumes.open(root.resolve("volumes"), Clock.fixed(Instant.parse("2026-11-23T05:25:57.123Z"), ZoneOffset.UTC));
        resolver = new MountResolver(volumes);
    }

    @AfterEach
    void tearDown() throws Exception {
        VolumeTestRoot.delete(root);
    }

    static ContainerMounts binds(String... b) {
        return new ContainerMounts(List.of(b), List.of(), null, null, List.of(), "");
    }

    @Test
    void bindsVolumesAndTmpfsRenderedAsDocker() throws Exception {
        Path host = root.resolve("host/www");
        ContainerMounts req = new ContainerMounts(List.of(host + ":/usr/share/www:ro", "db:/var/lib/db"),
                List.of(new MountSpec("tmpfs", "", "/run/cache", false, null, null, null, new MountSpec.TmpfsOptions(64L << 20, 0700)),
                        MountSpec.of("volume", "", "/var/lib/db/sub", true)),
                new TreeMap<>(Map.of("/tmp", "size=1m,exec")), new TreeSet<>(Set.of("/var/lib/db", "/image/vol")), List.of(), "");
        Resolution r = resolver.resolve("c1", req, null, id -> Optional.empty());

        String db = volumes.mountpoint("db").toString();
        List<Volume> all = volumes.list();
        assertThat(all).hasSize(3); // db, the anonymous Mounts volume, the anonymous image volume
        String anonSub = r.mountPoints().stream().filter(m -> m.destination().equals("/var/lib/db/sub")).findFirst().orElseThrow().name();
        String anonImg = r.mountPoints().stream().filter(m -> m.destination().equals("/image/vol")).findFirst().orElseThrow().name();
        assertThat(anonSub).matches("[0-9a-f]{64}");
        assertThat(r.oci().stream().map(OciMount::toString)).containsExactly(
                "/tmp tmpfs tmpfs nosuid,nodev,rprivate,size=1m,exec", // "exec" given cancels the default noexec
                "/image/vol bind " + volumes.mountpoint(anonImg) + " rbind",
                "/run/cache tmpfs tmpfs noexec,nosuid,nodev,rprivate,mode=700,size=64m",
                "/usr/share/www bind " + host + " rbind,ro,rprivate",
                "/var/lib/db bind " + db + " rbind",
                "/var/lib/db/sub bind " + volumes.mountpoint(anonSub) + " rbind,ro");
        assertThat(Files.isDirectory(host)).as("a missing Binds source is created").isTrue();
        assertThat(volumes.get("db").refs()).containsExactly("c1");
        assertThat(volumes.get(anonSub).anonymous()).isTrue();
        assertThat(r.volumes()).containsExactlyElementsOf(new TreeSet<>(List.of("db", anonSub, anonImg)));
    }

    @Test
    void duplicateDestinationsAreRefusedBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> resolver.resolve("c1", binds("a1:/b", "/c:/b"), null, id -> Optional.empty()))
                .hasMessage("Duplicate mount point: /b");
        assertThatThrownBy(() -> resolver.resolve("c1", binds("a1:/b", "x:/c"), null, id -> Optional.empty()))
                .hasMessage("create x: volume name is too short, names should be at least two alphanumeric characters");
        assertThat(volumes.list()).isEmpty();
    }

    @Test
    void aFailureHalfWayUndoesReferencesAndNewVolumes() throws Exception {
        volumes.create("keep", "", Map.of(), Map.of());
        ContainerMounts req = new ContainerMounts(List.of("keep:/k", "fresh:/f"),
                List.of(new MountSpec("volume", "keep", "/s", false, null, null, new MountSpec.VolumeOptions(false, null, null, "missing"), null)),
                null, null, List.of(), "");
        assertThatThrownBy(() -> resolver.resolve("c1", req, null, id -> Optional.empty()))
                .hasMessageContaining("subpath \"missing\" does not exist in volume keep");
        assertThat(volumes.list()).extracting(Volume::name).containsExactly("keep");
        assertThat(volumes.get("keep").refs()).isEmpty();
    }

    @Test
    void volumesFromCopiesMountsWithTheirModeOrTheGivenOne() throws Exception {
        Resolution a = resolver.resolve("a", binds("shared:/data", root + "/h:/h:ro"), null, id -> Optional.empty());
        Resolution b = resolver.resolve("b", new ContainerMounts(List.of(), List.of(), null, null, List.of("a"), ""), null,
                id -> id.equals("a") ? Optional.of(a.mountPoints()) : Optional.empty());
        assertThat(b.oci().stream().map(OciMount::toString)).containsExactly(
                "/data bind " + volumes.mountpoint("shared") + " rbind",
                "/h bind " + root + "/h rbind,ro,rprivate");
        Resolution c = resolver.resolve("c", new ContainerMounts(List.of(), List.of(), null, null, List.of("a:ro"), ""), null,
                id -> id.equals("a") ? Optional.of(a.mountPoints()) : Optional.empty());
        assertThat(c.mountPoints()).allMatch(m -> !m.rw());
        assertThat(volumes.get("shared").refs()).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> resolver.resolve("d", new ContainerMounts(List.of(), List.of(), null, null, List.of("nope"), ""),
                null, id -> Optional.empty())).hasMessage("No such container: nope");
    }

    @Test
    void releaseDropsReferencesAndRemovesAnonymousVolumesOnRequest() throws Exception {
        Resolution r = resolver.resolve("c1", binds("named:/n", "/anon"), null, id -> Optional.empty());
        String anon = r.mountPoints().stream().filter(m -> m.destination().equals("/anon")).findFirst().orElseThrow().name();
        assertThatThrownBy(() -> volumes.remove("named", false)).hasMessage("remove named: volume is in use - [c1]");
        assertThat(volumes.release("c1", true)).containsExactly(anon);
        assertThat(volumes.list()).extracting(Volume::name).containsExactly("named");
        assertThat(volumes.get("named").refs()).isEmpty();
    }
}
