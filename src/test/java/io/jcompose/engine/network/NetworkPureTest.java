package io.jcompose.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** IPAM, the DNS codec and resolver, port specs and firewall text: no root needed. */
class NetworkPureTest {
    @Test void subnetsSkipHostRoutesAndOurNetworks() {
        List<Ipv4.Cidr> routes = HostRoutes.parse("""
                Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
                eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
                docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
                eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
                """);
        assertThat(routes).extracting(Object::toString).containsExactly("172.17.0.0/16", "192.0.2.0/24");
        assertThat(Ipam.allocateSubnet(routes)).hasToString("172.18.0.0/16");
        List<Ipv4.Cidr> taken = new java.util.ArrayList<>(routes);
        for (int b = 18; b <= 31; b++) taken.add(Ipv4.Cidr.parse("172." + b + ".5.0/24"));
        taken.add(Ipv4.Cidr.parse("192.168.1.0/24"));
        assertThat(Ipam.allocateSubnet(taken)).hasToString("192.168.16.0/20");
    }

    @Test void addressesStartAfterTheGatewayAndHonourTheRange() {
        Ipv4.Cidr s = Ipv4.Cidr.parse("10.9.0.0/24");
        int gw = Ipam.defaultGateway(s);
        assertThat(Ipv4.format(gw)).isEqualTo("10.9.0.1");
        assertThat(Ipv4.format(Ipam.allocateAddress(s, s, gw, Set.of()))).isEqualTo("10.9.0.2");
        assertThat(Ipv4.format(Ipam.allocateAddress(s, s, gw, Set.of(Ipv4.parse("10.9.0.2"))))).isEqualTo("10.9.0.3");
        assertThat(Ipv4.format(Ipam.allocateAddress(s, Ipv4.Cidr.parse("10.9.0.128/25"), gw, Set.of()))).isEqualTo("10.9.0.128");
        Ipv4.Cidr tiny = Ipv4.Cidr.parse("10.9.1.0/30");
        assertThatThrownBy(() -> Ipam.allocateAddress(tiny, tiny, Ipv4.parse("10.9.1.1"), Set.of(Ipv4.parse("10.9.1.2"))))
                .hasMessageContaining("no free address");
        assertThat(Ipam.mac(Ipv4.parse("172.18.0.2"))).isEqualTo("02:42:ac:12:00:02");
    }

    @Test void portSpecs() {
        assertThat(PortBinding.parse("80")).containsExactly(new PortBinding("tcp", "0.0.0.0", 0, 0, 80));
        assertThat(PortBinding.parse("127.0.0.1:8000-8001:80-81/udp")).containsExactly(
                new PortBinding("udp", "127.0.0.1", 8000, 8000, 80), new PortBinding("udp", "127.0.0.1", 8001, 8001, 81));
        assertThat(PortBinding.parse("8000-8010:80")).containsExactly(new PortBinding("tcp", "0.0.0.0", 8000, 8010, 80));
        assertThatThrownBy(() -> PortBinding.parse("1-3:80-81")).hasMessageContaining("differ in size");
        assertThatThrownBy(() -> PortBinding.parse("x:80")).hasMessageContaining("not a port");
    }

    @Test void firewallRulesIsolateInternalNetworks() {
        NetworkRecord open = net("a", "jcabcdef0", "172.18.0.0/16", false);
        NetworkRecord internal = net("b", "jcabcdef1", "172.19.0.0/16", true);
        String rules = new Firewall("abcdef").rules(List.of(open, internal));
        assertThat(rules).contains("-A JCOMPOSE-abcdef-FWD -i jcabcdef0 -o jcabcdef0 -j ACCEPT")
                .contains("-A JCOMPOSE-abcdef-FWD -i jcabcdef+ -o jcabcdef+ -j DROP")
                .contains("-A JCOMPOSE-abcdef-NAT -s 172.18.0.0/16 ! -o jcabcdef0 -j MASQUERADE")
                .contains("-A JCOMPOSE-abcdef-FWD -i jcabcdef1 ! -o jcabcdef1 -j DROP")
                .doesNotContain("-s 172.19.0.0/16");
        assertThat(rules.indexOf("-i jcabcdef1 -o jcabcdef1 -j ACCEPT")).isLessThan(rules.indexOf("jcabcdef+ -j DROP"));
    }

    @Test void dnsAnswersPerClientNetworks() throws Exception {
        Resolver r = new Resolver();
        r.register("c1", "netA", "10.0.0.2", List.of("alpha", "web"), List.of());
        r.register("c2", "netA", "10.0.0.3", List.of("web"), List.of());
        r.register("c3", "netB", "10.1.0.2", List.of("beta"), List.of());
        r.register("c4", "netA", "10.0.0.4", List.of("both"), List.of());
        r.register("c4", "netB", "10.1.0.4", List.of("both"), List.of());
        r.register("c5", "netB", "10.1.0.5", List.of("own-dns"), List.of("10.53.0.1:5353"));
        assertThat(r.lookup(InetAddress.getByName("10.1.0.5"), "example.org")).isEqualTo(new Resolver.Unknown(List.of("10.53.0.1:5353"), true));
        assertThat(r.lookup(InetAddress.getByName("10.1.0.4"), "example.org")).isEqualTo(new Resolver.Unknown(List.of(), true));
        r.register("c6", "netI", "10.2.0.6", List.of("inside"), List.of());
        r.internal("netI");
        assertThat(r.lookup(InetAddress.getByName("10.2.0.6"), "example.org")).isEqualTo(new Resolver.Unknown(List.of(), false));
        r.register("c6", "netB", "10.1.0.6", List.of("inside"), List.of());
        assertThat(r.lookup(InetAddress.getByName("10.2.0.6"), "example.org")).isEqualTo(new Resolver.Unknown(List.of(), true));
        DnsServer s = null;
        var pool = Executors.newCachedThreadPool();
        try {
            InetAddress a = InetAddress.getByName("10.0.0.2");
            assertThat(r.lookup(a, "WEB.")).isInstanceOf(Resolver.Known.class);
            assertThat(((Resolver.Known) r.lookup(a, "web")).addresses()).hasSize(2);
            var first = ((Resolver.Known) r.lookup(a, "web")).addresses().get(0);
            var second = ((Resolver.Known) r.lookup(a, "web")).addresses().get(0);
            assertThat(first).isNotEqualTo(second); // rotated
            assertThat(r.lookup(a, "beta")).isInstanceOf(Resolver.Foreign.class);
            assertThat(r.lookup(a, "example.org")).isInstanceOf(Resolver.Unknown.class);
            assertThat(r.lookup(InetAddress.getByName("10.1.0.4"), "alpha")).isInstanceOf(Resolver.Known.class);
            assertThat(r.lookup(InetAddress.getByName("10.1.0.4"), "beta")).isInstanceOf(Resolver.Known.class);
            r.unregister("c2", "netA");
            assertThat(((Resolver.Known) r.lookup(a, "web")).addresses()).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.2");
            r.unregister("c4", "netA");
            assertThat(r.lookup(InetAddress.getByName("10.1.0.4"), "alpha")).isInstanceOf(Resolver.Foreign.class);

            // The codec: A answered, AAAA of a known name is NODATA, a foreign name NXDOMAIN, no upstream SERVFAIL.
            s = new DnsServer(InetAddress.getLoopbackAddress(), 0, r, List::of, pool);
            byte[] q = DnsMessage.query(0x1234, "alpha", DnsMessage.TYPE_A);
            byte[] ans = s.respond(a, q, q.length);
            assertThat(DnsMessage.u16(ans, 0)).isEqualTo(0x1234);
            assertThat(DnsMessage.rcodeOf(ans)).isEqualTo(DnsMessage.NOERROR);
            assertThat(DnsMessage.answerCount(ans)).isEqualTo(1);
            assertThat(java.util.Arrays.copyOfRange(ans, ans.length - 4, ans.length)).containsExactly(10, 0, 0, 2);
            byte[] q6 = DnsMessage.query(7, "alpha", DnsMessage.TYPE_AAAA);
            byte[] nodata = s.respond(a, q6, q6.length);
            assertThat(DnsMessage.rcodeOf(nodata)).isEqualTo(DnsMessage.NOERROR);
            assertThat(DnsMessage.answerCount(nodata)).isZero();
            byte[] qb = DnsMessage.query(8, "beta", DnsMessage.TYPE_A);
            assertThat(DnsMessage.rcodeOf(s.respond(a, qb, qb.length))).isEqualTo(DnsMessage.NXDOMAIN);
            byte[] qx = DnsMessage.query(9, "example.org", DnsMessage.TYPE_A);
            assertThat(DnsMessage.rcodeOf(s.respond(a, qx, qx.length))).isEqualTo(DnsMessage.SERVFAIL);
            assertThat(s.respond(a, new byte[] {1, 2, 3}, 3)).isNull();
        } finally {
            if (s != null) s.close();
            pool.shutdownNow();
        }
    }

    @Test void dnsOverUdpAndTcpSockets() throws Exception {
        Resolver r = new Resolver();
        r.register("me", "net", "127.0.0.1", List.of("self"), List.of());
        var pool = Executors.newCachedThreadPool();
        try (DnsServer s = new DnsServer(InetAddress.getLoopbackAddress(), 0, r, List::of, pool);
             java.net.DatagramSocket c = new java.net.DatagramSocket()) {
            c.setSoTimeout(3000);
            byte[] q = DnsMessage.query(42, "self", DnsMessage.TYPE_A);
            c.send(new java.net.DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), s.udpPort()));
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[512], 512);
            c.receive(p);
            assertThat(DnsMessage.u16(p.getData(), 0)).isEqualTo(42);
            assertThat(DnsMessage.answerCount(p.getData())).isEqualTo(1);
            try (java.net.Socket t = new java.net.Socket(InetAddress.getLoopbackAddress(), s.tcpPort())) {
                t.setSoTimeout(3000);
                var out = new java.io.DataOutputStream(t.getOutputStream());
                var in = new java.io.DataInputStream(t.getInputStream());
                for (int i = 0; i < 2; i++) { // two queries on one connection
                    byte[] q2 = DnsMessage.query(100 + i, "self", DnsMessage.TYPE_AAAA);
                    out.writeShort(q2.length);
                    out.write(q2);
                    out.flush();
                    byte[] a = in.readNBytes(in.readUnsignedShort());
                    assertThat(DnsMessage.u16(a, 0)).isEqualTo(100 + i);
                    assertThat(DnsMessage.rcodeOf(a)).isEqualTo(DnsMessage.NOERROR);
                    assertThat(DnsMessage.answerCount(a)).isZero();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test void nameserversOfResolvConf() {
        assertThat(DnsServer.nameservers("# x\nnameserver 10.0.0.1\nsearch a\nnameserver 10.0.0.2\n"))
                .containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(DnsServer.parseUpstream("10.0.0.1:5353").getPort()).isEqualTo(5353);
        assertThat(DnsServer.parseUpstream("10.0.0.1").getPort()).isEqualTo(53);
    }

    @Test void createRequestRefusesNothingByItself() {
        assertThat(CreateRequest.named("x").driver()).isEqualTo("bridge");
        assertThat(new AttachRequest("n", "c", "c", "/run/netns/x", List.of(), Optional.empty(), List.of()).aliases()).isEmpty();
    }

    private static NetworkRecord net(String name, String bridge, String subnet, boolean internal) {
        String id = String.valueOf(name.charAt(0)).repeat(64).replace(name.charAt(0), 'a');
        return new NetworkRecord(id, name, "bridge", "now", internal, false, null, null, subnet,
                subnet.replace("0.0/16", "0.1"), subnet, bridge, false);
    }
}
