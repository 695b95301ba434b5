package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-archive save/load checked against the running dockerd as the reference implementation; OCI layout load. */
@Tag("integration")
class LoadSaveIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    ImageService service(String name) throws IOException {
        return new ImageService(tmp.resolve(name), new RegistryClient(RegistryConfig.defaults()), p -> false);
    }

    static boolean dockerd() {
        io.jcompose.testing.Dockerd.shared(); // reuse or start dockerd (fails under CI=true if it cannot)
        return Files.exists(Path.of("/var/run/docker.sock")) && Infra.onPath("docker");
    }

    @Test
    void saveIsLoadableByDockerAndDockersSaveLoadsBack() throws IOException {
        Infra.require(dockerd(), "a running dockerd (/var/run/docker.sock)");
        String tag = "jcompose-image-test/saved:" + Long.toHexString(System.nanoTime());
        byte[] rootfs = new TarFixture().dir("etc", 0755).file("etc/hello", "from jcompose", 0644).file("bin/x", "x", 04755).gzip();
        Path archive = tmp.resolve("saved.tar");
        String id;
        try (ImageService s = service("a")) {
            id = s.importRootfs(TestImage.stream(rootfs), Optional.of(tag), Platform.host());
            try (OutputStream out = Files.newOutputStream(archive)) {
                s.save(List.of(tag), out);
            }
        }
        try {
            String loaded = RegistryTestSupport.run(tmp, List.of("docker", "load", "-i", archive.toString())).orElseThrow();
            assertThat(loaded).contains("Loaded image: " + tag);
            String dockerId = RegistryTestSupport.run(tmp, List.of("docker", "image", "inspect", "-f", "{{.Id}}", tag)).orElseThrow().trim();
            assertThat(dockerId).isEqualTo(id);
            // Contract: our inspect JSON has dockerd's keys in dockerd's order, and the same values where they are ours to match.
            JsonNode theirs = JSON.readTree(RegistryTestSupport.run(tmp, List.of("docker", "image", "inspect", tag)).orElseThrow()).get(0);
            JsonNode ours;
            try (ImageService s = service("a")) {
                ours = JSON.readTree(JSON.writeValueAsString(s.inspect(tag))); // as the API would send it
            }
            assertThat(fieldNames(ours)).isEqualTo(fieldNames(theirs));
            assertThat(fieldNames(ours.get("Config"))).isEqualTo(fieldNames(theirs.get("Config")));
            for (String f : List.of("Id", "RepoTags", "Created", "Architecture", "Os", "RootFS", "Size")) {
                assertThat(ours.get(f)).as(f).isEqualTo(theirs.get(f));
            }
            assertThat(ours.get("Config")).isEqualTo(theirs.get("Config"));
            Path back = tmp.resolve("from-docker.tar");
            RegistryTestSupport.run(tmp, List.of("docker", "save", "-o", back.toString(), tag));
            try (ImageService b = service("b"); InputStream in = Files.newInputStream(back)) {
                List<ProgressMessage> msgs = new ArrayList<>();
                assertThat(b.load(in, msgs::add)).containsExactly("Loaded image: " + tag);
                assertThat(b.inspect(tag).id()).isEqualTo(id);
                assertThat(b.layerDirs(tag).get(0).resolve("etc/hello")).hasContent("from jcompose");
                assertThat(msgs.get(msgs.size() - 1)).isEqualTo(ProgressMessage.stream("Loaded image: " + tag + "\n"));
            }
        } finally {
            try {
                new ProcessBuilder("docker", "rmi", tag).redirectErrorStream(true).redirectOutput(tmp.resolve("rmi.log").toFile()).start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void loadsAnOciLayoutTar() throws IOException {
        TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("o", "oci layout")));
        Path layout = tmp.resolve("layout");
        img.writeOciLayout(layout, "v3");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes); var files = Files.walk(layout)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry(layout.relativize(p).toString());
                e.setSize(Files.size(p));
                t.putArchiveEntry(e);
                Files.copy(p, t);
                t.closeArchiveEntry();
            }
        }
        try (ImageService s = service("oci")) {
            // A bare tag annotation names no repository: Docker reports the image ID.
            assertThat(s.load(TestImage.stream(bytes.toByteArray()), m -> {})).containsExactly("Loaded image ID: " + img.configDigest());
            assertThat(s.inspect(img.configDigest().toString()).config()).containsEntry("WorkingDir", "/srv");
            assertThat(s.layerDirs(img.configDigest().hex().substring(0, 12)).get(0).resolve("srv/o")).hasContent("oci layout");
        }
    }

    @Test
    void tagRemovePruneAndDf() throws IOException {
        try (ImageService s = service("ops")) {
            String a = s.importRootfs(TestImage.stream(new TarFixture().file("a", "a", 0644).tar()), Optional.of("app:1"), Platform.host());
            s.tag("app:1", "app:2");
            s.tag(a.substring(7, 19), "other/app");
            assertThat(s.inspect("app:2").repoTags()).containsExactly("app:1", "app:2", "other/app:latest");
            assertThat(s.list(false, ImageFilters.fromDocker(Map.of("reference", List.of("app"))))).hasSize(1);
            assertThat(s.list(false, ImageFilters.fromDocker(Map.of("reference", List.of("oth*/*:latest"))))).hasSize(1);
            assertThat(s.list(false, ImageFilters.fromDocker(Map.of("reference", List.of("*app"))))).hasSize(1); // * does not cross '/'... but "app" matches
            assertThat(s.list(false, ImageFilters.fromDocker(Map.of("reference", List.of("nothing*"))))).isEmpty();
            assertThat(s.list(false, ImageFilters.fromDocker(Map.of("label", List.of("x"))))).isEmpty();
            assertThatThrownBy(() -> ImageFilters.fromDocker(Map.of("bogus", List.of("1")))).hasMessageContaining("invalid filter 'bogus'");
            assertThatThrownBy(() -> s.remove(a, false, x -> false)).isInstanceOf(ImageException.class).hasMessageContaining("must be forced");
            assertThat(s.remove("app:2", false, x -> false)).containsExactly(Map.of("Untagged", "app:2"));
            // One of several tags of an image in use: only untagged, as Docker does.
            assertThat(s.remove("other/app", false, x -> true)).containsExactly(Map.of("Untagged", "other/app:latest"));
            s.tag("app:1", "other/app");
            // Re-tagging moves the tag: the old image becomes dangling.
            String b = s.importRootfs(TestImage.stream(new TarFixture().file("b", "b", 0644).tar()), Optional.of("app:1"), Platform.host());
            assertThat(s.inspect("app:1").id()).isEqualTo(b);
            assertThat(s.inspect(a).repoTags()).containsExactly("other/app:latest");
            s.remove("other/app", false, x -> false);
            assertThat(s.listDangling()).isEmpty(); // the last tag removed deletes the image
            String c = s.importRootfs(TestImage.stream(new TarFixture().file("c", "c", 0644).tar()), Optional.empty(), Platform.host());
            assertThat(s.listDangling()).extracting(ImageSummary::id).containsExactly(c);
            ImageService.DiskUsage before = s.df();
            assertThat(before.images()).hasSize(2);
            ImageService.PruneReport r = s.prune(false, x -> false);
            assertThat(r.imagesDeleted()).containsExactly(Map.of("Deleted", c));
            assertThat(r.spaceReclaimed()).isPositive();
            assertThat(s.df().layersSize()).isEqualTo(before.layersSize() - r.spaceReclaimed());
            assertThatThrownBy(() -> s.inspect(c)).hasMessage("No such image: " + c);
            assertThat(s.list(true)).extracting(ImageSummary::id).containsExactly(b);
            // Leftovers of a crash between download and record are collected; referenced content is kept.
            Digest orphanBlob = s.contentStore().write("orphan".getBytes());
            byte[] orphanLayer = new TarFixture().file("o", "o", 0644).tar();
            s.layerStore().unpack(Digest.of(orphanLayer), () -> TestImage.stream(orphanLayer));
            assertThat(s.collectGarbage()).isEqualTo(6 + 1);
            assertThat(s.contentStore().has(orphanBlob)).isFalse();
            assertThat(s.layerStore().list()).hasSize(1);
            assertThat(s.layerDirs(b).get(0).resolve("b")).hasContent("b");
            // The last reference of an image a container uses: conflict; forced, it is only untagged.
            assertThatThrownBy(() -> s.remove("app:1", false, x -> true)).isInstanceOf(ImageException.class)
                    .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(ImageException.Kind.CONFLICT));
            assertThat(s.remove("app:1", true, x -> true)).containsExactly(Map.of("Untagged", "app:1"));
            assertThat(s.inspect(b).repoTags()).isEmpty();
        }
    }
}
