package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code jcompose engine} as a process, driven by curl, the Docker CLI and a second engine. Needs root. */
@Tag("integration")
class EngineIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        Infra.require(Infra.isRoot(), "root (the engine admits root and sets socket ownership)");
        Infra.require(Infra.onPath("curl"), "curl");
        root = Infra.tempRoot();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (root != null) Infra.deleteTempRoot(root);
    }

    static Infra.Run curl(Path socket, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--unix-socket", socket.toString()));
        cmd.addAll(List.of(args));
        return Infra.run(cmd);
    }

    @Test
    void curlSeesPingVersionInfoAndDockerErrors() throws Exception {
        try (EngineProcess e = EngineProcess.start(root)) {
            Infra.Run ping = curl(e.socket, "-i", "http://engine/_ping");
            assertThat(ping.out()).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("api-version: 1.41")
                    .contains("Ostype: linux").endsWith("\r\n\r\nOK");

            JsonNode v = JSON.readTree(curl(e.socket, "http://engine/v1.38/version").out());
            assertThat(v.get("ApiVersion").asText()).isEqualTo("1.41");
            assertThat(v.get("MinAPIVersion").asText()).isEqualTo("1.24");

            JsonNode info = JSON.readTree(curl(e.socket, "http://engine/info").out());
            assertThat(info.get("DockerRootDir").asText()).isEqualTo(root.toRealPath().toString());
            assertThat(info.get("Labels").get(0).asText()).isEqualTo("io.jcompose.root-id=" + StateRoot.idOf(root.toRealPath()));

            Infra.Run tooNew = curl(e.socket, "-i", "http://engine/v1.99/info");
            assertThat(tooNew.out()).startsWith("HTTP/1.1 400").endsWith(
                    "{\"message\":\"client version 1.99 is too new. Maximum supported API version is 1.41\"}\n");
            assertThat(curl(e.socket, "-i", "http://engine/v1.41/nope").out()).startsWith("HTTP/1.1 404")
                    .endsWith("{\"message\":\"page not found\"}\n");

            // Chunked request body, keep-alive reuse of one connection for two requests.
            Infra.Run two = curl(e.socket, "-v", "-H", "Transfer-Encoding: chunked", "-d", "{}", "http://engine/v1.41/nope",
                    "--next", "--unix-socket", e.socket.toString(), "http://engine/_ping");
            assertThat(two.err()).contains("Re-using existing connection");
            assertThat(two.out()).endsWith("OK");

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(e.socket))).isEqualTo("rw-rw----");
            assertThat(Files.getOwner(e.socket).getName()).isEqualTo("root");
            assertThat(Files.readString(root.resolve("engine.log"))).contains("engine ", " started in ");
        }
    }

    @Test
    void dockerCliTalksToTheEngine() throws Exception {
        Infra.require(Infra.onPath("docker"), "the docker CLI");
        try (EngineProcess e = EngineProcess.start(root)) {
            String host = "unix://" + e.socket;
            Infra.Run version = Infra.run(List.of("docker", "-H", host, "version", "--format", "{{.Server.APIVersion}} {{.Server.Os}}"));
            assertThat(version.code()).as(version.err()).isZero();
            assertThat(version.out().trim()).isEqualTo("1.41 linux");
            Infra.Run info = Infra.run(List.of("docker", "-H", host, "info", "--format", "{{.DockerRootDir}} {{.Driver}} {{.OSType}}"));
            assertThat(info.code()).as(info.err()).isZero();
            assertThat(info.out().trim()).isEqualTo(root.toRealPath() + " overlay2 linux");
            Infra.Run plain = Infra.run(List.of("docker", "-H", host, "info"));
            assertThat(plain.code()).as(plain.err()).isZero();
            assertThat(plain.out()).contains("Server Version:").contains("Docker Root Dir: " + root.toRealPath());
        }
    }

    @Test
    void dockerCompose129NegotiatesTheApiVersion() throws Exception {
        Infra.require(Infra.onPath("docker-compose"), "docker-compose 1.29");
        Path project = Files.createDirectories(root.resolve("proj"));
        Files.writeString(project.resolve("docker-compose.yml"), "version: \"3.8\"\nservices:\n  a:\n    image: busybox\n");
        try (EngineProcess e = EngineProcess.start(root, "--log-level", "debug")) {
            for (String pinned : List.of("", "1.38")) {
                List<String> cmd = new java.util.ArrayList<>(List.of("env", "DOCKER_HOST=unix://" + e.socket));
                if (!pinned.isEmpty()) cmd.add("COMPOSE_API_VERSION=" + pinned);
                cmd.addAll(List.of("docker-compose", "--project-directory", project.toString(),
                        "-f", project.resolve("docker-compose.yml").toString(), "ps"));
                Infra.Run ps = Infra.run(cmd);
                // The handshake passes and the container routes answer: an empty project lists no containers.
                assertThat(ps.err()).doesNotContain("client version").doesNotContain("API version");
                assertThat(ps.code()).as(ps.err()).isZero();
                assertThat(ps.out()).contains("Name").contains("State");
            }
            String log = Files.readString(root.resolve("engine.log"));
            assertThat(log).contains("GET /version -> 200").contains("GET /v1.38/");
        }
    }

    @Test
    void secondEngineOnTheSameRootIsRefusedWithTheLockMessage() throws Exception {
        try (EngineProcess first = EngineProcess.start(root);
             EngineProcess second = EngineProcess.launch(root, root.resolve("other.sock"))) {
            assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).isEqualTo(1);
            assertThat(second.stderr().trim()).isEqualTo("jcompose engine: another engine is running for " + root.toRealPath()
                    + " (pid " + first.process.pid() + "); stop it first or use another --root");
            assertThat(root.resolve("other.sock")).doesNotExist();
            assertThat(EnginePing.ping(first.socket, Duration.ofSeconds(2))).isTrue();
        }
    }

    @Test
    void sigtermRemovesTheSocketReleasesTheLockAndExitsZero() throws Exception {
        EngineProcess e = EngineProcess.start(root);
        try (e) {
            assertThat(e.terminate()).isZero();
            assertThat(Files.exists(e.socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.readString(root.resolve("engine.log"))).contains("received SIGTERM").contains("engine stopped");
        }
        try (EngineProcess again = EngineProcess.start(root)) {
            assertThat(again.process.isAlive()).isTrue(); // the lock was released
        }
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        try (EngineProcess first = EngineProcess.start(root)) {
            first.process.destroyForcibly(); // SIGKILL: no clean-up, the socket file stays
            first.process.waitFor(30, TimeUnit.SECONDS);
            assertThat(Files.exists(first.socket, LinkOption.NOFOLLOW_LINKS)).isTrue();
        }
        try (EngineProcess second = EngineProcess.start(root)) {
            Path otherRoot = Infra.tempRoot();
            try (EngineProcess third = EngineProcess.launch(otherRoot, second.socket)) {
                assertThat(third.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(third.stderr()).contains("socket " + second.socket + " is in use by another server");
            } finally {
                Infra.deleteTempRoot(otherRoot);
            }
            assertThat(EnginePing.ping(second.socket, Duration.ofSeconds(2))).isTrue();
        }
    }

    @Test
    void nonRootPeersAreRefused() throws Exception {
        Infra.require(Infra.onPath("setpriv"), "setpriv (util-linux)");
        try (EngineProcess e = EngineProcess.start(root)) {
            List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "curl", "-sS", "--max-time", "10", "--unix-socket", e.socket.toString(), "http://engine/_ping");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            Infra.Run denied = Infra.run(asNobody);
            assertThat(denied.code()).as(denied.err()).isEqualTo(7); // the kernel refuses connect(): socket mode 0660 root:root
            assertThat(Files.readString(root.resolve("engine.log"))).doesNotContain("refused connection");

            // Loosen the file: the engine's own peer check still refuses.
            Files.setPosixFilePermissions(e.socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Infra.Run forbidden = Infra.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "curl", "-sS", "-i", "--max-time", "10", "--unix-socket", e.socket.toString(), "http://engine/_ping"));
            assertThat(forbidden.out()).startsWith("HTTP/1.1 403 Forbidden").contains("user nobody is not root");
            assertThat(Files.readString(root.resolve("engine.log"))).contains("refused connection from user nobody");
        }
    }

    @Test
    void groupMembersAreAdmitted() throws Exception {
        Infra.require(Infra.onPath("setpriv"), "setpriv (util-linux)");
        try (EngineProcess e = EngineProcess.start(root, "--group", "nogroup")) {
            assertThat(Files.readAttributes(e.socket, java.nio.file.attribute.PosixFileAttributes.class).group().getName())
                    .isEqualTo("nogroup");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            Infra.Run ok = Infra.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "curl", "-sS", "--max-time", "10", "--unix-socket", e.socket.toString(), "http://engine/_ping"));
            assertThat(ok.out()).as(ok.err()).isEqualTo("OK");
        }
    }

    @Test
    void newerStateFormatIsRefused() throws Exception {
        Files.writeString(root.resolve("format-version"), "99\n");
        try (EngineProcess e = EngineProcess.launch(root, root.resolve("e.sock"))) {
            assertThat(e.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(e.process.exitValue()).isEqualTo(1);
            assertThat(e.stderr()).contains("has format 99, written by a newer jcompose");
            assertThat(root.resolve("e.sock")).doesNotExist();
        }
    }

    @Test
    void launcherStartsADetachedEngineOnceAndReportsStartupTime() throws Exception {
        Path socket = root.resolve("e.sock");
        EngineLauncher.Launch first = EngineLauncher.ensureRunning(root, socket, Duration.ofSeconds(30));
        long pid = first.pid().orElseThrow();
        try {
            assertThat(first.started()).isTrue();
            System.out.println("engine start-up until /_ping answers: " + first.waited().toMillis() + " ms");
            EngineLauncher.Launch second = EngineLauncher.ensureRunning(root, socket, Duration.ofSeconds(30));
            assertThat(second.started()).isFalse();
            ProcessHandle engine = ProcessHandle.of(pid).orElseThrow();
            // Its own session: a Ctrl-C to the CLI's terminal does not reach it.
            assertThat(Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ")[5])
                    .isNotEqualTo(Files.readString(Path.of("/proc/self/stat")).split(" ")[5]);
            assertThat(engine.info().commandLine().orElse("")).contains("--detached");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readString(root.resolve("engine.log"))).contains("received SIGTERM");
    }
}
