package io.jcompose.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.engine.image.ImageBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pipeline variants through skopeo and the fixture registry: Docker schema2, multi-platform index, byte-exact push. */
@Tag("integration")
class RegistryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static Registry registry;

    @TempDir Path tmp;

    @BeforeAll static void infra() {
        Infra.requireRoot();
        registry = Registry.shared();
    }

    private Path rootfs() throws Exception {
        Path r = Files.createDirectories(tmp.resolve("rootfs/etc"));
        Files.writeString(r.resolve("hello.txt"), "hello\n");
        return r.getParent();
    }

    @Test void ociImageIsPushedByteForByte() throws Exception {
        Path layout = tmp.resolve("layout");
        ImageBuilder.Image img = new ImageBuilder().layer(rootfs()).cmd(List.of("cat", "/hello.txt")).writeTo(layout, "v1");
        registry.push(layout, "v1", "jcompose-test/plain:v1");
        String[] m = registry.manifest("jcompose-test/plain", "v1");
        assertThat(m[0]).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(sha256(m[1])).isEqualTo(img.manifestDigest());
    }

    @Test void nativeSchema2LayoutIsAcceptedByTheRegistryAndRunByDockerd() throws Exception {
        Path r = rootfs();
        Files.createDirectories(r.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), r.resolve("bin/busybox"));
        Path layout = tmp.resolve("layout");
        ImageBuilder.Image img = new ImageBuilder().layer(r).format(ImageBuilder.Format.DOCKER_V2S2)
                .entrypoint(List.of("/bin/busybox")).cmd(List.of("echo", "native")).writeTo(layout, "v2");
        String ref = registry.pushRaw(layout, "v2", "jcompose-test/native-v2s2", "latest");
        String[] m = registry.manifest("jcompose-test/native-v2s2", "latest");
        assertThat(m[0]).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(sha256(m[1])).isEqualTo(img.manifestDigest());
        Dockerd d = Dockerd.shared();
        d.docker("pull", "--quiet", ref).check();
        try {
            assertThat(d.docker("run", "--rm", "--label", Dockerd.TEST_LABEL, ref).check().out()).isEqualTo("native\n");
            assertThat(d.docker("image", "inspect", "--format", "{{.Id}}", ref).check().out().strip()).isEqualTo(img.configDigest());
        } finally {
            d.docker("rmi", ref);
        }
    }

    @Test void skopeoConvertsToSchema2AndDockerdRunsIt() throws Exception {
        String ref = registry.push(TestImages.layout("busybox"), "latest", "jcompose-test/busybox-v2s2:latest", true, false);
        String[] m = registry.manifest("jcompose-test/busybox-v2s2", "latest");
        assertThat(m[0]).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        Dockerd d = Dockerd.shared();
        d.docker("pull", "--quiet", ref).check();
        try {
            assertThat(d.docker("run", "--rm", "--label", Dockerd.TEST_LABEL, ref, "echo", "v2s2").check().out()).isEqualTo("v2s2\n");
        } finally {
            d.docker("rmi", ref);
        }
    }

    @Test void multiPlatformIndexIsPushedWithAllPlatformsAndDockerdPicksAmd64() throws Exception {
        Path layout = tmp.resolve("layout");
        Path r = rootfs();
        ImageBuilder.Index idx = ImageBuilder.writeIndex(layout, "multi", List.of(
                new ImageBuilder().layer(r).label("arch", "amd64"),
                new ImageBuilder().layer(r).label("arch", "arm64").platform("arm64", "linux", "v8")));
        String ref = registry.push(layout, "multi", "jcompose-test/multi:latest", false, true);
        String[] m = registry.manifest("jcompose-test/multi", "latest");
        assertThat(m[0]).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(sha256(m[1])).isEqualTo(idx.digest());
        JsonNode index = JSON.readTree(m[1]);
        assertThat(index.get("manifests")).hasSize(2);
        // Each platform's manifest is there, by digest.
        for (ImageBuilder.Image img : idx.images()) {
            assertThat(sha256(registry.manifest("jcompose-test/multi", img.manifestDigest())[1])).isEqualTo(img.manifestDigest());
        }
        Dockerd d = Dockerd.shared();
        d.docker("pull", "--quiet", ref).check();
        try {
            String labels = d.docker("image", "inspect", "--format", "{{.Architecture}} {{index .Config.Labels \"arch\"}}", ref).check().out();
            assertThat(labels.strip()).isEqualTo("amd64 amd64");
        } finally {
            d.docker("rmi", ref);
        }
    }

    private static String sha256(String body) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
