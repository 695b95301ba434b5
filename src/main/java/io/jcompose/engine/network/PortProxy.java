package io.jcompose.engine.network;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The userland proxy of one published port: a listener on the host that copies bytes to the endpoint's address.
 * TCP: one connection to the container per client connection, two blocking copy threads with a 64 KiB direct
 * buffer each, half-close passed on. UDP: one connected socket per client address, replies copied back.
 * {@link #bind} claims the port (so a batch can fail atomically before anything forwards); {@link #start} serves.
 */
final class PortProxy implements Closeable {
    private static final Logger LOG = Logger.getLogger(PortProxy.class.getName());

    private final PortBinding binding;
    private final InetSocketAddress target;
    private final ServerSocketChannel tcp;
    private final DatagramChannel udp;
    private final Map<SocketAddress, DatagramChannel> udpPeers = new ConcurrentHashMap<>();
    private final Map<SocketChannel, Boolean> open = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Thread listener;

    private PortProxy(PortBinding binding, InetSocketAddress target, ServerSocketChannel tcp, DatagramChannel udp) {
        this.binding = binding;
        this.target = target;
        this.tcp = tcp;
        this.udp = udp;
    }

    /** Binds {@code port} of {@code request}'s host IP (trying each port of its range); throws CONFLICT naming the holder. */
    static PortProxy bind(PortBinding request, InetSocketAddress target) {
        IOException last = null;
        int lo = request.hostPort();
        int hi = request.hostPortEnd();
        for (int port = lo; port <= hi; port++) {
            InetSocketAddress at = new InetSocketAddress(Ipv4.inet(Ipv4.parse(request.hostIp())), port);
            try {
                if (request.protocol().equals("tcp")) {
                    ServerSocketChannel s = ServerSocketChannel.open();
                    try {
                        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                        s.bind(at, 128);
                    } catch (IOException e) {
                        s.close();
                        throw e;
                    }
                    int bound = ((InetSocketAddress) s.getLocalAddress()).getPort();
                    return new PortProxy(new PortBinding("tcp", request.hostIp(), bound, bound, request.containerPort()), target, s, null);
                }
                DatagramChannel d = DatagramChannel.open();
                try {
                    d.bind(at);
                } catch (IOException e) {
                    d.close();
                    throw e;
                }
                int bound = ((InetSocketAddress) d.getLocalAddress()).getPort();
                return new PortProxy(new PortBinding("udp", request.hostIp(), bound, bound, request.containerPort()), target, null, d);
            } catch (IOException e) {
                last = e;
            }
        }
        String range = lo == hi ? String.valueOf(lo) : lo + "-" + hi;
        String holder = lo == hi && lo != 0 ? PortHolder.describe(request.protocol(), lo) : "";
        throw new NetworkException(NetworkException.Kind.CONFLICT, "cannot publish " + request.hostIp() + ":" + range + "/"
                + request.protocol() + ": " + (last == null ? "no port" : last.getMessage())
                + (holder.isEmpty() ? "" : "; it is held by " + holder) + "; choose another host port or stop that process");
    }

    PortBinding binding() {
        return binding;
    }

    void start() {
        Thread t = new Thread(tcp != null ? this::acceptLoop : this::udpLoop,
                "port-" + binding.protocol() + "-" + binding.hostPort());
        t.setDaemon(true);
        t.start();
        listener = t;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = tcp.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> serve(client), "port-conn-" + binding.hostPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel client) {
        SocketChannel backend;
        try {
            backend = SocketChannel.open();
            backend.connect(target);
        } catch (IOException e) {
            LOG.fine(() -> "port " + binding.hostPort() + ": cannot reach " + target + ": " + e);
            closeQuietly(client);
            return;
        }
        open.put(client, true);
        open.put(backend, true);
        try {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            backend.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            // an optimisation only
        }
        Thread back = new Thread(() -> copy(backend, client), "port-copy-" + binding.hostPort());
        back.setDaemon(true);
        back.start();
        copy(client, backend);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.remove(client);
        open.remove(backend);
        closeQuietly(client);
        closeQuietly(backend);
    }

    /** Copies until end of stream, then half-closes the other side so the peer sees EOF. */
    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private void udpLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        while (!closed) {
            SocketAddress client;
            try {
                buf.clear();
                client = udp.receive(buf);
                buf.flip();
                DatagramChannel peer = udpPeers.get(client);
                if (peer == null) {
                    DatagramChannel p = DatagramChannel.open();
                    p.connect(target);
                    udpPeers.put(client, p);
                    peer = p;
                    SocketAddress c = client;
                    Thread t = new Thread(() -> udpReplies(p, c), "port-udp-reply-" + binding.hostPort());
                    t.setDaemon(true);
                    t.start();
                }
                peer.write(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                LOG.fine(() -> "port " + binding.hostPort() + "/udp: " + e);
            }
        }
    }

    private void udpReplies(DatagramChannel peer, SocketAddress client) {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        while (!closed) {
            try {
                buf.clear();
                peer.read(buf);
                buf.flip();
                udp.send(buf, client);
            } catch (IOException e) {
                udpPeers.remove(client);
                closeQuietly(peer);
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (tcp != null) closeQuietly(tcp);
        if (udp != null) closeQuietly(udp);
        udpPeers.values().forEach(PortProxy::closeQuietly);
        open.keySet().forEach(PortProxy::closeQuietly);
        // As in DnsServer: the port is only free once the listening thread has left accept/receive.
        Thread t = listener;
        if (t != null) DnsServer.joinQuietly(t);
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
