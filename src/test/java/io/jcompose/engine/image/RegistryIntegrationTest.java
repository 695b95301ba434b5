package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull, push and their failure modes against a real distribution registry on loopback. */
@Tag("integration")
class RegistryIntegrationTest {
    static RegistryTestSupport registry;
    static Path registryDir;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @BeforeAll
    static void startRegistry() throws IOException {
        Infra.require(Infra.isRoot(), "root");
        registryDir = Files.createTempDirectory("jc-reg-");
        registry = RegistryTestSupport.start(registryDir, new RegistryTestSupport.NoAuth());
    }

    @AfterAll
    static void stopRegistry() throws IOException {
        if (registry != null) registry.close();
        if (registryDir != null) Trees.deleteUnder(registryDir.getParent(), registryDir);
    }

    RegistryClient client() {
        return new RegistryClient(RegistryConfig.defaults());
    }

    ImageService service(String name, RegistryClient c) throws IOException {
        return new ImageService(tmp.resolve(name), c, p -> false);
    }

    ImageReference ref(String path) {
        return ImageReference.parse(registry.hostPort() + "/" + path);
    }

    @Test
    void pushesAndPullsAnOciImageWithDockerShapedResults() throws IOException {
        TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("a", "one"), TestImage.layer("b", "two")));
        ImageReference r = ref("test/oci:1");
        img.push(client(), r, RegistryAuth.NONE, tmp);
        List<ProgressMessage> msgs = Collections.synchronizedList(new ArrayList<>());
        try (ImageService s = service("pull", client())) {
            ImageInspect i = s.pull(r.toString(), RegistryAuth.NONE, Optional.empty(), msgs::add);
            assertThat(i.id()).isEqualTo(img.configDigest().toString());
            assertThat(i.repoTags()).containsExactly(registry.hostPort() + "/test/oci:1");
            assertThat(i.repoDigests()).containsExactly(registry.hostPort() + "/test/oci@" + img.digest());
            assertThat(i.rootFS().layers()).hasSize(2);
            assertThat(i.config()).containsEntry("WorkingDir", "/srv").containsEntry("User", "1000:1000")
                    .containsEntry("Cmd", List.of("sh")).containsEntry("Entrypoint", List.of("/bin/entry"))
                    .containsEntry("StopSignal", "SIGINT").containsEntry("ExposedPorts", Map.of("8080/tcp", Map.of()))
                    .containsEntry("Volumes", Map.of("/data", Map.of())).containsEntry("Labels", Map.of("org.example.arch", "amd64"))
                    .containsKey("Healthcheck");
            assertThat(i.architecture()).isEqualTo("amd64");
            assertThat(i.os()).isEqualTo("linux");
            assertThat(i.created()).isEqualTo("2024-01-02T03:04:05Z");
            List<Path> dirs = s.layerDirs(r.toString());
            assertThat(dirs.get(0).resolve("srv/a")).hasContent("one");
            assertThat(dirs.get(1).resolve("srv/b")).hasContent("two");
            String json = JSON.writeValueAsString(msgs);
            assertThat(json).contains("{\"status\":\"Pulling from test/oci\",\"id\":\"1\"}") // dockerd prints the path only
                    .contains("\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"" + Digest.of(img.layers().get(0)).shortId() + "\"")
                    .contains("\"status\":\"Downloading\",\"progressDetail\":{\"current\":")
                    .contains("\"status\":\"Pull complete\"")
                    .contains("{\"status\":\"Digest: " + img.digest() + "\"}")
                    .contains("{\"status\":\"Status: Downloaded newer image for " + registry.hostPort() + "/test/oci:1\"}");
            String inspectJson = JSON.writeValueAsString(i);
            assertThat(inspectJson).startsWith("{\"Id\":\"sha256:").contains("\"RootFS\":{\"Type\":\"layers\",\"Layers\":[");
            msgs.clear();
            s.pull(r.toString(), RegistryAuth.NONE, Optional.empty(), msgs::add);
            assertThat(JSON.writeValueAsString(msgs)).contains("Already exists").contains("Status: Image is up to date for");
            assertThat(s.list(false)).singleElement().satisfies(x -> assertThat(x.repoTags()).containsExactly(registry.hostPort() + "/test/oci:1"));
            assertThat(s.list(false, ImageFilters.fromDocker(Map.of("label", List.of("org.example.arch=amd64"))))).hasSize(1);
            assertThat(s.list(false, ImageFilters.fromDocker(Map.of("label", List.of("org.example.arch=arm64"))))).isEmpty();
            assertThat(JSON.writeValueAsString(s.list(false).get(0))).startsWith("{\"Containers\":-1,\"Created\":1704164645,\"Id\":\"" + img.configDigest() + "\",\"Labels\":{\"org.example.arch\":\"amd64\"},\"ParentId\":\"\",");
        }
    }

    @Test
    void concurrentPullsOfOneImageShareTheWork() throws Exception {
        TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("c1", "one"), TestImage.layer("c2", "two")));
        ImageReference r = ref("test/concurrent:1");
        img.push(client(), r, RegistryAuth.NONE, tmp);
        try (ImageService s = service("concurrent", client())) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<ImageInspect>> fs = new ArrayList<>();
                for (int i = 0; i < 4; i++) fs.add(pool.submit(() -> s.pull(r.toString(), RegistryAuth.NONE, Optional.empty(), m -> {})));
                for (var f : fs) assertThat(f.get().id()).isEqualTo(img.configDigest().toString());
            } finally {
                pool.shutdownNow();
            }
            assertThat(s.layerStore().list()).hasSize(2);
            assertThat(s.list(false)).hasSize(1);
            try (var st = Files.list(tmp.resolve("concurrent/layers"))) {
                assertThat(st.filter(p -> p.getFileName().toString().startsWith(".tmp"))).isEmpty();
            }
        }
    }

    @Test
    void pullsSchema2AndByDigest() throws IOException {
        TestImage img = TestImage.build(false, "amd64", List.of(TestImage.layer("s2", "schema2")));
        ImageReference r = ref("test/schema2:v2");
        img.push(client(), r, RegistryAuth.NONE, tmp);
        try (ImageService s = service("s2", client())) {
            ImageInspect i = s.pull(registry.hostPort() + "/test/schema2@" + img.digest(), RegistryAuth.NONE, Optional.empty(), m -> {});
            assertThat(i.id()).isEqualTo(img.configDigest().toString());
            assertThat(i.repoTags()).isEmpty();
            assertThat(s.inspect(registry.hostPort() + "/test/schema2@" + img.digest()).id()).isEqualTo(i.id());
            assertThat(s.list(false)).isEmpty();
            assertThat(s.list(true)).singleElement().satisfies(x -> assertThat(x.repoTags()).containsExactly("<none>:<none>"));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "oci={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void selectsThePlatformFromAnIndexSkippingAttestations(boolean oci) throws IOException {
        TestImage amd = TestImage.build(oci, "amd64", List.of(TestImage.layer("arch", "amd64")));
        TestImage arm = TestImage.build(oci, "arm64", List.of(TestImage.layer("arch", "arm64")));
        TestImage att = TestImage.build(oci, "unknown", List.of(new TarFixture().file("sbom.json", "{}", 0644).tar()));
        ImageReference r = ref("test/multi-" + oci + ":1");
        String indexType = oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST;
        String mt = amd.mediaType();
        for (TestImage t : List.of(amd, arm, att)) t.push(client(), r.withDigest(t.digest()), RegistryAuth.NONE, tmp);
        ObjectNode idx = JsonNodeFactory.instance.objectNode();
        idx.put("schemaVersion", 2).put("mediaType", indexType);
        ArrayNode ms = idx.putArray("manifests");
        // The attestation comes first, with a platform that would otherwise match nothing sensible.
        ObjectNode a = ms.addObject().put("mediaType", mt).put("digest", att.digest().toString()).put("size", att.manifest().length);
        a.putObject("platform").put("os", "unknown").put("architecture", "unknown");
        a.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest").put("vnd.docker.reference.digest", amd.digest().toString());
        ms.addObject().put("mediaType", mt).put("digest", arm.digest().toString()).put("size", arm.manifest().length)
                .putObject("platform").put("os", "linux").put("architecture", "arm64").put("variant", "v8");
        ms.addObject().put("mediaType", mt).put("digest", amd.digest().toString()).put("size", amd.manifest().length)
                .putObject("platform").put("os", "linux").put("architecture", "amd64");
        byte[] ib = JSON.writeValueAsBytes(idx);
        client().putManifest(r, "1", indexType, ib, RegistryAuth.NONE);
        try (ImageService s = service("multi-" + oci, client())) {
            ImageInspect i = s.pull(r.toString(), RegistryAuth.NONE, Optional.of(Platform.parse("linux/amd64")), m -> {});
            assertThat(i.id()).isEqualTo(amd.configDigest().toString());
            assertThat(i.repoDigests()).containsExactly(registry.hostPort() + "/test/multi-" + oci + "@" + Digest.of(ib));
            assertThat(s.layerDirs(i.id()).get(0).resolve("srv/arch")).hasContent("amd64");
            ImageInspect j = s.pull(r.toString(), RegistryAuth.NONE, Optional.of(Platform.parse("linux/arm64")), m -> {});
            assertThat(j.id()).isEqualTo(arm.configDigest().toString());
            assertThat(j.architecture()).isEqualTo("arm64");
            assertThatThrownBy(() -> s.pull(r.toString(), RegistryAuth.NONE, Optional.of(Platform.parse("linux/s390x")), m -> {}))
                    .isInstanceOf(ImageException.class).hasMessageContaining("no matching manifest for linux/s390x")
                    .hasMessageContaining("linux/arm64/v8, linux/amd64");
        }
    }

    @Test
    void tamperedBlobIsRejectedAndNothingIsStored() throws IOException {
        byte[] layer = TestImage.layer("t", "honest content");
        TestImage img = TestImage.build(true, "amd64", List.of(layer));
        ImageReference r = ref("test/tampered:1");
        img.push(client(), r, RegistryAuth.NONE, tmp);
        Path data = registry.blobData(Digest.of(img.layers().get(0)));
        byte[] b = Files.readAllBytes(data);
        b[b.length / 2] ^= 0x55;
        Files.write(data, b);
        try (ImageService s = service("tampered", client())) {
            assertThatThrownBy(() -> s.pull(r.toString(), RegistryAuth.NONE, Optional.empty(), m -> {}))
                    .isInstanceOf(DigestMismatchException.class).hasMessageContaining(Digest.of(img.layers().get(0)).toString());
            assertThat(s.contentStore().has(Digest.of(img.layers().get(0)))).isFalse();
            assertThat(s.layerStore().list()).isEmpty();
            assertThat(s.list(true)).isEmpty();
        }
    }

    @Test
    void mirrorServesDockerHubNames() throws IOException {
        TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("m", "from the mirror")));
        img.push(client(), ref("library/mirrored:1"), RegistryAuth.NONE, tmp);
        RegistryClient mirrored = new RegistryClient(RegistryConfig.of(
                Map.of("docker.io", List.of(URI.create("http://" + registry.hostPort()))), Set.of()));
        try (ImageService s = service("mirror", mirrored)) {
            ImageInspect i = s.pull("mirrored:1", RegistryAuth.NONE, Optional.empty(), m -> {});
            assertThat(i.repoTags()).containsExactly("mirrored:1");
            assertThat(i.repoDigests()).containsExactly("mirrored@" + img.digest());
            assertThat(s.inspect("docker.io/library/mirrored:1").id()).isEqualTo(img.configDigest().toString());
        }
    }

    @Test
    void mirrorThatLacksTheImageFallsBackToTheRegistry() throws IOException {
        // The "upstream" here is the loopback registry itself; the mirror is a closed port.
        TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("f", "fallback")));
        img.push(client(), ref("test/fallback:1"), RegistryAuth.NONE, tmp);
        RegistryClient c = new RegistryClient(RegistryConfig.of(
                Map.of(registry.hostPort(), List.of(URI.create("http://127.0.0.1:" + RegistryTestSupport.freePort()))), Set.of()));
        try (ImageService s = service("fallback", c)) {
            assertThat(s.pull(ref("test/fallback:1").toString(), RegistryAuth.NONE, Optional.empty(), m -> {}).id())
                    .isEqualTo(img.configDigest().toString());
        }
    }

    @Test
    void plainHttpMirrorOffLoopbackIsRefused() {
        RegistryClient c = new RegistryClient(RegistryConfig.of(Map.of("docker.io", List.of(URI.create("http://mirror.example:5000"))), Set.of()));
        assertThatThrownBy(() -> c.getManifest(ImageReference.parse("busybox"), RegistryAuth.NONE))
                .isInstanceOf(ImageException.class).hasMessageContaining("plain HTTP");
    }

    @Test
    void missingImageIsNotFound() throws IOException {
        try (ImageService s = service("missing", client())) {
            assertThatThrownBy(() -> s.pull(ref("test/nothing:1").toString(), RegistryAuth.NONE, Optional.empty(), m -> {}))
                    .isInstanceOf(ImageException.class).hasMessageContaining("HTTP 404")
                    .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(ImageException.Kind.NOT_FOUND));
        }
    }

    @Test
    void importTagPushPullRoundTrip() throws IOException {
        byte[] rootfs = new TarFixture().dir("bin", 0755).file("bin/hello", "#!/bin/sh\necho hi\n", 0755).gzip();
        String name = registry.hostPort() + "/test/imported:1";
        String id;
        try (ImageService a = service("a", client())) {
            id = a.importRootfs(TestImage.stream(rootfs), Optional.of("imported:0"), Platform.host());
            a.tag("imported:0", name);
            List<ProgressMessage> msgs = new ArrayList<>();
            Digest d = a.push(name, RegistryAuth.NONE, msgs::add);
            assertThat(JSON.writeValueAsString(msgs)).contains("\"status\":\"Pushed\"").contains("1: digest: " + d);
            assertThat(a.inspect(name).repoDigests()).containsExactly(registry.hostPort() + "/test/imported@" + d);
            msgs.clear();
            a.push(name, RegistryAuth.NONE, msgs::add);
            assertThat(JSON.writeValueAsString(msgs)).contains("Layer already exists");
        }
        try (ImageService b = service("b", client())) {
            ImageInspect i = b.pull(name, RegistryAuth.NONE, Optional.empty(), m -> {});
            // Pushing to another repository of the same registry mounts the blobs instead of uploading them.
            String other = registry.hostPort() + "/test/copied:1";
            b.tag(name, other);
            List<ProgressMessage> msgs = new ArrayList<>();
            b.push(other, RegistryAuth.NONE, msgs::add);
            assertThat(JSON.writeValueAsString(msgs)).contains("Mounted from test/imported").doesNotContain("\"Pushed\"");
            assertThat(i.id()).isEqualTo(id);
            assertThat(b.layerDirs(name).get(0).resolve("bin/hello")).hasContent("#!/bin/sh\necho hi\n");
        }
    }

    @Test
    void skopeoIsAnIndependentProducer() throws IOException {
        Infra.require(Infra.onPath("skopeo"), "skopeo");
        TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("k", "by skopeo"), TestImage.layer("k2", "second")));
        Path layout = tmp.resolve("oci");
        img.writeOciLayout(layout, "v1");
        for (String format : List.of("oci", "v2s2")) {
            String dest = registry.hostPort() + "/skopeo/img:" + format;
            RegistryTestSupport.run(tmp, List.of("skopeo", "copy", "--quiet", "--format", format, "--dest-tls-verify=false",
                    "oci:" + layout + ":v1", "docker://" + dest));
            try (ImageService s = service("skopeo-" + format, client())) {
                ImageInspect i = s.pull(dest, RegistryAuth.NONE, Optional.empty(), m -> {});
                assertThat(i.id()).isEqualTo(img.configDigest().toString());
                assertThat(s.layerDirs(dest).get(0).resolve("srv/k")).hasContent("by skopeo");
            }
        }
    }
}
