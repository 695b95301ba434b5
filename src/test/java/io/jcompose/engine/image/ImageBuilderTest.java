package io.jcompose.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /** A small tree with every kind of entry we preserve; {@code order} changes creation order and mtimes. */
    private Path tree(String name, boolean reversed) throws IOException {
        Path root = Files.createDirectories(tmp.resolve(name));
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> write(root.resolve("bin/busybox"), "#!fake", "rwxr-xr-x"));
        steps.add(() -> write(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n", "rw-r--r--"));
        steps.add(() -> write(root.resolve("usr/bin/su"), "su", "rwsr-xr-x"));
        if (reversed) java.util.Collections.reverse(steps);
        steps.forEach(Runnable::run);
        Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.createLink(root.resolve("bin/hard"), root.resolve("bin/busybox"));
        if (reversed) Files.setLastModifiedTime(root.resolve("etc/passwd"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        return root;
    }

    private static void write(Path p, String content, String perms) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms.replace('s', 'x')));
            if (perms.contains("s")) {
                // NIO cannot set setuid; chmod can.
                new ProcessBuilder("chmod", "u+s", p.toString()).inheritIO().start().waitFor();
            }
        } catch (IOException | InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    private ImageBuilder builder(Path rootfs) {
        return new ImageBuilder().layer(rootfs)
                .env("PATH", "/bin").env("A", "1")
                .cmd(List.of("sh")).entrypoint(List.of("/bin/busybox")).workingDir("/tmp").user("nobody")
                .exposedPort("80").exposedPort("53/udp").label("b", "2").label("a", "1")
                .healthcheck(new ImageBuilder.Healthcheck(List.of("CMD", "true"), Duration.ofSeconds(5),
                        Duration.ofSeconds(1), Duration.ZERO, 3));
    }

    @Test void sameInputGivesSameDigests() throws IOException {
        ImageBuilder.Image a = builder(tree("a", false)).writeTo(tmp.resolve("layout-a"), "latest");
        ImageBuilder.Image b = builder(tree("b", true)).writeTo(tmp.resolve("layout-b"), "latest");
        assertThat(b).isEqualTo(a);
        assertThat(Files.readAllBytes(tmp.resolve("layout-b/index.json")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("layout-a/index.json")));
    }

    @Test void differentContentGivesDifferentDigests() throws IOException {
        Path t = tree("c", false);
        ImageBuilder.Image a = builder(t).writeTo(tmp.resolve("l1"), "latest");
        Files.writeString(t.resolve("etc/passwd"), "changed\n");
        ImageBuilder.Image b = builder(t).writeTo(tmp.resolve("l2"), "latest");
        assertThat(b.layers().get(0).diffId()).isNotEqualTo(a.layers().get(0).diffId());
        assertThat(b.manifestDigest()).isNotEqualTo(a.manifestDigest());
    }

    @Test void layerTarIsSortedRootOwnedWithFixedTimesModesAndLinks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.deterministic().writeTar(tree("d", true), out);
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) entries.add(e);
        }
        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly(
                "bin/", "bin/busybox", "bin/hard", "bin/sh", "etc/", "etc/passwd", "tmp/", "usr/", "usr/bin/", "usr/bin/su");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getModTime().getTime()).isZero();
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getLongGroupId()).isZero();
        });
        assertThat(entry(entries, "bin/sh").isSymbolicLink()).isTrue();
        assertThat(entry(entries, "bin/sh").getLinkName()).isEqualTo("busybox");
        assertThat(entry(entries, "bin/hard").isLink()).isTrue();
        assertThat(entry(entries, "bin/hard").getLinkName()).isEqualTo("bin/busybox");
        assertThat(entry(entries, "bin/busybox").getMode() & 07777).isEqualTo(0755);
        assertThat(entry(entries, "usr/bin/su").getMode() & 07777).isEqualTo(04755);
        assertThat(entry(entries, "tmp/").getMode() & 07777).isEqualTo(0777);
    }

    @Test void ownersCanBeGivenOrKept() throws IOException {
        Path t = tree("e", false);
        Files.setAttribute(t.resolve("etc/passwd"), "unix:uid", 1234);
        ByteArrayOutputStream given = new ByteArrayOutputStream();
        new LayerWriter(Optional.of(new LayerWriter.Ownership(7, 8)), Instant.EPOCH).writeTar(t, given);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        LayerWriter.deterministic().keepingOwners().writeTar(t, kept);
        assertThat(entryIn(given, "etc/passwd").getLongUserId()).isEqualTo(7);
        assertThat(entryIn(given, "etc/passwd").getLongGroupId()).isEqualTo(8);
        assertThat(entryIn(kept, "etc/passwd").getLongUserId()).isEqualTo(1234);
    }

    @Test void layoutHasConfigManifestAndIndexThatAgreeWithTheBlobs() throws IOException {
        Path layout = tmp.resolve("layout");
        ImageBuilder.Image img = builder(tree("f", false)).writeTo(layout, "v1");
        assertThat(JSON.readTree(layout.resolve("oci-layout").toFile()).get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.at("/manifests/0/digest").asText()).isEqualTo(img.manifestDigest());
        assertThat(index.at("/manifests/0/annotations/org.opencontainers.image.ref.name").asText()).isEqualTo("v1");
        JsonNode manifest = blobJson(layout, img.manifestDigest());
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.at("/layers/0/digest").asText()).isEqualTo(img.layers().get(0).digest());
        JsonNode config = blobJson(layout, img.configDigest());
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.at("/config/Env").toString()).isEqualTo("[\"PATH=/bin\",\"A=1\"]");
        assertThat(config.at("/config/Cmd/0").asText()).isEqualTo("sh");
        assertThat(config.at("/config/Entrypoint/0").asText()).isEqualTo("/bin/busybox");
        assertThat(config.at("/config/WorkingDir").asText()).isEqualTo("/tmp");
        assertThat(config.at("/config/User").asText()).isEqualTo("nobody");
        assertThat(config.at("/config/ExposedPorts").fieldNames()).toIterable().containsExactly("53/udp", "80/tcp");
        assertThat(config.at("/config/Labels").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(config.at("/config/Healthcheck/Interval").asLong()).isEqualTo(5_000_000_000L);
        assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo(img.layers().get(0).diffId());
        // Every blob's name is the sha256 of its bytes, and the gzip layer decompresses to the diff_id.
        for (Path blob : Files.list(layout.resolve("blobs/sha256")).toList()) {
            assertThat(OciLayout.sha256(Files.readAllBytes(blob))).isEqualTo("sha256:" + blob.getFileName());
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(blob(layout, img.layers().get(0).digest())))) {
            assertThat(OciLayout.sha256(in.readAllBytes())).isEqualTo(img.layers().get(0).diffId());
        }
        byte[] gz = Files.readAllBytes(blob(layout, img.layers().get(0).digest()));
        assertThat(gz[4] | gz[5] | gz[6] | gz[7]).as("gzip mtime").isZero();
        assertThat(gz.length).isEqualTo(img.layers().get(0).size());
    }

    @Test void secondTagKeepsTheFirstAndDockerFormatUsesSchema2Types() throws IOException {
        Path layout = tmp.resolve("layout");
        Path t = tree("g", false);
        ImageBuilder.Image oci = builder(t).writeTo(layout, "oci");
        ImageBuilder.Image v2 = builder(t).format(ImageBuilder.Format.DOCKER_V2S2).writeTo(layout, "v2s2");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.get("manifests")).hasSize(2);
        assertThat(v2.manifestDigest()).isNotEqualTo(oci.manifestDigest());
        assertThat(v2.layers()).isEqualTo(oci.layers());
        JsonNode m = blobJson(layout, v2.manifestDigest());
        assertThat(m.get("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(m.at("/config/mediaType").asText()).isEqualTo("application/vnd.docker.container.image.v1+json");
        assertThat(m.at("/layers/0/mediaType").asText()).isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
    }

    @Test void indexListsOnePlatformPerImage() throws IOException {
        Path layout = tmp.resolve("layout");
        Path t = tree("h", false);
        ImageBuilder.Index idx = ImageBuilder.writeIndex(layout, "multi", List.of(
                builder(t), builder(t).platform("arm64", "linux", "v8")));
        JsonNode index = blobJson(layout, idx.digest());
        assertThat(index.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.at("/manifests/0/platform/architecture").asText()).isEqualTo("amd64");
        assertThat(index.at("/manifests/1/platform/architecture").asText()).isEqualTo("arm64");
        assertThat(index.at("/manifests/1/platform/variant").asText()).isEqualTo("v8");
        assertThat(index.at("/manifests/1/digest").asText()).isEqualTo(idx.images().get(1).manifestDigest());
        assertThat(blobJson(layout, idx.images().get(1).configDigest()).get("architecture").asText()).isEqualTo("arm64");
        JsonNode top = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(top.at("/manifests/0/digest").asText()).isEqualTo(idx.digest());
    }

    @Test void rejectsBadInput() {
        assertThatThrownBy(() -> new ImageBuilder().exposedPort("http")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> new ImageBuilder().env("A=B", "x")).hasMessageContaining("bad env name");
        assertThatThrownBy(() -> new ImageBuilder().layer(tmp.resolve("missing")).writeTo(tmp.resolve("l"), "x"))
                .hasMessageContaining("is not a directory");
    }

    private static TarArchiveEntry entry(List<TarArchiveEntry> entries, String name) {
        return entries.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }

    private static TarArchiveEntry entryIn(ByteArrayOutputStream tar, String name) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) if (e.getName().equals(name)) return e;
        }
        throw new AssertionError(name + " not in tar");
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring(7));
    }

    private static JsonNode blobJson(Path layout, String digest) throws IOException {
        return JSON.readTree(blob(layout, digest).toFile());
    }
}
