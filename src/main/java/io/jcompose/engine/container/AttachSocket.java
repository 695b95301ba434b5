package io.jcompose.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * A client of conmon's attach socket ({@code <bundle>/attach}, reached through the short link
 * {@code <root>/s/<id>}): a {@code SOCK_SEQPACKET} unix socket, which the JDK's channels cannot open (they know only
 * stream sockets), hence libc through jnr-ffi. What the client writes is the container's stdin; conmon sends the
 * container's output as packets whose first byte names the stream (2 stdout, 3 stderr). Closing the socket ends
 * the container's stdin unless conmon runs with {@code --leave-stdin-open} (not StdinOnce).
 */
final class AttachSocket implements AutoCloseable {
    /** The libc calls a seqpacket client needs. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int connect(int fd, @In byte[] addr, int len);

        @ssize_t long write(int fd, @In byte[] buf, @size_t long n);

        @ssize_t long read(int fd, @Out byte[] buf, @size_t long n);

        int shutdown(int fd, int how);

        int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SHUT_RDWR = 2;
    /** conmon reads stdin in packets of at most this size. */
    private static final int PACKET = 8192;
    private static volatile LibC libc;

    private final int fd;
    private final Thread drain;
    private volatile boolean closed;

    private static LibC libc() {
        if (libc == null) libc = LibraryLoader.create(LibC.class).load("c");
        return libc;
    }

    private AttachSocket(int fd) {
        this.fd = fd;
        // conmon writes output to every attached client; a client that never reads would stall the container once
        // the socket buffer fills. Output reaches API clients from the log, so this one only drains.
        this.drain = new Thread(() -> {
            byte[] b = new byte[PACKET + 1];
            while (!closed && libc().read(fd, b, b.length) > 0) {
                // discard
            }
        }, "attach-drain");
        drain.setDaemon(true);
        drain.start();
    }

    /** Connects to {@code socket}; IOException if it does not exist (not running, or started without stdin). */
    static AttachSocket connect(Path socket) throws IOException {
        byte[] path = socket.toString().getBytes(StandardCharsets.UTF_8);
        if (path.length > 107) throw new IOException("attach socket path too long for a unix address: " + socket);
        byte[] addr = new byte[2 + path.length + 1];
        addr[0] = (byte) AF_UNIX; // sun_family, little-endian short
        System.arraycopy(path, 0, addr, 2, path.length);
        LibC c = libc();
        int fd = c.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException("socket(AF_UNIX, SOCK_SEQPACKET) failed");
        if (c.connect(fd, addr, addr.length) != 0) {
            c.close(fd);
            throw new IOException("cannot connect to the container's attach socket " + socket);
        }
        return new AttachSocket(fd);
    }

    /** Copies {@code in} to the container's stdin until {@code in} ends or the container goes. */
    void pump(InputStream in) throws IOException {
        byte[] b = new byte[PACKET];
        int n;
        while (!closed && (n = in.read(b)) > 0) {
            byte[] chunk = n == b.length ? b : java.util.Arrays.copyOf(b, n);
            if (libc().write(fd, chunk, n) != n) throw new IOException("the container's stdin is closed");
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        libc().shutdown(fd, SHUT_RDWR); // wakes the drain thread's read
        try {
            drain.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        libc().close(fd);
    }
}
