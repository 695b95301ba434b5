package io.jcompose.runtime.docker;

import static org.junit.jupiter.api.Assertions.fail;

import io.jcompose.runtime.ContainerRuntime;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * What the Docker client's integration tests need, kept in one small class so the shared harness can replace
 * it: a runtime on the real dockerd, a busybox-static test image, and a throw-away registry on loopback.
 * Under {@code CI=true} missing infrastructure fails the test instead of skipping it.
 */
final class DockerTestSupport {
    static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");
    static final String TEST_LABEL = "io.jcompose.test";
    static final String BUSYBOX = "jcompose-test/busybox:latest";
    private static final List<String> APPLETS = List.of("sh", "echo", "sleep", "cat", "ls", "true", "false", "env",
            "id", "hostname", "timeout", "kill", "ps", "mkdir", "rm", "test", "[", "wget", "nc", "printf", "grep",
            "touch", "date", "head", "tail", "wc");

    private DockerTestSupport() {}

    static void assumeInfrastructure(boolean present, String why) {
        if (present) return;
        if ("true".equals(System.getenv("CI"))) fail("missing test infrastructure under CI=true: " + why);
        Assumptions.assumeTrue(false, why);
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    /** A runtime on the host's dockerd; skips (or fails under CI) when it is not there. */
    static DockerRuntime dockerd() {
        // The harness reuses a running dockerd or starts one (and fails under CI=true if it cannot).
        Path socket = io.jcompose.testing.Dockerd.shared().socket();
        DockerRuntime rt = DockerRuntime.connect(DockerEndpoint.unix(socket), System.getenv()::get,
                Path.of(System.getProperty("user.home")));
        try {
            rt.system().ping();
        } catch (RuntimeException e) {
            rt.close();
            assumeInfrastructure(false, "dockerd does not answer: " + e.getMessage());
        }
        return rt;
    }

    /**
     * Makes sure {@link #BUSYBOX} exists, importing a busybox-static rootfs with {@code docker import}.
     * Returns true if this call created it (so the caller removes it afterwards).
     */
    static boolean ensureBusybox(ContainerRuntime rt) throws IOException, InterruptedException {
        try {
            rt.images().inspect(BUSYBOX);
            return false;
        } catch (io.jcompose.runtime.EngineException e) {
            if (!e.isNotFound()) throw e;
        }
        Path busybox = Path.of("/bin/busybox");
        assumeInfrastructure(Files.isExecutable(busybox) && onPath("docker"), "busybox-static or docker CLI missing");
        Path root = Files.createTempDirectory("jcompose-busybox");
        try {
            Path bin = Files.createDirectories(root.resolve("rootfs/bin"));
            Files.copy(busybox, bin.resolve("busybox"));
            for (String applet : APPLETS) Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            Files.createDirectories(root.resolve("rootfs/tmp"));
            Files.createDirectories(root.resolve("rootfs/etc"));
            run(root, "tar -C rootfs -cf image.tar . && docker import --change 'CMD [\"/bin/sh\"]' --change 'LABEL "
                    + TEST_LABEL + "=true' image.tar " + BUSYBOX);
        } finally {
            run(root.getParent(), "rm -rf -- '" + root + "'");
        }
        return true;
    }

    /** A docker-registry on 127.0.0.1 with a temp config and storage; close() kills it and deletes its data. */
    static final class Registry implements AutoCloseable {
        final int port;
        private final Process process;
        private final Path dir;
        private final String user;
        private final String password;

        Registry() throws IOException, InterruptedException {
            this(null, null);
        }

        /**
         * With a user, the registry requires htpasswd auth, and {@link #push} logs in with a private Docker CLI
         * config ({@link #cliConfigDir()}), never the real {@code ~/.docker}.
         */
        Registry(String user, String password) throws IOException, InterruptedException {
            assumeInfrastructure(onPath("docker-registry"), "docker-registry is not installed");
            this.user = user;
            this.password = password;
            dir = Files.createTempDirectory("jcompose-registry");
            String auth = "";
            if (user != null) {
                assumeInfrastructure(onPath("htpasswd"), "htpasswd (apache2-utils) is not installed");
                run(dir, "htpasswd -Bbn '" + user + "' '" + password + "' > htpasswd");
                auth = "auth:\n  htpasswd:\n    realm: jcompose-test\n    path: " + dir.resolve("htpasswd") + "\n";
            }
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: "
                    + dir.resolve("data") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
            process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            Awaitility.await("registry on 127.0.0.1:" + port).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(this::answers);
        }

        String host() {
            return "127.0.0.1:" + port;
        }

        private boolean answers() throws IOException {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            HttpURLConnection c = (HttpURLConnection) new URL("http://" + host() + "/v2/").openConnection();
            c.setConnectTimeout(500);
            int status = c.getResponseCode();
            return status == 200 || (user != null && status == 401);
        }

        /** The Docker CLI config dir that holds this registry's login (after a push with auth). */
        Path cliConfigDir() {
            return dir.resolve("cli");
        }

        /** Pushes a local image to this registry under {@code name} with the docker CLI. */
        void push(String image, String name) throws IOException, InterruptedException {
            String target = host() + "/" + name;
            String env = "export DOCKER_CONFIG='" + cliConfigDir() + "'; ";
            String login = user == null ? "" : "printf '%s' '" + password + "' | docker login -u '" + user
                    + "' --password-stdin " + host() + " >/dev/null && ";
            run(dir, env + login + "docker tag " + image + " " + target + " && docker push " + target
                    + " >/dev/null && docker rmi " + target + " >/dev/null");
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
            run(dir.getParent(), "rm -rf -- '" + dir + "'");
        }
    }

    static String run(Path cwd, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-euc", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("`" + script + "` failed: " + out.strip());
        return out;
    }
}
