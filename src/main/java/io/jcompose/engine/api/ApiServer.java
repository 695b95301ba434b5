package io.jcompose.engine.api;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The engine's HTTP/1.1 server on a unix socket: one platform thread per connection from a bounded pool (a
 * follow stream holds its thread; past {@code maxConnections} new clients get 503). Only root and the
 * configured group are admitted (socket mode 0660 root:group, plus a peer-credential check).
 *
 * <p>{@link #close()} stops accepting, removes the socket file, closes idle connections, lets requests in
 * flight finish for the grace period, then cuts the rest.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /**
     * @param socket         where to listen; its directory is created (0755) if missing
     * @param group          the group admitted besides root, and the socket file's group; empty: root only
     * @param maxConnections concurrent connections (and threads) at most
     * @param grace          how long {@link #close()} waits for requests in flight
     * @param server         the {@code Server} header, e.g. "jcompose-engine/0.1.0 (linux)"
     * @param idleTimeout    a connection waiting this long for (the rest of) a request head is closed, so idle
     *                       keep-alive clients and stalled ones do not hold threads forever; streams and hijacked
     *                       connections are busy, never idle
     */
    public record Options(Path socket, Optional<String> group, int maxConnections, Duration grace, String server,
                          Duration idleTimeout) {
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

        public Options {
            if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idleTimeout must be positive");
            socket = socket.toAbsolutePath().normalize();
            if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
            if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative");
            if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 107) {
                throw new IllegalArgumentException("socket path " + socket + " is longer than 107 bytes, the limit of a unix socket address; use a shorter path");
            }
        }
    }

    private final Options options;
    private final ServerSocketChannel server;
    private final Dispatcher dispatcher;
    private final PeerPolicy policy;
    private final ThreadPoolExecutor pool;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final Thread reaper;
    private volatile boolean stopping;

    private ApiServer(Options options, ServerSocketChannel server, Routes routes) {
        this.options = options;
        this.server = server;
        this.dispatcher = new Dispatcher(routes);
        this.policy = new PeerPolicy(options.group(), Path.of("/etc/group"));
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, options.maxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "api-" + n.incrementAndGet());
            t.setDaemon(true); // close() decides when connections end; a stuck handler must not keep the JVM up
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "api-accept");
        this.acceptor.setDaemon(true);
        this.reaper = new Thread(this::reapLoop, "api-idle-reaper");
        this.reaper.setDaemon(true);
    }

    /** Binds the socket (replacing a stale one), sets its owner and mode, and starts serving {@code routes}. */
    public static ApiServer start(Options options, Routes routes) throws IOException {
        Path socket = options.socket();
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        removeStaleSocket(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), 128);
            secure(socket, options.group());
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        ApiServer s = new ApiServer(options, server, routes);
        s.acceptor.start();
        s.reaper.start();
        LOG.info("listening on " + socket + (options.group().map(g -> " (root and group " + g + ")").orElse(" (root only)")));
        return s;
    }

    /** A socket file left by an engine that died is removed; one that answers belongs to a live server: refuse. */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return;
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(socket + " exists and is not a socket; remove it or choose another --socket");
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            throw new IOException("socket " + socket + " is in use by another server; stop it or choose another --socket");
        } catch (java.net.SocketException e) {
            Files.deleteIfExists(socket); // nobody listens: left over from a crash
        }
    }

    private static void secure(Path socket, Optional<String> group) throws IOException {
        // Following links on purpose: with NOFOLLOW_LINKS the JDK opens the file to fchmod it, which fails on a socket.
        PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
        UserPrincipalLookupService lookup = socket.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal g;
        try {
            g = lookup.lookupPrincipalByGroupName(group.orElse("root"));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IOException("group " + group.orElse("root") + " does not exist; create it or pass another --group");
        }
        // The owner is us (root, when run as designed). A non-root engine (tests, development) keeps its own group
        // unless one was asked for: it could not give the socket to root's group anyway.
        if (group.isPresent() || view.getOwner().getName().equals("root")) view.setGroup(g);
        view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
    }

    public Path socket() {
        return options.socket();
    }

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopping) return;
                LOG.log(Level.WARNING, "accept failed", e);
                continue;
            }
            try {
                pool.execute(() -> serve(ch));
            } catch (RejectedExecutionException e) {
                refuse(ch, 503, stopping ? "the engine is shutting down"
                        : "too many connections (" + options.maxConnections() + "); try again later");
            }
        }
    }

    private void serve(SocketChannel ch) {
        Peer peer;
        try {
            UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            peer = new Peer(p.user().getName(), p.group().getName());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read peer credentials; refusing the connection", e);
            refuse(ch, 403, "permission denied: peer credentials unavailable");
            return;
        }
        Optional<String> refusal = policy.refusal(peer);
        if (refusal.isPresent()) {
            LOG.warning("refused connection from user " + peer.user() + " (group " + peer.group() + ")");
            refuse(ch, 403, refusal.get());
            return;
        }
        Connection c = new Connection(new ChannelTransport(ch), dispatcher, peer, options.server());
        connections.add(c);
        try {
            if (stopping) c.closeIfIdle();
            c.serve();
        } finally {
            connections.remove(c);
        }
    }

    private void reapLoop() {
        long period = Math.max(10, options.idleTimeout().toMillis() / 4);
        while (!stopping) {
            try {
                Thread.sleep(period); // a periodic sweep: there is no event for "nothing happened"
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : connections) {
                if (c.idleNanos(now) > options.idleTimeout().toNanos()) {
                    LOG.fine("closing a connection idle for more than " + options.idleTimeout().toSeconds() + " s");
                    c.abort();
                }
            }
        }
    }

    /** Answers without reading the request and closes: for peers we do not serve. */
    private void refuse(SocketChannel ch, int status, String message) {
        try (ch) {
            byte[] body = (Json.MAPPER.writeValueAsString(java.util.Map.of("message", message)) + "\n").getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + Exchange.reason(status) + "\r\nApi-Version: " + ApiVersion.MAX
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
            ch.write(ByteBuffer.wrap(body));
        } catch (IOException e) {
            LOG.log(Level.FINEST, "refuse", e);
        }
    }

    /** Connections currently open (for /info's NEventsListener-like counters and tests). */
    int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        if (stopping) return;
        stopping = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the listening socket", e);
        }
        reaper.interrupt();
        connections.forEach(Connection::closeIfIdle);
        try {
            Files.deleteIfExists(options.socket());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove socket " + options.socket(), e);
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(options.grace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("aborting " + connections.size() + " connection(s) still busy after " + options.grace().toMillis() + " ms");
                connections.forEach(Connection::abort);
                pool.shutdownNow();
                pool.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.forEach(Connection::abort);
        }
    }
}
