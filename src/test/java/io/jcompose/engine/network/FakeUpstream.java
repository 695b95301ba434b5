package io.jcompose.engine.network;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny upstream resolver for tests, run inside a namespace the test created
 * ({@code nsenter --net=/run/netns/x java -cp … FakeUpstream 53 name=ip …}): answers its names, NXDOMAIN otherwise.
 * Prints "ready" once bound.
 */
public final class FakeUpstream {
    public static void main(String[] args) throws Exception {
        Map<String, String> names = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            names.put(kv[0], kv[1]);
        }
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(Integer.parseInt(args[0])))) {
            System.out.println("ready");
            System.out.flush();
            byte[] buf = new byte[4096];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                DnsMessage m = DnsMessage.parseQuery(buf, p.getLength());
                if (m == null) continue;
                String ip = names.get(m.name());
                byte[] a = ip == null ? m.answer(buf, DnsMessage.NXDOMAIN, List.of(), 0)
                        : m.answer(buf, DnsMessage.NOERROR, m.qtype() == DnsMessage.TYPE_A ? List.of(InetAddress.getByName(ip)) : List.of(), 60);
                s.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            }
        }
    }
}
