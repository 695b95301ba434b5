package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.testing.LeakChecker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Containers, networks, ports and volumes wired together in a real engine process, driven by the clients people
 * use: the Docker CLI, Debian's docker-compose 1.29 and jcompose itself (DOCKER_HOST pointing at our socket). One
 * engine for the class; afterwards nothing of its root may be left on the host (netns, veth, bridge, JCOMPOSE rule,
 * mount, conmon).
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineWiringIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path root;
    static String rootId;
    static EngineProcess engine;
    static SortedSet<LeakChecker.Leak> baseline;
    static final String run = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void startEngine() throws Exception {
        Infra.require(Infra.isRoot(), "root (netns, bridges, mounts)");
        Infra.require(Infra.onPath("docker") && Infra.onPath("conmon") && Infra.onPath("runc"), "docker CLI, conmon and runc");
        root = Infra.tempRoot();
        rootId = StateRoot.idOf(root.toRealPath());
        baseline = LeakChecker.snapshot();
        engine = EngineProcess.start(root);
        ContainersIntegrationTest.Target.pullBusybox(engine.socket);
    }

    @AfterAll
    static void stopEngineAndCheckLeaks() throws Exception {
        if (engine == null) {
            if (root != null) Infra.deleteTempRoot(root);
            return;
        }
        String ids = docker("ps", "-aq").out().trim();
        if (!ids.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rm", "-f", "-v"));
            cmd.addAll(List.of(ids.split("\\s+")));
            docker(cmd.toArray(String[]::new));
        }
        for (String n : docker("network", "ls", "--filter", "type=custom", "-q").out().trim().split("\\s+")) {
            if (!n.isEmpty()) docker("network", "rm", n);
        }
        for (String v : docker("volume", "ls", "-q").out().trim().split("\\s+")) {
            if (!v.isEmpty()) docker("volume", "rm", v);
        }
        engine.close();
        SortedSet<LeakChecker.Leak> leaks = LeakChecker.leaks(baseline, LeakChecker.snapshot());
        leaks.removeIf(l -> !l.id().contains(rootId) && !l.id().contains(root.toString()));
        Infra.deleteTempRoot(root);
        assertThat(leaks).as("left behind by the engine").isEmpty();
    }

    static Infra.Run docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + engine.socket));
        cmd.addAll(List.of(args));
        return Infra.run(cmd);
    }

    static Infra.Run ok(Infra.Run r) {
        assertThat(r.code()).as("exit code; stdout: " + r.out() + "; stderr: " + r.err()).isZero();
        return r;
    }

    static String n(String name) {
        return "jcw" + run + "-" + name;
    }

    /** A command in {@code dir} with DOCKER_HOST set to our engine, up to 180 s. */
    static Infra.Run withHost(Path dir, List<String> cmd) throws Exception {
        Path out = Files.createTempFile("jcw-out", ".txt");
        Path err = Files.createTempFile("jcw-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("DOCKER_HOST", "unix://" + engine.socket);
            pb.environment().put("JCOMPOSE_ENGINE_SOCKET", engine.socket.toString()); // for --runtime builtin
            pb.environment().remove("JCOMPOSE_RUNTIME");
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd + "\n" + Files.readString(err));
            }
            return new Infra.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String httpGet(int port, String path) throws Exception {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static JsonNode inspect(String what, String ref) throws Exception {
        return JSON.readTree(ok(docker(what, "inspect", ref)).out()).get(0);
    }

    @Test
    @Order(1)
    void containersOnOneNetworkResolveEachOtherAndOthersDoNot() throws Exception {
        String n1 = n("n1");
        String n2 = n("n2");
        ok(docker("network", "create", n1));
        ok(docker("network", "create", n2));
        ok(docker("run", "-d", "--name", n("a"), "--network", n1, "--network-alias", "alpha", "busybox", "sleep", "300"));
        ok(docker("run", "-d", "--name", n("b"), "--network", n1, "busybox", "sleep", "300"));
        ok(docker("run", "-d", "--name", n("c"), "--network", n2, "busybox", "sleep", "300"));

        JsonNode a = inspect("container", n("a"));
        String ipA = a.at("/NetworkSettings/Networks/" + n1 + "/IPAddress").asText();
        assertThat(ipA).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(a.at("/NetworkSettings/Networks/" + n1 + "/Gateway").asText()).isNotEmpty();
        assertThat(a.at("/NetworkSettings/Networks/" + n1 + "/MacAddress").asText()).startsWith("02:42:");
        assertThat(a.at("/NetworkSettings/Networks/" + n1 + "/IPPrefixLen").asInt()).isPositive();
        assertThat(a.at("/NetworkSettings/Networks/" + n1 + "/Aliases").toString()).contains("alpha", a.path("Id").asText().substring(0, 12));
        assertThat(a.at("/NetworkSettings/Networks/" + n1 + "/NetworkID").asText()).isEqualTo(inspect("network", n1).path("Id").asText());

        Infra.Run byName = ok(docker("exec", n("b"), "nslookup", n("a")));
        assertThat(byName.out()).contains("Address: " + ipA);
        assertThat(ok(docker("exec", n("b"), "nslookup", "alpha")).out()).contains("Address: " + ipA);
        ok(docker("exec", n("b"), "ping", "-c1", "-W", "2", "alpha"));
        // resolv.conf names the network's gateway (our DNS responder); hosts has localhost and the container itself
        assertThat(ok(docker("exec", n("b"), "cat", "/etc/resolv.conf")).out())
                .contains("nameserver " + a.at("/NetworkSettings/Networks/" + n1 + "/Gateway").asText());
        assertThat(ok(docker("exec", n("b"), "cat", "/etc/hosts")).out()).contains("127.0.0.1\tlocalhost");

        Infra.Run other = docker("exec", n("c"), "nslookup", "alpha");
        assertThat(other.code()).as("a container on another network must not resolve alpha: " + other.out()).isNotZero();
        assertThat(other.out() + other.err()).contains("NXDOMAIN");

        JsonNode net1 = inspect("network", n1);
        assertThat(net1.path("Containers").has(a.path("Id").asText())).isTrue();
        assertThat(net1.path("Containers").path(a.path("Id").asText()).path("IPv4Address").asText()).startsWith(ipA + "/");

        // network connect / disconnect of a running container
        ok(docker("network", "connect", "--alias", "gamma", n1, n("c")));
        assertThat(ok(docker("exec", n("c"), "nslookup", "alpha")).out()).contains("Address: " + ipA);
        assertThat(ok(docker("exec", n("a"), "nslookup", "gamma")).out()).contains("Name:");
        assertThat(inspect("container", n("c")).at("/NetworkSettings/Networks").has(n1)).isTrue();
        ok(docker("network", "disconnect", n1, n("c")));
        assertThat(docker("exec", n("c"), "nslookup", "alpha").code()).isNotZero();
        assertThat(inspect("container", n("c")).at("/NetworkSettings/Networks").has(n1)).isFalse();

        // replicas sharing an alias: every address answered; a removed one is gone at once (TTL 0)
        List<String> replicaIps = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ok(docker("run", "-d", "--name", n("r" + i), "--network", n1, "--network-alias", "svc", "busybox", "sleep", "300"));
            replicaIps.add(inspect("container", n("r" + i)).at("/NetworkSettings/Networks/" + n1 + "/IPAddress").asText());
        }
        assertThat(ok(docker("exec", n("b"), "nslookup", "svc")).out()).contains(replicaIps.toArray(String[]::new));
        ok(docker("rm", "-f", n("r3")));
        long t0 = System.nanoTime();
        assertThat(ok(docker("exec", n("b"), "nslookup", "svc")).out()).contains(replicaIps.get(0)).doesNotContain(replicaIps.get(2));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        ok(docker("rm", "-f", n("r1"), n("r2")));

        // stopped: no endpoint, no namespace; removing leaves the network removable
        ok(docker("stop", "-t", "0", n("a")));
        assertThat(Files.exists(Path.of("/run/netns/jc" + rootId + "-" + a.path("Id").asText().substring(0, 12)))).isFalse();
        ok(docker("rm", "-f", n("a"), n("b"), n("c")));
        ok(docker("network", "rm", n1, n2));
    }

    @Test
    @Order(2)
    void publishedPortServesAVolumeAndANamedVolumeSurvivesRemovalAndEngineRestart() throws Exception {
        String vol = n("www");
        ok(docker("run", "--rm", "-v", vol + ":/data", "busybox", "sh", "-c", "echo hello-volume > /data/index.html"));
        ok(docker("run", "-d", "--name", n("web"), "-p", "127.0.0.1::80", "-v", vol + ":/www", "busybox", "httpd", "-f", "-p", "80", "-h", "/www"));
        JsonNode web = inspect("container", n("web"));
        JsonNode binding = web.at("/NetworkSettings/Ports/80~1tcp/0");
        assertThat(binding.path("HostIp").asText()).isEqualTo("127.0.0.1");
        int port = Integer.parseInt(binding.path("HostPort").asText());
        assertThat(port).isPositive();
        assertThat(web.at("/Mounts/0/Type").asText()).isEqualTo("volume");
        assertThat(web.at("/Mounts/0/Name").asText()).isEqualTo(vol);
        assertThat(web.at("/Mounts/0/Destination").asText()).isEqualTo("/www");
        assertThat(ok(docker("port", n("web"), "80")).out().trim()).isEqualTo("127.0.0.1:" + port);
        assertThat(ok(docker("ps", "--filter", "name=" + n("web"), "--format", "{{.Ports}}")).out().trim())
                .isEqualTo("127.0.0.1:" + port + "->80/tcp");
        Awaitility.await("httpd answers through the published port").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> httpGet(port, "/index.html").equals("hello-volume\n"));
        ok(docker("rm", "-f", n("web")));

        // anonymous volumes: rm -v removes them, a named one stays
        ok(docker("create", "--name", n("anon"), "-v", "/scratch", "-v", vol + ":/keep", "busybox", "true"));
        String anon = inspect("container", n("anon")).at("/Mounts").findValuesAsText("Name").stream()
                .filter(v -> !v.equals(vol)).findFirst().orElseThrow();
        assertThat(ok(docker("volume", "ls", "-q")).out()).contains(anon);
        ok(docker("rm", "-v", n("anon")));
        assertThat(ok(docker("volume", "ls", "-q")).out()).doesNotContain(anon).contains(vol);

        // A running container keeps its address, DNS name and published port across an engine restart.
        String net = n("keep");
        ok(docker("network", "create", net));
        ok(docker("run", "-d", "--name", n("kweb"), "--network", net, "-p", "127.0.0.1::80", "-v", vol + ":/www:ro", "busybox",
                "httpd", "-f", "-p", "80", "-h", "/www"));
        ok(docker("run", "-d", "--name", n("kcli"), "--network", net, "busybox", "sleep", "300"));
        int kport = Integer.parseInt(inspect("container", n("kweb")).at("/NetworkSettings/Ports/80~1tcp/0/HostPort").asText());
        engine.close();
        engine = EngineProcess.start(root);
        Awaitility.await("published port after the restart").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> httpGet(kport, "/index.html").equals("hello-volume\n"));
        assertThat(ok(docker("exec", n("kcli"), "nslookup", n("kweb"))).out()).contains("Name:");
        ok(docker("rm", "-f", n("kweb"), n("kcli")));
        ok(docker("network", "rm", net));
        assertThat(ok(docker("run", "--rm", "-v", vol + ":/d", "busybox", "cat", "/d/index.html")).out()).isEqualTo("hello-volume\n");
        ok(docker("volume", "rm", vol));
    }

    @Test
    @Order(3)
    void networkModesVolumesFromAndSecrets() throws Exception {
        ok(docker("run", "-d", "--name", n("shared"), "busybox", "sleep", "300"));
        JsonNode shared = inspect("container", n("shared"));
        String ip = shared.at("/NetworkSettings/IPAddress").asText();
        assertThat(ip).as("default bridge address").matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(shared.at("/NetworkSettings/Networks/bridge/IPAddress").asText()).isEqualTo(ip);
        assertThat(ok(docker("run", "--rm", "--network", "container:" + n("shared"), "busybox", "ip", "addr")).out()).contains("inet " + ip + "/");
        String none = ok(docker("run", "--rm", "--network", "none", "busybox", "ip", "link")).out();
        assertThat(none).contains("lo:").doesNotContain("eth0");
        assertThat(ok(docker("run", "--rm", "--network", "host", "busybox", "hostname")).out().trim())
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
        ok(docker("rm", "-f", n("shared")));

        String vf = n("vf");
        ok(docker("create", "--name", n("src"), "-v", vf + ":/shared", "busybox", "true"));
        assertThat(ok(docker("run", "--rm", "--volumes-from", n("src"), "busybox", "sh", "-c", "echo from > /shared/f; cat /shared/f")).out())
                .isEqualTo("from\n");
        ok(docker("rm", n("src")));
        assertThat(ok(docker("run", "--rm", "-v", vf + ":/v", "busybox", "cat", "/v/f")).out()).isEqualTo("from\n");
        ok(docker("volume", "rm", vf));

        // Compose secrets through JcomposeFiles (docs/engine-volumes.md): content, uid/gid/mode applied
        String body = "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"cat /run/secrets/pw; stat -c %u:%a /run/secrets/pw\"],"
                + "\"JcomposeFiles\":[{\"Kind\":\"secret\",\"Name\":\"pw\",\"Content\":\"aHVudGVyMgo=\",\"UID\":\"1000\",\"Mode\":256}]}";
        Infra.Run created = Infra.run(List.of("curl", "-sS", "--unix-socket", engine.socket.toString(), "-H", "Content-Type: application/json",
                "-d", body, "http://e/containers/create?name=" + n("secret")));
        assertThat(created.out()).contains("\"Id\"");
        assertThat(ok(docker("start", "-a", n("secret"))).out()).isEqualTo("hunter2\n1000:400\n");
        ok(docker("rm", n("secret")));
    }

    static final String STACK = """
            services:
              db:
                image: busybox
                stop_grace_period: 1s
                command: sh -c 'sleep 1; touch /tmp/ready; exec sleep 300'
                healthcheck:
                  test: ["CMD", "test", "-f", "/tmp/ready"]
                  interval: 1s
                  timeout: 2s
                  retries: 30
              api:
                image: busybox
                stop_grace_period: 1s
                command: sleep 300
                depends_on:
                  db:
                    condition: service_healthy
              web:
                image: busybox
                stop_grace_period: 1s
                command: sh -c 'test -f /www/index.html || echo "hello from web" > /www/index.html; exec httpd -f -p 8080 -h /www'
                ports:
                  - "127.0.0.1:PORT:8080"
                volumes:
                  - webdata:/www
            volumes:
              webdata:
            """;

    /** The three-service stack through {@code up}, a check, {@code down}, {@code up} again (data kept) and {@code down -v}. */
    void stack(String project, List<String> client, List<String> upArgs, String container) throws Exception {
        Path dir = Files.createTempDirectory("jcw-stack");
        try {
            int port = freePort();
            Files.writeString(dir.resolve("compose.yaml"), STACK.replace("PORT", Integer.toString(port)));
            List<String> base = new ArrayList<>(client);
            base.addAll(List.of("-p", project, "-f", "compose.yaml"));
            List<String> up = new ArrayList<>(base);
            up.addAll(upArgs);
            ok(withHost(dir, up));
            Awaitility.await("web answers").atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> httpGet(port, "/index.html").equals("hello from web\n"));
            JsonNode db = inspect("container", container.replace("SVC", "db"));
            assertThat(db.at("/State/Health/Status").asText()).isEqualTo("healthy");
            assertThat(ok(docker("exec", container.replace("SVC", "api"), "nslookup", "db")).out())
                    .contains("Address: " + db.at("/NetworkSettings/Networks/" + project + "_default/IPAddress").asText());
            List<String> ps = new ArrayList<>(base);
            ps.add("ps");
            Infra.Run psOut = ok(withHost(dir, ps));
            assertThat(psOut.out()).contains(container.replace("SVC", "web"));
            // jcompose's ps has no PORTS column (on any runtime); docker-compose's shows what the engine reports.
            if (client.get(0).equals("docker-compose")) assertThat(psOut.out()).contains("127.0.0.1:" + port + "->8080/tcp");

            // A second up changes nothing (docker-compose 1.29 re-creates a network whose inspect differs from its request).
            String webId = inspect("container", container.replace("SVC", "web")).path("Id").asText();
            ok(withHost(dir, up));
            assertThat(inspect("container", container.replace("SVC", "web")).path("Id").asText()).isEqualTo(webId);

            ok(docker("exec", container.replace("SVC", "web"), "sh", "-c", "echo kept > /www/index.html"));
            List<String> down = new ArrayList<>(base);
            down.add("down");
            ok(withHost(dir, down));
            assertThat(ok(docker("volume", "ls", "-q")).out()).contains(project + "_webdata");
            ok(withHost(dir, up));
            Awaitility.await("web answers with the kept data").atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> httpGet(port, "/index.html").equals("kept\n"));
            down.add("-v");
            ok(withHost(dir, down));
            assertThat(ok(docker("volume", "ls", "-q")).out()).doesNotContain(project + "_webdata");
            assertThat(ok(docker("network", "ls", "--format", "{{.Name}}")).out()).doesNotContain(project + "_default");
            assertThat(ok(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project)).out().trim()).isEmpty();
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    @Test
    @Order(4)
    void dockerCompose129BringsUpAndTearsDownAStack() throws Exception {
        Infra.require(Infra.onPath("docker-compose"), "Debian's docker-compose 1.29");
        String project = "jcw" + run + "dc";
        stack(project, List.of("docker-compose"), List.of("up", "-d"), project + "_SVC_1");
    }

    /** jcompose itself on our engine by {@code --runtime builtin} (JCOMPOSE_ENGINE_SOCKET; DOCKER_HOST is not consulted). */
    static final List<String> JCOMPOSE_BUILTIN = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.jcompose.Main", "--runtime", "builtin");

    @Test
    @Order(5)
    void jcomposeBringsUpAndTearsDownTheSameStack() throws Exception {
        String project = "jcw" + run + "jc";
        stack(project, JCOMPOSE_BUILTIN, List.of("up", "-d", "--wait"), project + "-SVC-1");
    }

    static final String SCALED = """
            services:
              web:
                image: busybox
                stop_grace_period: 1s
                deploy:
                  replicas: 3
                command: sh -c 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'
              client:
                image: busybox
                stop_grace_period: 1s
                command: sleep 300
            """;

    /**
     * A service scaled to 3: 30 lookups of its name from another container reach every replica (answers rotate),
     * and after scaling down the removed replica's address is gone from DNS within 1 s.
     */
    @Test
    @Order(6)
    void jcomposeScaledServiceIsReachedByNameOnEveryReplicaAndAScaledDownOneLeavesDns() throws Exception {
        Infra.require(Infra.onPath("busybox") && Infra.onPath("nsenter"), "the host's busybox and nsenter");
        String project = "jcw" + run + "sc";
        Path dir = Files.createTempDirectory("jcw-scale");
        Files.writeString(dir.resolve("compose.yaml"), SCALED);
        List<String> base = new ArrayList<>(JCOMPOSE_BUILTIN);
        base.addAll(List.of("-p", project, "-f", "compose.yaml"));
        try {
            List<String> up = new ArrayList<>(base);
            up.addAll(List.of("up", "-d", "--wait"));
            ok(withHost(dir, up));
            String scope = "label=com.docker.compose.project=" + project;
            List<String> replicas = ok(docker("ps", "-q", "--filter", scope, "--filter", "label=com.docker.compose.service=web"))
                    .out().lines().sorted().toList();
            assertThat(replicas).hasSize(3);
            String client = project + "-client-1";
            String served = ok(docker("exec", client, "sh", "-c",
                    "for i in $(seq 30); do ip=$(nslookup web | awk '/^Address: /{print $2; exit}');"
                    + " printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc $ip 80 | tail -1; done")).out();
            // Each lookup's first answer is used, as musl and most resolvers do. Not glibc's getaddrinfo: its RFC 3484
            // rule 9 sorts same-subnet IPv4 answers by common prefix with the client, so it picks one replica (on dockerd too).
            assertThat(served.lines().toList()).hasSize(30);
            assertThat(served.lines().distinct().sorted().toList()).as("hostnames (short ids) of the replicas that answered")
                    .containsExactlyElementsOf(replicas);

            // The client's own view of DNS, without docker exec's cost: the host's busybox in the client's namespace.
            String network = project + "_default";
            JsonNode c = inspect("container", client);
            String gateway = c.at("/NetworkSettings/Networks/" + network + "/Gateway").asText();
            String netns = "/run/netns/jc" + rootId + "-" + c.path("Id").asText().substring(0, 12);
            java.util.Map<String, String> ips = new java.util.TreeMap<>();
            for (int i = 1; i <= 3; i++) {
                ips.put(project + "-web-" + i, inspect("container", project + "-web-" + i).at("/NetworkSettings/Networks/" + network + "/IPAddress").asText());
            }
            assertThat(ok(Infra.run(List.of("nsenter", "--net=" + netns, "busybox", "nslookup", "web", gateway))).out())
                    .contains(ips.values().toArray(String[]::new));

            List<String> down = new ArrayList<>(base);
            down.addAll(List.of("up", "-d", "--wait", "--scale", "web=2"));
            ok(withHost(dir, down));
            long t0 = System.nanoTime();
            String removed = ips.get(project + "-web-3");
            Awaitility.await("replica 3 (" + removed + ") gone from DNS").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !Infra.run(List.of("nsenter", "--net=" + netns, "busybox", "nslookup", "web", gateway)).out().contains(removed));
            System.out.println("[measure] scaled-down replica gone from DNS " + (System.nanoTime() - t0) / 1_000_000 + " ms after `up --scale` returned");
            assertThat(docker("inspect", project + "-web-3").code()).isNotZero();
            assertThat(ok(Infra.run(List.of("nsenter", "--net=" + netns, "busybox", "nslookup", "web", gateway))).out())
                    .contains(ips.get(project + "-web-1"), ips.get(project + "-web-2"));

            // IPv6 is refused with a clear message, before anything is created.
            Files.writeString(dir.resolve("v6.yaml"), "services:\n  a:\n    image: busybox\nnetworks:\n  default:\n    enable_ipv6: true\n");
            List<String> v6 = new ArrayList<>(JCOMPOSE_BUILTIN);
            v6.addAll(List.of("-p", project + "v6", "-f", "v6.yaml", "up", "-d"));
            Infra.Run refused = withHost(dir, v6);
            assertThat(refused.code()).isNotZero();
            assertThat(refused.err()).contains("IPv6").contains("not supported by the jcompose engine");
            assertThat(ok(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project + "v6")).out()).isBlank();
        } finally {
            List<String> down = new ArrayList<>(base);
            down.addAll(List.of("down", "-t", "1"));
            withHost(dir, down);
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }
}
