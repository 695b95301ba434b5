package io.jcompose.engine.network;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The DNS responder of one network: UDP and TCP on the gateway address, port 53. Names of the client's networks
 * are answered from the {@link Resolver} (A records; AAAA and other types of a known name are NODATA, so glibc and
 * musl, which ask A and AAAA in parallel, get both answers at once and never wait for a timeout); a name of another
 * network is NXDOMAIN; anything else is forwarded as raw bytes to the upstreams (UDP, 2 s each, in order), and
 * SERVFAIL when none answers. TTL 0: a removed replica must vanish at once.
 */
final class DnsServer implements Closeable {
    private static final Logger LOG = Logger.getLogger(DnsServer.class.getName());
    static final int TTL = 0;

    private final Resolver resolver;
    private final Supplier<List<String>> defaultUpstreams;
    private final ExecutorService pool;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean closed;
    private final Thread udpThread;
    private final Thread tcpThread;

    DnsServer(InetAddress address, int port, Resolver resolver, Supplier<List<String>> defaultUpstreams, ExecutorService pool)
            throws IOException {
        this.resolver = resolver;
        this.defaultUpstreams = defaultUpstreams;
        this.pool = pool;
        udp = new DatagramSocket(null);
        udp.setReuseAddress(true);
        udp.bind(new InetSocketAddress(address, port));
        try {
            tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            udp.close();
            throw e;
        }
        udpThread = new Thread(this::udpLoop, "dns-udp-" + address.getHostAddress());
        udpThread.setDaemon(true);
        udpThread.start();
        tcpThread = new Thread(this::tcpLoop, "dns-tcp-" + address.getHostAddress());
        tcpThread.setDaemon(true);
        tcpThread.start();
    }

    /** The bound ports (differ only when constructed with port 0, as tests do). */
    int udpPort() {
        return udp.getLocalPort();
    }

    int tcpPort() {
        return tcp.getLocalPort();
    }

    private void udpLoop() {
        while (!closed) {
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                if (!closed) LOG.log(Level.WARNING, "dns: receive failed", e);
                return;
            }
            InetAddress client = p.getAddress();
            int port = p.getPort();
            int len = p.getLength();
            pool.execute(() -> {
                byte[] answer = respond(client, buf, len);
                if (answer == null) return;
                try {
                    udp.send(new DatagramPacket(answer, answer.length, client, port));
                } catch (IOException e) {
                    if (!closed) LOG.fine(() -> "dns: reply to " + client + " failed: " + e);
                }
            });
        }
    }

    private void tcpLoop() {
        while (!closed) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                if (!closed) LOG.log(Level.WARNING, "dns: accept failed", e);
                return;
            }
            pool.execute(() -> {
                try (s) {
                    s.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    while (true) {
                        int len = in.readUnsignedShort();
                        byte[] q = in.readNBytes(len);
                        if (q.length < len) return;
                        byte[] a = respond(s.getInetAddress(), q, len);
                        if (a == null) return;
                        out.writeShort(a.length);
                        out.write(a);
                        out.flush();
                    }
                } catch (IOException e) {
                    // client closed or timed out: the usual end of a TCP DNS session
                }
            });
        }
    }

    /** The answer to one query from {@code client}, or null to stay silent (garbage). */
    byte[] respond(InetAddress client, byte[] query, int len) {
        DnsMessage m = DnsMessage.parseQuery(query, len);
        if (m == null) return len >= 12 && (query[2] & 0x80) == 0 ? DnsMessage.error(query, len, DnsMessage.FORMERR) : null;
        if (m.opcode() != 0) return DnsMessage.error(query, len, DnsMessage.NOTIMP);
        Resolver.Lookup l = resolver.lookup(client, m.name());
        if (l instanceof Resolver.Known k) {
            boolean a = m.qtype() == DnsMessage.TYPE_A || m.qtype() == DnsMessage.TYPE_ANY;
            return m.answer(query, DnsMessage.NOERROR, a ? k.addresses() : List.of(), TTL);
        }
        if (l instanceof Resolver.Foreign) return m.answer(query, DnsMessage.NXDOMAIN, List.of(), TTL);
        Resolver.Unknown u = (Resolver.Unknown) l;
        if (!u.forward()) return DnsMessage.error(query, len, DnsMessage.SERVFAIL);
        List<String> ups = u.upstreams();
        if (ups.isEmpty()) ups = defaultUpstreams.get();
        byte[] fwd = forward(query, len, ups);
        return fwd != null ? fwd : DnsMessage.error(query, len, DnsMessage.SERVFAIL);
    }

    /** Sends the query's bytes to each upstream in turn; the first answer with the query's id wins. */
    static byte[] forward(byte[] query, int len, List<String> upstreams) {
        for (String up : upstreams) {
            InetSocketAddress addr = parseUpstream(up);
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(2000);
                s.connect(addr);
                s.send(new DatagramPacket(query, len));
                byte[] buf = new byte[4096];
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < deadline) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    if (p.getLength() >= 2 && buf[0] == query[0] && buf[1] == query[1]) {
                        byte[] out = new byte[p.getLength()];
                        System.arraycopy(buf, 0, out, 0, out.length);
                        return out;
                    }
                }
            } catch (SocketTimeoutException e) {
                LOG.fine(() -> "dns: upstream " + up + " did not answer in 2 s");
            } catch (IOException e) {
                LOG.fine(() -> "dns: upstream " + up + " failed: " + e);
            }
        }
        return null;
    }

    /** "1.2.3.4" or "1.2.3.4:5353". */
    static InetSocketAddress parseUpstream(String s) {
        int colon = s.lastIndexOf(':');
        if (colon > 0 && s.indexOf(':') == colon) {
            return new InetSocketAddress(Ipv4.inet(Ipv4.parse(s.substring(0, colon))), Integer.parseInt(s.substring(colon + 1)));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(s), 53);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid DNS server \"" + s + "\": use an IP address", e);
        }
    }

    /** The nameservers of a resolv.conf text (the engine's default upstreams come from the host's). */
    static List<String> nameservers(String resolvConf) {
        List<String> out = new ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) out.add(f[1]);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing a listening socket does not fail in a way we could act on
        }
        // The JDK defers the real close of a socket until the thread blocked on it has left accept/receive; wait for
        // that, or an engine restart in the same process (tests) finds the address still in use.
        joinQuietly(udpThread);
        joinQuietly(tcpThread);
    }

    static void joinQuietly(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
