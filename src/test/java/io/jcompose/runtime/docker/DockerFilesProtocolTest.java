package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.FileSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets and configs on the wire: our engine's JcomposeFiles, dockerd's bind + archive copy (docker compose v2's way). */
class DockerFilesProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private FakeEngine engine;
    private DockerRuntime runtime;
    private volatile int archiveStatus = 200;

    @AfterEach
    void close() throws IOException {
        if (runtime != null) runtime.close();
        if (engine != null) engine.close();
    }

    private DockerRuntime start(String platformName) throws IOException {
        engine = new FakeEngine(dir, (req, in, out) -> {
            if (req.target().endsWith("/version")) return json(out, 200, "{\"ApiVersion\":\"1.41\",\"Platform\":{\"Name\":\"" + platformName + "\"}}");
            if (req.target().contains("/containers/create")) return json(out, 201, "{\"Id\":\"c0ffee\"}");
            if (req.target().contains("/archive")) return json(out, archiveStatus, archiveStatus == 200 ? "" : "{\"message\":\"no space\"}");
            if (req.method().equals("DELETE")) return json(out, 204, "");
            return json(out, 404, "{\"message\":\"unexpected " + req.target() + "\"}");
        });
        runtime = DockerRuntime.forTest(engine.transport(), new RegistryCredentials(JSON.createObjectNode(), (h, s) -> Optional.empty()), "1.41");
        return runtime;
    }

    private static ContainerSpec spec() {
        return ContainerSpec.builder("busybox").name("demo-app-1")
                .file(new FileSpec(FileSpec.Kind.SECRET, "pw", "/run/secrets/pw", "hunter2".getBytes(), "/srv/demo/pw.txt", "", "", 0444))
                .file(new FileSpec(FileSpec.Kind.CONFIG, "app", "/etc/app.conf", "k=v\n".getBytes(), "", "1000", "2000", 0640))
                .file(new FileSpec(FileSpec.Kind.SECRET, "tok", "/run/secrets/tok", "t".getBytes(), "", "", "", 0400))
                .file(new FileSpec(FileSpec.Kind.SECRET, "key", "/run/secrets/key", "k".getBytes(), "/srv/demo/key", "", "", 0400))
                .build();
    }

    private JsonNode createBody() throws IOException {
        return JSON.readTree(engine.requests.stream().filter(r -> r.target().contains("/containers/create")).findFirst().orElseThrow().body());
    }

    @Test
    void ourEngineGetsJcomposeFilesAndNothingIsCopied() throws Exception {
        start("jcompose engine").containers().create(spec());
        JsonNode files = createBody().path("JcomposeFiles");
        assertThat(files).hasSize(4);
        assertThat(files.get(0).toString()).isEqualTo("{\"Kind\":\"secret\",\"Name\":\"pw\",\"Target\":\"/run/secrets/pw\",\"UID\":\"0\",\"GID\":\"0\",\"Mode\":292,\"File\":\"/srv/demo/pw.txt\"}");
        assertThat(files.get(1).toString()).isEqualTo("{\"Kind\":\"config\",\"Name\":\"app\",\"Target\":\"/etc/app.conf\",\"UID\":\"1000\",\"GID\":\"2000\",\"Mode\":416,\"Content\":\""
                + Base64.getEncoder().encodeToString("k=v\n".getBytes()) + "\"}");
        assertThat(createBody().path("HostConfig").path("Binds").isMissingNode()).isTrue();
        assertThat(engine.requests).noneMatch(r -> r.target().contains("/archive"));
    }

    @Test
    void dockerdGetsABindForPlainHostFilesAndATarPerOtherFileBeforeCreateReturns() throws Exception {
        start("Docker Engine - Community").containers().create(spec());
        JsonNode body = createBody();
        assertThat(body.has("JcomposeFiles")).isFalse();
        assertThat(body.path("HostConfig").path("Binds").toString()).isEqualTo("[\"/srv/demo/pw.txt:/run/secrets/pw:ro\"]");

        List<FakeEngine.Request> puts = engine.requests.stream().filter(r -> r.target().contains("/archive")).toList();
        assertThat(puts).extracting(FakeEngine.Request::method).containsOnly("PUT");
        assertThat(puts).extracting(FakeEngine.Request::target).containsExactly(
                "/v1.41/containers/c0ffee/archive?path=%2F&copyUIDGID=true", "/v1.41/containers/c0ffee/archive?path=%2F",
                "/v1.41/containers/c0ffee/archive?path=%2F");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(puts.get(0).body()))) {
            TarArchiveEntry e = tar.getNextEntry();
            assertThat(e.getName()).isEqualTo("etc/app.conf");
            assertThat(e.getMode() & 07777).isEqualTo(0640);
            assertThat(e.getLongUserId()).isEqualTo(1000);
            assertThat(e.getLongGroupId()).isEqualTo(2000);
            assertThat(new String(tar.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("k=v\n");
            assertThat(tar.getNextEntry()).isNull();
        }
        // The host file with a mode of its own travels as a tar (a bind would show the host file's mode).
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(puts.get(2).body()))) {
            TarArchiveEntry e = tar.getNextEntry();
            assertThat(e.getName()).isEqualTo("run/secrets/key");
            assertThat(e.getMode() & 07777).isEqualTo(0400);
        }
    }

    @Test
    void aFailedCopyRemovesTheContainer() throws Exception {
        start("Docker Engine - Community");
        archiveStatus = 500;
        assertThatThrownBy(() -> runtime.containers().create(spec())).isInstanceOf(EngineException.class)
                .hasMessageContaining("create container demo-app-1: copy config app to /etc/app.conf: no space");
        assertThat(engine.requests).anyMatch(r -> r.method().equals("DELETE") && r.target().contains("/containers/c0ffee"));
    }
}
