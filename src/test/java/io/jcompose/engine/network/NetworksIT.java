package io.jcompose.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jcompose.testing.Exec;
import io.jcompose.testing.Infra;
import io.jcompose.testing.LeakChecker;
import io.jcompose.testing.TestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Networks on the real host: bridges, veths into namespaces this test creates with {@code ip netns add}, our
 * iptables chains next to Docker's DROP policy, the DNS responder answered per client, published ports. Every test
 * runs with its own state dir and root id, and must leave no link, netns or rule carrying that id.
 */
@Tag("integration")
class NetworksIT {
    private String rootId;
    private Path dir;
    private Networks networks;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private SortedSet<LeakChecker.Leak> baseline;

    @BeforeEach void setUp() throws IOException {
        Infra.requireRoot();
        Infra.requireBinary("ip");
        Infra.requireBinary("iptables-restore");
        Infra.requireBinary("busybox");
        Infra.requireBinary("nsenter");
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        rootId = HexFormat.of().formatHex(b);
        dir = Files.createTempDirectory("jcnet-");
        baseline = LeakChecker.snapshot();
        networks = open(List.of());
    }

    private Networks open(List<String> upstreams) throws IOException {
        return Networks.open(dir, rootId, new Networks.Options(upstreams, Path.of("/etc/resolv.conf"), 53));
    }

    @AfterEach void tearDown() throws IOException {
        try {
            processes.forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            if (networks != null) {
                networks.destroyAll();
                networks.close();
            }
        } finally {
            for (String ns : namespaces) Exec.run("ip", "netns", "del", ns);
            TestFiles.deleteTree(dir, Path.of(System.getProperty("java.io.tmpdir")));
        }
        SortedSet<LeakChecker.Leak> leaks = LeakChecker.leaks(baseline, LeakChecker.snapshot());
        // Other suites share the host: only objects carrying this test's root id are ours.
        leaks.removeIf(l -> !l.id().contains(rootId));
        assertThat(leaks).as("host objects left behind").isEmpty();
    }

    private String netns(String suffix) {
        String name = "jt" + rootId + suffix;
        Exec.run("ip", "netns", "add", name).check();
        namespaces.add(name);
        return name;
    }

    private Attachment attach(String network, String ns, String name, String... aliases) {
        return networks.attach(new AttachRequest(network, "c-" + ns, name, "/run/netns/" + ns, List.of(aliases), Optional.empty(), List.of()));
    }

    private static Exec.Result in(String ns, String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return Exec.run(c, Map.of(), Duration.ofSeconds(20));
    }

    private Process background(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    @Test void twoNamespacesOnOneNetworkPingEachOtherDespiteDockersDropPolicy() {
        String policy = Exec.run("iptables", "-w", "-S", "FORWARD").out();
        long t0 = System.nanoTime();
        NetworkRecord n = networks.create(CreateRequest.named("ping"));
        long t1 = System.nanoTime();
        String a = netns("a");
        long t2 = System.nanoTime();
        Attachment ia = attach("ping", a, "one");
        long t3 = System.nanoTime();
        String b = netns("b");
        long t4 = System.nanoTime();
        Attachment ib = attach(n.id(), b, "two");
        long t5 = System.nanoTime();
        System.out.printf("[measure] network create %d ms, netns add %d ms, first endpoint %d ms, second endpoint %d ms (FORWARD: %s)%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t5 - t4) / 1_000_000,
                policy.lines().findFirst().orElse(""));
        assertThat(ia.ipv4()).isEqualTo(Ipv4.format(Ipv4.Cidr.parse(n.subnet()).base() + 2));
        assertThat(ia.gateway()).isEqualTo(n.gateway());
        assertThat(ia.ifName()).isEqualTo("eth0");
        assertThat(n.bridge()).hasSizeLessThanOrEqualTo(15).startsWith("jc" + rootId);
        Exec.Result ping = in(a, "busybox", "ping", "-c1", "-W2", ib.ipv4());
        assertThat(ping.ok()).as(ping.out() + ping.err()).isTrue();
        assertThat(in(b, "busybox", "ping", "-c1", "-W2", ia.ipv4()).ok()).isTrue();
        // Without our chain the same packet dies in Docker's DROP policy: prove the rule is what lets it through.
        if (policy.contains("-P FORWARD DROP")) {
            Exec.run("iptables", "-w", "-D", "FORWARD", "-j", networks.forwardChain()).check();
            try {
                assertThat(in(a, "busybox", "ping", "-c1", "-W1", ib.ipv4()).ok()).isFalse();
            } finally {
                Exec.run("iptables", "-w", "-I", "FORWARD", "1", "-j", networks.forwardChain()).check();
            }
        }
        assertThatThrownBy(() -> networks.remove("ping")).isInstanceOf(NetworkException.class).hasMessageContaining("active endpoints");
        networks.detach("ping", "c-" + a);
        networks.detach("ping", "c-" + b);
        networks.remove("ping");
        assertThat(Files.exists(Path.of("/sys/class/net", n.bridge()))).isFalse();
        assertThat(Exec.run("iptables-save").out()).doesNotContain(n.bridge());
    }

    /**
     * Two engines picking the same free block at once (tests run several): the one whose DNS cannot bind the gateway
     * moves on to the next free block. Simulated by holding the next gateway's DNS port on a /32 of a spare bridge (no
     * route, so the allocator does not see it).
     */
    @Test void anAutoSubnetTakenMeanwhileIsSkipped() throws IOException {
        List<Ipv4.Cidr> taken = new ArrayList<>(HostRoutes.read());
        networks.all().stream().filter(r -> r.subnet() != null).forEach(r -> taken.add(Ipv4.Cidr.parse(r.subnet()))); // predefined bridge
        Ipv4.Cidr next = Ipam.allocateSubnet(taken);
        String gw = Ipv4.format(Ipam.defaultGateway(next));
        String dummy = "jt" + rootId + "d";
        Exec.run("ip", "link", "add", dummy, "type", "bridge").check();
        try {
            Exec.run("ip", "addr", "add", gw + "/32", "dev", dummy).check();
            Exec.run("ip", "link", "set", dummy, "up").check();
            // TCP: a second UDP bind succeeds when both sockets set SO_REUSEADDR, as two engines' responders do.
            try (ServerSocket held = new ServerSocket()) {
                held.bind(new InetSocketAddress(gw, 53));
                NetworkRecord n = networks.create(CreateRequest.named("raced"));
                assertThat(Ipv4.Cidr.parse(n.subnet()).overlaps(next)).as(n.subnet() + " vs the held " + next).isFalse();
                networks.remove("raced");
            }
        } finally {
            Exec.run("ip", "link", "del", dummy);
        }
    }

    @Test void staticAddressesSecondNetworkAndRestartRecovery() throws IOException {
        NetworkRecord n = networks.create(new CreateRequest("fixed", "bridge", false, false, null, null,
                Optional.of("10.231.0.0/24"), Optional.of("10.231.0.254"), Optional.of("10.231.0.128/25"), false));
        String a = netns("a");
        Attachment ia = networks.attach(new AttachRequest("fixed", "ca", "ca", "/run/netns/" + a, List.of(), Optional.of("10.231.0.7"), List.of()));
        assertThat(ia.ipv4()).isEqualTo("10.231.0.7");
        String b = netns("b");
        assertThatThrownBy(() -> networks.attach(new AttachRequest("fixed", "cb", "cb", "/run/netns/" + b, List.of(), Optional.of("10.231.0.7"), List.of())))
                .hasMessageContaining("already in use");
        assertThat(attach("fixed", b, "cb").ipv4()).isEqualTo("10.231.0.128");
        assertThatThrownBy(() -> networks.create(CreateRequest.named("fixed"))).hasMessageContaining("already exists");
        assertThatThrownBy(() -> networks.create(new CreateRequest("v6", "bridge", false, false, null, null, Optional.empty(),
                Optional.empty(), Optional.empty(), true))).hasMessageContaining("IPv6");
        NetworkRecord second = networks.create(CreateRequest.named("second"));
        assertThat(Ipv4.Cidr.parse(second.subnet()).overlaps(Ipv4.Cidr.parse("172.17.0.0/16"))).isFalse();
        Attachment a2 = networks.attach(new AttachRequest("second", "ca", "ca", "/run/netns/" + a, List.of(), Optional.empty(), List.of()));
        assertThat(a2.ifName()).isEqualTo("eth1");
        assertThat(in(a, "ip", "-4", "route").out()).contains("default via 10.231.0.254 dev eth0");
        assertThat(networks.endpointsOf("ca")).hasSize(2);
        // Restart: same state, nothing recreated twice, endpoints still answered.
        networks.close();
        networks = open(List.of());
        assertThat(networks.endpointsOf("ca")).hasSize(2);
        assertThat(networks.get(n.id()).name()).isEqualTo("fixed");
        assertThat(Exec.run("iptables", "-w", "-S", "FORWARD").out().lines().filter(l -> l.contains(networks.forwardChain())).count()).isEqualTo(1);
        assertThat(in(b, "busybox", "ping", "-c1", "-W2", "10.231.0.7").ok()).isTrue();
        // A vanished namespace takes its endpoint with it at the next start.
        Exec.run("ip", "netns", "del", b).check();
        namespaces.remove(b);
        networks.close();
        networks = open(List.of());
        assertThat(networks.endpointsOf("c-" + b)).isEmpty();
    }

    @Test void attachesByProcNetnsPath() throws Exception {
        networks.create(CreateRequest.named("byproc"));
        String a = netns("a");
        Attachment ia = attach("byproc", a, "a");
        // A process in a namespace of its own, known only by pid, as a container's init is.
        String p = netns("p");
        Process sleeper = background(List.of("ip", "netns", "exec", p, "busybox", "sleep", "60"));
        long pid = await().atMost(Duration.ofSeconds(5)).until(
                () -> sleeper.descendants().findFirst().map(ProcessHandle::pid).orElse(
                        Files.readSymbolicLink(Path.of("/proc", String.valueOf(sleeper.pid()), "exe")).toString().contains("busybox") ? sleeper.pid() : -1L),
                v -> v > 0);
        Attachment ip = networks.attach(new AttachRequest("byproc", "proc", "proc", "/proc/" + pid + "/ns/net", List.of(), Optional.empty(), List.of()));
        assertThat(in(p, "ip", "-4", "addr", "show", "eth0").out()).contains(ip.ipv4() + "/");
        assertThat(in(a, "busybox", "ping", "-c1", "-W2", ip.ipv4()).ok()).isTrue();
        networks.detach("byproc", "proc");
        assertThat(in(p, "ip", "link", "show", "eth0").ok()).isFalse();
        assertThat(ia.ipv4()).isNotEqualTo(ip.ipv4());
    }

    @Test void internalNetworkHasNoEgressButTalksInside() {
        // "The world": a namespace reached from the host through a plain veth, like an uplink.
        String world = netns("w");
        String hostIf = "jw" + rootId;
        int x = 200 + ThreadLocalRandom.current().nextInt(50);
        Exec.run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", "/run/netns/" + world).check();
        Exec.run("ip", "addr", "add", "10.252." + x + ".1/30", "dev", hostIf).check();
        Exec.run("ip", "link", "set", hostIf, "up").check();
        in(world, "ip", "addr", "add", "10.252." + x + ".2/30", "dev", "eth0").check();
        in(world, "ip", "link", "set", "eth0", "up").check();
        in(world, "ip", "route", "add", "default", "via", "10.252." + x + ".1").check();
        String far = "10.252." + x + ".2";

        networks.create(CreateRequest.named("open"));
        String o = netns("o");
        attach("open", o, "o");
        Exec.Result out = in(o, "busybox", "ping", "-c1", "-W2", far);
        assertThat(out.ok()).as("egress from a normal network: " + out.out()).isTrue();

        networks.create(new CreateRequest("closed", "bridge", true, false, null, null, Optional.empty(), Optional.empty(),
                Optional.empty(), false));
        String i1 = netns("i1");
        String i2 = netns("i2");
        Attachment a1 = attach("closed", i1, "i1");
        Attachment a2 = attach("closed", i2, "i2");
        assertThat(in(i1, "ip", "-4", "route").out()).doesNotContain("default");
        assertThat(in(i1, "busybox", "ping", "-c1", "-W2", a2.ipv4()).ok()).isTrue();
        // Even with a route added by hand inside, the firewall keeps it in.
        in(i1, "ip", "route", "add", "default", "via", a1.gateway()).check();
        assertThat(in(i1, "busybox", "ping", "-c1", "-W1", far).ok()).isFalse();
        // And networks do not see each other.
        assertThat(in(o, "busybox", "ping", "-c1", "-W1", a1.ipv4()).ok()).isFalse();
    }

    @Test void dnsAnswersEachClientForItsOwnNetworksAndForwardsTheRest() throws Exception {
        networks.create(CreateRequest.named("neta"));
        networks.create(CreateRequest.named("netb"));
        String up = netns("u");
        Attachment upstream = attach("netb", up, "upstream");
        Process fake = background(List.of("nsenter", "--net=/run/netns/" + up, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FakeUpstream.class.getName(), "53", "outside.test=10.9.8.7"));
        assertThat(new String(fake.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("ready");
        networks.close();
        networks = open(List.of(upstream.ipv4()));

        String a = netns("a");
        String b = netns("b");
        String ab = netns("ab");
        Attachment ia = attach("neta", a, "alpha", "web");
        Attachment ib = attach("netb", b, "beta");
        Attachment iab = attach("neta", ab, "gamma", "web");
        attach("netb", ab, "gamma");
        String gwA = ia.gateway();

        Exec.Result r = in(a, "busybox", "nslookup", "alpha", gwA);
        assertThat(r.out()).as(r.out() + r.err()).contains("Address: " + ia.ipv4());
        r = in(a, "busybox", "nslookup", "beta", gwA);
        assertThat(r.out() + r.err()).contains("NXDOMAIN");
        r = in(ab, "busybox", "nslookup", "beta", gwA);
        assertThat(r.out()).as(r.out() + r.err()).contains("Address: " + ib.ipv4());
        r = in(ab, "busybox", "nslookup", "alpha", ib.gateway());
        assertThat(r.out()).as(r.out() + r.err()).contains("Address: " + ia.ipv4());
        r = in(a, "busybox", "nslookup", "web", gwA);
        assertThat(r.out()).contains(ia.ipv4()).contains(iab.ipv4());
        long t0 = System.nanoTime();
        r = in(a, "busybox", "nslookup", "-type=aaaa", "alpha", gwA);
        assertThat(r.out() + r.err()).doesNotContain("NXDOMAIN").doesNotContain("timed out");
        assertThat(System.nanoTime() - t0).as("AAAA of a known name answers at once").isLessThan(2_000_000_000L);
        r = in(a, "busybox", "nslookup", "outside.test", gwA);
        assertThat(r.out()).as(r.out() + r.err()).contains("Address: 10.9.8.7");
        r = in(a, "busybox", "nslookup", "missing.test", gwA);
        assertThat(r.out() + r.err()).contains("NXDOMAIN");

        networks.detach("netb", "c-" + b);
        r = in(ab, "busybox", "nslookup", "beta", gwA);
        assertThat(r.out() + r.err()).contains("NXDOMAIN");
        assertThat(networks.resolvConf("c-" + a, List.of("example.org"), List.of("ndots:1")))
                .isEqualTo("nameserver " + gwA + "\nsearch example.org\noptions ndots:1\n");
        assertThat(networks.hosts("c-" + a, "alpha", List.of("db:10.1.1.1", "gw:host-gateway")))
                .contains("127.0.0.1\tlocalhost\n").contains(ia.ipv4() + "\talpha\n").contains("10.1.1.1\tdb\n").contains(gwA + "\tgw\n");
    }

    @Test void publishedPortsReachTheNamespaceSurviveRestartAndFailAtomically() throws Exception {
        networks.create(CreateRequest.named("web"));
        String a = netns("a");
        Attachment ia = attach("web", a, "httpd");
        Path www = Files.createDirectory(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from " + rootId + "\n");
        background(List.of("ip", "netns", "exec", a, "busybox", "httpd", "-f", "-p", "8080", "-h", www.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> in(a, "busybox", "nc", "-z", "127.0.0.1", "8080").ok()
                || in(a, "sh", "-c", "busybox netstat -ltn | grep -q :8080").ok());
        List<PortBinding> got = networks.publish(ia.endpointId(), List.of(
                new PortBinding("tcp", "127.0.0.1", 0, 0, 8080), new PortBinding("tcp", "0.0.0.0", 0, 0, 8080)));
        int local = got.get(0).hostPort();
        int any = got.get(1).hostPort();
        assertThat(local).isPositive();
        assertThat(httpGet(local)).contains("hello from " + rootId);
        // Hairpin: the container reaches its own published port through the host.
        Exec.Result hair = in(a, "timeout", "5", "busybox", "wget", "-q", "-O-", "http://" + ia.gateway() + ":" + any + "/");
        assertThat(hair.out()).as(hair.err()).contains("hello from " + rootId);

        // Engine restart: the proxy goes with the process and comes back from state.
        networks.close();
        assertThatThrownBy(() -> httpGet(local)).isInstanceOf(IOException.class);
        networks = open(List.of());
        assertThat(httpGet(local)).contains("hello from " + rootId);

        // A held port fails the whole batch, names the holder, and releases what the batch had already bound.
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress("127.0.0.1", 0));
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                free = probe.getLocalPort();
            }
            assertThatThrownBy(() -> networks.publish(ia.endpointId(), List.of(
                    new PortBinding("tcp", "127.0.0.1", free, free, 8080), new PortBinding("tcp", "127.0.0.1", held.getLocalPort(), 0, 8080))))
                    .isInstanceOf(NetworkException.class)
                    .hasMessageContaining(":" + held.getLocalPort() + "/tcp")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid() + " (java)");
            try (ServerSocket again = new ServerSocket(free, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                assertThat(again.isBound()).isTrue();
            }
            assertThat(networks.published(ia.endpointId())).hasSize(2);
        }

        // Bulk transfer: through the published port vs straight to the namespace's address.
        int mb = Integer.getInteger("jcompose.test.bulkMb", 200);
        long direct = bulk(a, ia.ipv4(), 9000, mb);
        List<PortBinding> p9 = networks.publish(ia.endpointId(), List.of(new PortBinding("tcp", "127.0.0.1", 0, 0, 9000)));
        long proxied = bulk(a, "127.0.0.1", p9.get(0).hostPort(), mb);
        System.out.printf("[measure] %d MB: direct %d ms (%.0f MB/s), through published port %d ms (%.0f MB/s), ratio %.2f%n",
                mb, direct, mb * 1000.0 / direct, proxied, mb * 1000.0 / proxied, (double) proxied / direct);
        networks.unpublish(ia.endpointId());
        assertThatThrownBy(() -> httpGet(local)).isInstanceOf(IOException.class);
    }

    @Test void udpPortsAndTheDefaultBridgeComeAndGoWithUse() throws Exception {
        NetworkRecord bridge = networks.get("bridge");
        assertThat(bridge.predefined()).isTrue();
        assertThat(Files.exists(Path.of("/sys/class/net", bridge.bridge()))).as("made real only on first use").isFalse();
        String a = netns("a");
        Attachment ia = attach("bridge", a, "udp");
        assertThat(Files.exists(Path.of("/sys/class/net", bridge.bridge()))).isTrue();
        Process echo = background(List.of("nsenter", "--net=/run/netns/" + a, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UdpEcho.class.getName(), "7000"));
        assertThat(new String(echo.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("ready");
        int port = networks.publish(ia.endpointId(), PortBinding.parse("127.0.0.1::7000/udp")).get(0).hostPort();
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            s.setSoTimeout(5000);
            byte[] ping = ("ping-" + rootId).getBytes(StandardCharsets.US_ASCII);
            s.send(new java.net.DatagramPacket(ping, ping.length, new InetSocketAddress("127.0.0.1", port)));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[64], 64);
            s.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)).isEqualTo("echo:ping-" + rootId);
        }
        networks.detach("bridge", "c-" + a);
        assertThat(Files.exists(Path.of("/sys/class/net", bridge.bridge()))).as("gone with its last endpoint").isFalse();
        assertThat(Exec.run("iptables-save").out()).doesNotContain("JCOMPOSE-" + rootId);
    }

    /** Sends {@code mb} MiB to a fresh {@code busybox nc -l} in the namespace; ms until the listener has read all. */
    private long bulk(String ns, String host, int port, int mb) throws Exception {
        Process nc = background(List.of("ip", "netns", "exec", ns, "sh", "-c", "busybox nc -l -p 9000 | wc -c"));
        await().atMost(Duration.ofSeconds(10)).until(() -> in(ns, "sh", "-c", "busybox netstat -ltn | grep -q :9000").ok());
        byte[] chunk = new byte[1 << 20];
        long t0 = System.nanoTime();
        try (Socket s = new Socket(host, port)) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < mb; i++) out.write(chunk);
            s.shutdownOutput();
            s.getInputStream().readAllBytes();
        }
        String count = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        nc.waitFor();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(count).isEqualTo(String.valueOf((long) mb << 20));
        return Math.max(ms, 1);
    }

    private static String httpGet(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (body.isEmpty()) throw new IOException("empty answer from port " + port);
            return body;
        }
    }
}
