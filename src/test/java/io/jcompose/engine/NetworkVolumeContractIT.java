package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.testing.LeakChecker;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;

/**
 * The networks, DNS, published ports and volumes contract: one set of assertions, through the Docker CLI, against
 * our engine and against the host's dockerd (same busybox image), as {@link ContainersIntegrationTest} does for
 * containers. Every object carries this run's name prefix and label, so the shared dockerd's other objects are never
 * touched; subnets are picked at random in 10.200.0.0/13 per run. For our engine nothing of its root may be left on
 * the host afterwards (netns, veth, bridge, JCOMPOSE rule, mount, conmon). Where the two engines legitimately differ
 * (error texts, paths, the resolver's address) the assertion is on what both share; docs/engine-differences.md lists
 * those differences.
 */
@Tag("integration")
class NetworkVolumeContractIT {

    /** A {@link ContainersIntegrationTest.Target} that also removes this run's networks and volumes and checks leaks. */
    static final class Target implements AutoCloseable {
        final ContainersIntegrationTest.Target t;
        final SortedSet<LeakChecker.Leak> baseline;
        final List<String> volumes = new ArrayList<>();

        Target(String kind) throws Exception {
            baseline = LeakChecker.snapshot();
            t = new ContainersIntegrationTest.Target(kind);
        }

        String n(String name) {
            return t.n(name);
        }

        String label() {
            return "io.jcompose.run=" + t.run;
        }

        Infra.Run docker(String... args) throws Exception {
            return t.docker(args);
        }

        Infra.Run ok(String... args) throws Exception {
            Infra.Run r = t.docker(args);
            assertThat(r.code()).as(String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err()).isZero();
            return r;
        }

        /** A named volume of this run (removed at the end even when no label could be set). */
        String volume(String name) {
            String v = n(name);
            volumes.add(v);
            return v;
        }

        JsonNode inspect(String what, String ref) throws Exception {
            return ContainersIntegrationTest.JSON.readTree(ok(what, "inspect", ref).out()).get(0);
        }

        @Override
        public void close() throws Exception {
            String rootId = t.engine == null ? null : StateRoot.idOf(t.root.toRealPath());
            try {
                String ids = docker("ps", "-aq", "--filter", "label=" + label()).out().trim();
                if (!ids.isEmpty()) {
                    List<String> cmd = new ArrayList<>(List.of("rm", "-f", "-v"));
                    cmd.addAll(List.of(ids.split("\\s+")));
                    docker(cmd.toArray(String[]::new));
                }
                for (String net : docker("network", "ls", "-q", "--filter", "label=" + label()).out().trim().split("\\s+")) {
                    if (!net.isEmpty()) docker("network", "rm", net);
                }
                for (String v : docker("volume", "ls", "-q", "--filter", "label=" + label()).out().trim().split("\\s+")) {
                    if (!v.isEmpty()) docker("volume", "rm", "-f", v);
                }
                for (String v : volumes) docker("volume", "rm", "-f", v);
            } finally {
                t.close();
            }
            if (rootId != null) {
                SortedSet<LeakChecker.Leak> leaks = LeakChecker.leaks(baseline, LeakChecker.snapshot());
                leaks.removeIf(l -> !l.id().contains(rootId) && !l.id().contains(t.root.toString()));
                assertThat(leaks).as("left behind by the engine").isEmpty();
            }
        }
    }

    /** A random /24 in 10.200.0.0/13 as its first three octets. */
    static String subnet() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + (200 + r.nextInt(8)) + "." + r.nextInt(256);
    }

    static String ip(JsonNode container, String network) {
        return container.at("/NetworkSettings/Networks/" + network + "/IPAddress").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void networksConnectDisconnectAndDns(String kind) throws Exception {
        try (Target t = new Target(kind)) {
            String s1 = subnet();
            String s2 = subnet();
            while (s2.equals(s1)) s2 = subnet();
            String n1 = t.n("n1");
            String n2 = t.n("n2");
            String n3 = t.n("n3");
            String id1 = t.ok("network", "create", "--subnet", s1 + ".0/24", "--gateway", s1 + ".1", "--ip-range", s1 + ".128/25",
                    "--internal", "--label", t.label(), "--label", "team=a", n1).out().trim();
            assertThat(id1).matches("[0-9a-f]{64}");
            t.ok("network", "create", "--subnet", s2 + ".0/24", "--label", t.label(), n2);
            t.ok("network", "create", "--label", t.label(), n3);

            JsonNode i1 = t.inspect("network", n1);
            assertThat(i1.get("Id").asText()).isEqualTo(id1);
            assertThat(i1.get("Name").asText()).isEqualTo(n1);
            assertThat(i1.get("Driver").asText()).isEqualTo("bridge");
            assertThat(i1.get("Scope").asText()).isEqualTo("local");
            assertThat(i1.get("Internal").asBoolean()).isTrue();
            assertThat(i1.get("EnableIPv6").asBoolean()).isFalse();
            assertThat(i1.get("Attachable").asBoolean()).isFalse();
            assertThat(i1.at("/IPAM/Driver").asText()).isEqualTo("default");
            assertThat(i1.at("/IPAM/Config/0/Subnet").asText()).isEqualTo(s1 + ".0/24");
            assertThat(i1.at("/IPAM/Config/0/Gateway").asText()).isEqualTo(s1 + ".1");
            assertThat(i1.at("/IPAM/Config/0/IPRange").asText()).isEqualTo(s1 + ".128/25");
            assertThat(i1.at("/Labels/team").asText()).isEqualTo("a");
            assertThat(i1.get("Containers").size()).isZero();
            JsonNode i3 = t.inspect("network", n3);
            assertThat(i3.get("Internal").asBoolean()).isFalse();
            assertThat(i3.at("/IPAM/Config/0/Subnet").asText()).as("allocated from the default pools").matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+");
            assertThat(i3.at("/IPAM/Config/0/Gateway").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            assertThat(t.ok("network", "ls", "--filter", "label=" + t.label(), "--format", "{{.Name}}").out().lines().sorted().toList())
                    .containsExactly(n1, n2, n3);
            assertThat(t.ok("network", "ls", "-q", "--filter", "label=team=a").out().trim()).isEqualTo(id1.substring(0, 12));
            Infra.Run dup = t.docker("network", "create", n2);
            assertThat(dup.code()).isNotZero();
            assertThat(dup.err()).contains("already exists");

            // A static address and an alias; connect with both; disconnect.
            String c1 = t.n("c1");
            t.ok("run", "-d", "--label", t.label(), "--name", c1, "--network", n2, "--network-alias", "web", "--ip", s2 + ".10",
                    "busybox", "sleep", "300");
            JsonNode ci = t.inspect("container", c1);
            String c1Id = ci.get("Id").asText();
            assertThat(ip(ci, n2)).isEqualTo(s2 + ".10");
            assertThat(ci.at("/NetworkSettings/Networks/" + n2 + "/IPAMConfig/IPv4Address").asText()).isEqualTo(s2 + ".10");
            assertThat(ci.at("/NetworkSettings/Networks/" + n2 + "/Gateway").asText()).isEqualTo(s2 + ".1");
            assertThat(ci.at("/NetworkSettings/Networks/" + n2 + "/IPPrefixLen").asInt()).isEqualTo(24);
            assertThat(ci.at("/NetworkSettings/Networks/" + n2 + "/MacAddress").asText()).startsWith("02:42:");
            assertThat(ci.at("/NetworkSettings/Networks/" + n2 + "/NetworkID").asText()).isEqualTo(t.inspect("network", n2).get("Id").asText());
            assertThat(ci.at("/NetworkSettings/Networks/" + n2 + "/Aliases").toString()).contains("\"web\"");
            Infra.Run taken = t.docker("run", "-d", "--label", t.label(), "--name", t.n("c1b"), "--network", n2, "--ip", s2 + ".10",
                    "busybox", "sleep", "300");
            assertThat(taken.code()).isNotZero();
            assertThat(taken.err()).contains("already in use");

            t.ok("network", "connect", "--alias", "db", "--ip", s1 + ".200", n1, c1);
            ci = t.inspect("container", c1);
            assertThat(ip(ci, n1)).isEqualTo(s1 + ".200");
            assertThat(ci.at("/NetworkSettings/Networks/" + n1 + "/Aliases").toString()).contains("\"db\"");
            JsonNode member = t.inspect("network", n1).at("/Containers/" + c1Id);
            assertThat(member.get("Name").asText()).isEqualTo(c1);
            assertThat(member.get("IPv4Address").asText()).isEqualTo(s1 + ".200/24");
            assertThat(t.ok("exec", c1, "ip", "-o", "-4", "addr").out()).contains("inet " + s1 + ".200/24", "inet " + s2 + ".10/24");
            assertThat(t.docker("network", "connect", n1, c1).code()).as("already connected").isNotZero();
            t.ok("network", "disconnect", n1, c1);
            assertThat(t.inspect("container", c1).at("/NetworkSettings/Networks").has(n1)).isFalse();
            assertThat(t.inspect("network", n1).get("Containers").size()).isZero();
            assertThat(t.ok("exec", c1, "ip", "-o", "-4", "addr").out()).doesNotContain(s1 + ".200");

            // DNS: a container answers for the networks it is on, and only those.
            String c2 = t.n("c2");
            String c3 = t.n("c3");
            t.ok("run", "-d", "--label", t.label(), "--name", c2, "--network", n2, "busybox", "sleep", "300");
            t.ok("run", "-d", "--label", t.label(), "--name", c3, "--network", n3, "busybox", "sleep", "300");
            assertThat(t.ok("exec", c2, "nslookup", c1).out()).contains("Address: " + s2 + ".10");
            assertThat(t.ok("exec", c2, "nslookup", "web").out()).contains("Address: " + s2 + ".10");
            assertThat(t.ok("exec", c2, "ping", "-c", "1", "-W", "2", "web").out()).contains("1 packets received");
            for (String name : List.of("web", c1, "nosuch-" + t.t.run + ".invalid")) {
                long t0 = System.nanoTime();
                Infra.Run r = t.docker("exec", c3, "nslookup", name);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(r.code()).as(name + " must not resolve on " + n3 + ": " + r.out()).isNotZero();
                assertThat(r.out() + r.err()).contains("NXDOMAIN");
                assertThat(took).as("NXDOMAIN for " + name + " without waiting for a timeout").isLessThan(Duration.ofSeconds(3));
            }
            // On two networks, names of both resolve.
            t.ok("network", "connect", n2, c3);
            assertThat(t.ok("exec", c3, "nslookup", "web").out()).contains("Address: " + s2 + ".10");

            // In use: not removable; prune takes only what is unused.
            Infra.Run busy = t.docker("network", "rm", n2);
            assertThat(busy.code()).isNotZero();
            assertThat(busy.err()).contains("active endpoints");
            Infra.Run pruned = t.ok("network", "prune", "-f", "--filter", "label=" + t.label());
            assertThat(pruned.out()).contains(n1).doesNotContain(n2).doesNotContain(n3);
            t.ok("rm", "-f", c1, c2, c3);
            assertThat(t.ok("network", "rm", n2, n3).out().lines().toList()).containsExactly(n2, n3);
            Infra.Run gone = t.docker("network", "inspect", n2);
            assertThat(gone.code()).isNotZero();
            assertThat(gone.err()).contains(Infra.cliNotFound("network", n2, "network " + n2 + " not found"));
            Infra.Run predefined = t.docker("network", "rm", "bridge");
            assertThat(predefined.code()).isNotZero();
            assertThat(predefined.err()).contains("pre-defined network");
        }
    }

    static String httpGet(int port, String path) throws Exception {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Sends one datagram to 127.0.0.1:port and returns the answer, or "" after 500 ms. */
    static String udpRoundTrip(int port, String msg) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(500);
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return "";
            }
            return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
        }
    }

    /** busybox's nc has no UDP mode: the host's perl (and its libraries, read-only) is the echo server. */
    static final String UDP_ECHO = "$|=1; $s=IO::Socket::INET->new(LocalPort=>9999,Proto=>'udp') or die \"bind: $!\"; print \"ready\\n\";"
            + " while ($s->recv($m, 2048)) { $s->send('echo:' . $m) }";

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void publishedPortsTcpUdpRandomAndTaken(String kind) throws Exception {
        Infra.require(Files.isExecutable(Path.of("/usr/bin/perl")), "the host's perl (UDP echo server)");
        try (Target t = new Target(kind)) {
            String web = t.n("web");
            t.ok("run", "-d", "--label", t.label(), "--name", web, "-p", "127.0.0.1::80", "busybox", "sh", "-c",
                    "mkdir /www && echo published > /www/index.html && exec httpd -f -p 80 -h /www");
            JsonNode b = t.inspect("container", web).at("/NetworkSettings/Ports/80~1tcp/0");
            assertThat(b.get("HostIp").asText()).isEqualTo("127.0.0.1");
            int port = Integer.parseInt(b.get("HostPort").asText());
            assertThat(port).isBetween(1024, 65535);
            assertThat(t.ok("port", web, "80/tcp").out().trim()).isEqualTo("127.0.0.1:" + port);
            Awaitility.await("httpd through 127.0.0.1:" + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> httpGet(port, "/index.html").equals("published\n"));

            // Taken by another container: refused, the second container does not run, the first still serves.
            String web2 = t.n("web2");
            Infra.Run taken = t.docker("run", "-d", "--label", t.label(), "--name", web2, "-p", "127.0.0.1:" + port + ":80",
                    "-p", "127.0.0.1::81", "busybox", "httpd", "-f", "-p", "80");
            assertThat(taken.code()).isNotZero();
            assertThat(taken.err()).contains(Integer.toString(port));
            assertThat(t.inspect("container", web2).at("/State/Running").asBoolean()).isFalse();
            assertThat(httpGet(port, "/index.html")).isEqualTo("published\n");
            // Taken by a host process.
            try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int hp = held.getLocalPort();
                Infra.Run byHost = t.docker("run", "-d", "--label", t.label(), "--name", t.n("web3"), "-p", "127.0.0.1:" + hp + ":80",
                        "busybox", "httpd", "-f", "-p", "80");
                assertThat(byHost.code()).isNotZero();
                assertThat(byHost.err()).contains(Integer.toString(hp)).contains("in use");
            }

            // UDP, random host port.
            String udp = t.n("udp");
            t.ok("run", "-d", "--label", t.label(), "--name", udp, "-p", "127.0.0.1::9999/udp",
                    "-v", "/usr:/usr:ro", "-v", "/usr/lib:/lib:ro", "-v", "/usr/lib64:/lib64:ro",
                    "busybox", "/usr/bin/perl", "-MIO::Socket::INET", "-e", UDP_ECHO);
            int uport = Integer.parseInt(t.inspect("container", udp).at("/NetworkSettings/Ports/9999~1udp/0/HostPort").asText());
            Awaitility.await("UDP echo ready").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> t.docker("logs", udp).out().contains("ready"));
            Awaitility.await("UDP echo through 127.0.0.1:" + uport).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> udpRoundTrip(uport, "ping").equals("echo:ping"));
            assertThat(t.ok("port", udp).out().trim()).isEqualTo("9999/udp -> 127.0.0.1:" + uport);

            // Stopped: the port is free again.
            t.ok("rm", "-f", web);
            Awaitility.await("port " + port + " released").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void volumesLifecycleCopyUpNocopyTmpfsReadOnlyAndPersistence(String kind) throws Exception {
        try (Target t = new Target(kind)) {
            String v1 = t.volume("v1");
            assertThat(t.ok("volume", "create", "--label", t.label(), "--label", "team=a", v1).out().trim()).isEqualTo(v1);
            JsonNode vi = t.inspect("volume", v1);
            assertThat(vi.get("Name").asText()).isEqualTo(v1);
            assertThat(vi.get("Driver").asText()).isEqualTo("local");
            assertThat(vi.get("Scope").asText()).isEqualTo("local");
            assertThat(vi.at("/Labels/team").asText()).isEqualTo("a");
            assertThat(vi.get("Mountpoint").asText()).endsWith("/" + v1 + "/_data");
            assertThat(vi.get("CreatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
            assertThat(t.ok("volume", "ls", "-q", "--filter", "label=team=a").out().lines().toList()).contains(v1);
            assertThat(t.ok("volume", "ls", "--filter", "label=" + t.label(), "--format", "{{.Name}} {{.Driver}}").out().trim())
                    .isEqualTo(v1 + " local");
            assertThat(t.docker("volume", "inspect", t.n("nope")).err()).containsIgnoringCase("no such volume");

            // Data survives the container; read-only mounts refuse writes.
            t.ok("run", "--name", t.n("w"), "--label", t.label(), "-v", v1 + ":/data", "busybox", "sh", "-c", "echo kept > /data/f");
            t.ok("rm", t.n("w"));
            assertThat(t.ok("run", "--rm", "-v", v1 + ":/data", "busybox", "cat", "/data/f").out()).isEqualTo("kept\n");
            Infra.Run ro = t.docker("run", "--rm", "-v", v1 + ":/data:ro", "busybox", "touch", "/data/g");
            assertThat(ro.code()).isNotZero();
            assertThat(ro.err()).contains("Read-only file system");
            Infra.Run roMount = t.docker("run", "--rm", "--mount", "type=volume,src=" + v1 + ",dst=/data,readonly", "busybox", "touch", "/data/g");
            assertThat(roMount.err()).contains("Read-only file system");

            // In use: not removable.
            t.ok("create", "--name", t.n("holder"), "--label", t.label(), "-v", v1 + ":/data", "busybox", "true");
            Infra.Run inUse = t.docker("volume", "rm", v1);
            assertThat(inUse.code()).isNotZero();
            assertThat(inUse.err()).contains("in use");
            t.ok("rm", t.n("holder"));

            // A named volume mounted over image content is filled from it on first use; nocopy leaves it empty.
            String filled = t.volume("filled");
            assertThat(t.ok("run", "--rm", "-v", filled + ":/etc", "busybox", "true").code()).isZero();
            assertThat(t.ok("run", "--rm", "-v", filled + ":/data", "busybox", "head", "-1", "/data/passwd").out()).startsWith("root:x:0:0:");
            String empty = t.volume("nocopy");
            // (dockerd leaves the mount points of /etc/hostname, hosts and resolv.conf in the volume: only passwd is checked)
            assertThat(t.ok("run", "--rm", "--mount", "type=volume,src=" + empty + ",dst=/etc,volume-nocopy", "busybox", "ls", "-A", "/etc")
                    .out()).doesNotContain("passwd");
            assertThat(t.ok("run", "--rm", "-v", empty + ":/data", "busybox", "ls", "-A", "/data").out()).doesNotContain("passwd", "group");

            // Anonymous volumes: rm -v removes them.
            t.ok("create", "--name", t.n("anon"), "--label", t.label(), "-v", "/scratch", "busybox", "true");
            String anon = t.inspect("container", t.n("anon")).at("/Mounts/0/Name").asText();
            assertThat(anon).matches("[0-9a-f]{64}");
            assertThat(t.inspect("volume", anon).get("Driver").asText()).isEqualTo("local");
            t.ok("rm", "-v", t.n("anon"));
            assertThat(t.docker("volume", "inspect", anon).code()).isNotZero();

            // tmpfs with size and mode; a bind mount of a missing host directory is created.
            String tmpfs = t.ok("run", "--rm", "--tmpfs", "/scratch:size=1m,mode=1770", "busybox", "sh", "-c",
                    "stat -c %a /scratch; df -k /scratch | tail -1; grep ' /scratch ' /proc/mounts").out();
            assertThat(tmpfs.lines().toList().get(0)).isEqualTo("1770");
            assertThat(tmpfs.lines().toList().get(1)).matches("\\S+\\s+1024\\s.*");
            assertThat(tmpfs.lines().toList().get(2)).startsWith("tmpfs /scratch tmpfs rw,");
            Path bind = t.t.root.resolve("bind-" + t.t.run).resolve("sub");
            t.ok("run", "--rm", "-v", bind + ":/b", "busybox", "sh", "-c", "echo via-bind > /b/file");
            assertThat(Files.readString(bind.resolve("file"))).isEqualTo("via-bind\n");

            // Prune removes this run's unused volumes (the label filter keeps others' volumes out of it).
            String spare = t.volume("spare");
            t.ok("volume", "create", "--label", t.label(), spare);
            Infra.Run pruned = t.ok("volume", "prune", "-f", "--filter", "label=" + t.label());
            assertThat(pruned.out()).contains(v1, spare).doesNotContain(filled);
            assertThat(t.ok("volume", "ls", "-q", "--filter", "label=" + t.label()).out()).isBlank();
            assertThat(t.ok("volume", "rm", filled, empty).out().lines().toList()).containsExactly(filled, empty);
        }
    }
}
