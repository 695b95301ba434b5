package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.engine.image.RegistryTestSupport;
import io.jcompose.testing.Dockerd;
import io.jcompose.testing.EngineFixture;
import io.jcompose.testing.Exec;
import io.jcompose.testing.Infra;
import io.jcompose.testing.LeakChecker;
import io.jcompose.testing.Registry;
import io.jcompose.testing.TestFiles;
import io.jcompose.testing.TestImages;
import io.jcompose.testing.UnixHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Docker CLI against our engine's image API: one engine (with docker.io mirrored to the harness registry)
 * for the class, the CLI pointed at it with {@code -H unix://…} and its own DOCKER_CONFIG (logins never touch
 * root's ~/.docker). Run: {@code mvn -o test -Dtest=ImageApiIntegrationTest}.
 */
@Tag("integration")
class ImageApiIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Set<LeakChecker.Leak> baseline;
    static Registry registry;
    static EngineFixture engine;
    static Path dockerConfig;

    @TempDir Path tmp;

    @BeforeAll
    static void startEngine() throws IOException {
        Infra.requireRoot();
        Infra.requireBinary("docker");
        baseline = LeakChecker.snapshot();
        registry = Registry.shared();
        TestImages.ref("busybox");
        TestImages.ref("alpine");
        engine = EngineFixture.start(EngineFixture.defaultLauncher(),
                List.of("--registry-mirror", "docker.io=http://" + registry.host()), Duration.ofSeconds(60));
        dockerConfig = Files.createTempDirectory(Path.of("/tmp"), "jc-dockercfg-");
    }

    @AfterAll
    static void stopEngine() {
        if (engine == null) return;
        String root = engine.root().toString();
        String pid = String.valueOf(engine.pid());
        engine.close();
        if (dockerConfig != null) TestFiles.deleteTree(dockerConfig, Path.of("/tmp"));
        // The host is shared with other suites running now: only what names our engine (root, pid) is ours.
        assertThat(LeakChecker.leaks(baseline, LeakChecker.snapshot()).stream()
                .filter(l -> l.id().contains(root) || l.id().matches(".*\\b" + pid + "\\b.*")).toList()).isEmpty();
    }

    /** The docker CLI against our engine; stdin is /dev/null, so a login prompt could never hang a test. */
    static Exec.Result docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", engine.dockerHost()));
        cmd.addAll(List.of(args));
        return Exec.run(cmd, Map.of("DOCKER_CONFIG", dockerConfig.toString()), Duration.ofMinutes(2));
    }

    static String configDigest(String repo, String tag) throws IOException {
        return JSON.readTree(registry.manifest(repo, tag)[1]).path("config").path("digest").asText();
    }

    static JsonNode inspect(String name) throws IOException {
        return JSON.readTree(docker("image", "inspect", name).check().out()).get(0);
    }

    @Test
    void pullListInspectTagAndRemove() throws IOException {
        String ref = registry.ref("library/alpine:latest");
        Exec.Result pull = docker("pull", ref).check();
        assertThat(pull.out()).contains("Pulling from library/alpine").containsPattern("Status: (Downloaded newer image|Image is up to date) for " + ref.replace(".", "\\."));
        String id = configDigest("library/alpine", "latest");

        // Every column dockerd fills is filled.
        String row = docker("images", "--format", "{{.Repository}}|{{.Tag}}|{{.ID}}|{{.CreatedSince}}|{{.Size}}").check().out()
                .lines().filter(l -> l.startsWith(registry.host() + "/library/alpine|")).findFirst().orElseThrow();
        String[] cols = row.split("\\|");
        assertThat(cols).hasSize(5);
        assertThat(cols[1]).isEqualTo("latest");
        assertThat("sha256:" + cols[2]).isEqualTo(id.substring(0, 19));
        assertThat(cols[3]).endsWith("ago");
        assertThat(cols[4]).matches("[0-9.]+[kM]B");
        assertThat(docker("images").check().out().lines().findFirst().orElseThrow())
                .contains("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");

        JsonNode in = inspect(ref);
        assertThat(in.path("Id").asText()).isEqualTo(id);
        assertThat(in.path("RepoTags").toString()).contains(ref);
        assertThat(in.path("RepoDigests").toString()).contains(registry.host() + "/library/alpine@sha256:");
        assertThat(in.path("Config").path("Cmd").toString()).contains("sh");
        assertThat(in.path("RootFS").path("Layers")).hasSize(1);

        docker("tag", ref, "jc-test/alpine:t1").check();
        assertThat(inspect("jc-test/alpine:t1").path("Id").asText()).isEqualTo(id);
        // Two names: removing one only untags.
        Exec.Result untag = docker("rmi", "jc-test/alpine:t1").check();
        assertThat(untag.out()).contains("Untagged: jc-test/alpine:t1").doesNotContain("Deleted");
        // The last tag: the image goes.
        Exec.Result rm = docker("rmi", ref).check();
        assertThat(rm.out()).contains("Untagged: " + ref).contains("Deleted: " + id);
        Exec.Result gone = docker("image", "inspect", ref);
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("No such image");
    }

    @Test
    void pullOfUnknownImageIsAnErrorBeforeTheStream() {
        Exec.Result r = docker("pull", registry.ref("library/no-such-image:1"));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("Error response from daemon").contains("MANIFEST_UNKNOWN");
        assertThat(r.out()).doesNotContain("Pulling from");
    }

    @Test
    void failureAfterTheStreamStartedIsReportedInBand() throws IOException {
        try (RegistryTestSupport bad = RegistryTestSupport.start(tmp.resolve("bad"), new RegistryTestSupport.NoAuth())) {
            String ref = bad.hostPort() + "/tampered/busybox:1";
            // Content of its own: a layer the engine already holds would not be fetched at all.
            Path dir = Files.createDirectories(tmp.resolve("unique/data"));
            Files.writeString(dir.resolve("nonce"), Long.toString(System.nanoTime()) + "x".repeat(100_000));
            Path layout = tmp.resolve("layout");
            new io.jcompose.engine.image.ImageBuilder().layer(tmp.resolve("unique")).writeTo(layout, "latest");
            Exec.run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + layout + ":latest", "docker://" + ref).check();
            JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
            String manifest = index.path("manifests").get(0).path("digest").asText().substring(7);
            String layer = JSON.readTree(layout.resolve("blobs/sha256/" + manifest).toFile()).path("layers").get(0).path("digest").asText();
            Path data = bad.blobData(io.jcompose.engine.image.Digest.parse(layer));
            byte[] bytes = Files.readAllBytes(data);
            bytes[bytes.length / 2] ^= 1;
            Files.write(data, bytes);

            Exec.Result pull = docker("pull", ref);
            assertThat(pull.exitCode()).isNotZero();
            // The progress had started (HTTP 200), so the failure came as Docker's in-band error line.
            assertThat(pull.out()).contains("Pulling from tampered/busybox").contains("Pulling fs layer");
            assertThat(pull.err()).contains("sha256:").containsIgnoringCase("digest");
            assertThat(docker("image", "inspect", ref).ok()).isFalse();
        }
    }

    @Test
    void mirrorServesDockerHubNames() throws IOException {
        Exec.Result pull = docker("pull", "busybox").check();
        assertThat(pull.out()).contains("Pulling from library/busybox").contains("docker.io/library/busybox:latest");
        JsonNode in = inspect("busybox");
        assertThat(in.path("Id").asText()).isEqualTo(configDigest("library/busybox", "latest"));
        assertThat(in.path("RepoTags").toString()).contains("busybox:latest");
        assertThat(in.path("RepoDigests").toString()).contains("\"busybox@sha256:");
    }

    @Test
    void importSystemDfAndPrune() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        Path tar = tmp.resolve("rootfs.tar");
        Exec.run("tar", "-C", tmp.resolve("rootfs").toString(), "-cf", tar.toString(), ".").check();

        String named = docker("import", "-c", "CMD [\"/bin/busybox\", \"sh\"]", "-c", "ENV A=b", tar.toString(), "jc-test/imported:1")
                .check().out().strip();
        assertThat(named).matches("sha256:[0-9a-f]{64}");
        JsonNode in = inspect("jc-test/imported:1");
        assertThat(in.path("Id").asText()).isEqualTo(named);
        assertThat(in.path("Config").path("Cmd").toString()).isEqualTo("[\"/bin/busybox\",\"sh\"]");
        assertThat(in.path("Config").path("Env").toString()).contains("A=b");

        // A second import with other content and no name: dangling.
        Files.writeString(tmp.resolve("rootfs/marker"), "dangling");
        Path tar2 = tmp.resolve("rootfs2.tar");
        Exec.run("tar", "-C", tmp.resolve("rootfs").toString(), "-cf", tar2.toString(), ".").check();
        String dangling = docker("import", tar2.toString()).check().out().strip();
        assertThat(docker("images", "-q", "--no-trunc", "--filter", "dangling=true").check().out()).contains(dangling);

        Exec.Result df = docker("system", "df");
        df.check();
        String imagesLine = df.out().lines().filter(l -> l.startsWith("Images")).findFirst().orElseThrow();
        assertThat(Integer.parseInt(imagesLine.split("\\s+")[1])).isGreaterThanOrEqualTo(2);
        assertThat(df.out()).contains("Containers", "Local Volumes", "Build Cache");
        assertThat(docker("system", "df", "-v").check().out()).contains("jc-test/imported");

        Exec.Result prune = docker("image", "prune", "-f").check();
        assertThat(prune.out()).contains("deleted: " + dangling).contains("Total reclaimed space");
        assertThat(docker("images", "-q", "--no-trunc", "--filter", "dangling=true").check().out()).doesNotContain(dangling);
        assertThat(docker("image", "inspect", "jc-test/imported:1").ok()).isTrue(); // tagged images survive a prune
        docker("rmi", "jc-test/imported:1").check();
    }

    @Test
    void loginThenPrivatePull() throws IOException {
        try (RegistryTestSupport priv = RegistryTestSupport.start(tmp.resolve("priv"), new RegistryTestSupport.Basic("alice", "s3cret"))) {
            String ref = priv.hostPort() + "/private/busybox:1";
            Exec.run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret",
                    "oci:" + TestImages.layout("busybox") + ":latest", "docker://" + ref).check();

            Exec.Result anon = docker("pull", ref);
            assertThat(anon.exitCode()).isNotZero();
            assertThat(anon.err()).contains("requires authentication");

            Exec.Result wrong = docker("login", "-u", "alice", "-p", "wrong", priv.hostPort());
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(wrong.err()).contains("Error response from daemon").contains("401 Unauthorized");

            Exec.Result ok = docker("login", "-u", "alice", "-p", "s3cret", priv.hostPort()).check();
            assertThat(ok.out()).contains("Login Succeeded");
            assertThat(Files.readString(dockerConfig.resolve("config.json"))).contains(priv.hostPort());

            // CLI → X-Registry-Auth → our registry client.
            Exec.Result pull = docker("pull", ref).check();
            assertThat(pull.out()).contains("Pulling from private/busybox");
            assertThat(inspect(ref).path("RepoDigests").toString()).contains(priv.hostPort() + "/private/busybox@sha256:");

            // And push with the same credentials.
            docker("tag", ref, priv.hostPort() + "/private/busybox:pushed").check();
            assertThat(docker("push", priv.hostPort() + "/private/busybox:pushed").check().out()).contains("pushed: digest: sha256:");

            docker("logout", priv.hostPort()).check();
            docker("rmi", ref, priv.hostPort() + "/private/busybox:pushed").check();
        }
    }

    @Test
    void saveToDockerdAndBack() throws IOException {
        Dockerd dockerd = Dockerd.shared();
        String nonce = Long.toHexString(System.nanoTime());
        String ours = "jc-test/save:" + nonce;
        String back = "jc-test/back:" + nonce;
        String ref = registry.ref("library/busybox:latest");
        docker("pull", ref).check();
        docker("tag", ref, ours).check();
        JsonNode mine = inspect(ours);
        Path archive = tmp.resolve("ours.tar");
        try {
            docker("save", "-o", archive.toString(), ours).check();
            assertThat(dockerd.docker("load", "-i", archive.toString()).check().out()).contains("Loaded image: " + ours);
            JsonNode theirs = JSON.readTree(dockerd.docker("image", "inspect", ours).check().out()).get(0);
            assertThat(theirs.path("Id").asText()).isEqualTo(mine.path("Id").asText()).isEqualTo(configDigest("library/busybox", "latest"));
            assertThat(theirs.path("RootFS").path("Layers")).isEqualTo(mine.path("RootFS").path("Layers"));

            dockerd.docker("tag", ours, back).check();
            Path fromDockerd = tmp.resolve("dockerd.tar");
            dockerd.docker("save", "-o", fromDockerd.toString(), back).check();
            assertThat(docker("load", "-i", fromDockerd.toString()).check().out()).contains("Loaded image: " + back);
            JsonNode loaded = inspect(back);
            assertThat(loaded.path("Id").asText()).isEqualTo(mine.path("Id").asText());
            assertThat(loaded.path("RootFS").path("Layers")).isEqualTo(mine.path("RootFS").path("Layers"));
        } finally {
            dockerd.docker("rmi", ours);
            dockerd.docker("rmi", back);
            docker("rmi", ours);
            docker("rmi", back);
        }
        assertThat(dockerd.docker("image", "inspect", ours).ok()).isFalse();
        assertThat(dockerd.docker("image", "inspect", back).ok()).isFalse();
    }

    @Test
    void routesWithSlashesAndFixedPathsDoNotCollide() throws IOException {
        String ref = registry.ref("library/busybox:latest");
        docker("pull", ref).check();
        Path sock = engine.socket();
        assertThat(UnixHttp.get(sock, "/v1.41/images/json").status()).isEqualTo(200);
        UnixHttp.Response in = UnixHttp.get(sock, "/v1.41/images/" + ref + "/json");
        assertThat(in.status()).isEqualTo(200);
        assertThat(in.body()).contains(ref);
        assertThat(UnixHttp.get(sock, "/v1.41/images/get?names=" + ref).status()).isEqualTo(200);
        assertThat(UnixHttp.get(sock, "/v1.41/images/" + ref + "/get").status()).isEqualTo(200);
        UnixHttp.Response missing = UnixHttp.get(sock, "/v1.41/images/" + registry.host() + "/no/such:1/json");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("No such image");
        assertThat(UnixHttp.get(sock, "/v1.41/images/get").status()).isEqualTo(400);
        assertThat(UnixHttp.delete(sock, "/v1.41/images/no-such-image:1").status()).isEqualTo(404);
        JsonNode info = JSON.readTree(UnixHttp.get(sock, "/v1.41/info").body());
        assertThat(info.path("Images").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(info.path("RegistryConfig").path("Mirrors").toString()).contains("http://" + registry.host());
        assertThat(docker("info").check().out()).contains("Registry Mirrors:").contains("http://" + registry.host());
    }
}
