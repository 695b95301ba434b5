package io.jcompose.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * A pseudo-terminal of the host whose slave is the stdio of {@code runc exec --tty}. runc makes the session's own
 * terminal inside the container (so the process sees a {@code /dev/pts} of the container's devpts) and, because its
 * stdin is a terminal, copies between the two, sets ours raw, and takes the size from ours at start and on each
 * SIGWINCH ({@link #resize} sets it). runc then still waits for the process and exits with its code, as without a
 * TTY — runc's {@code --console-socket} would hand out the container's terminal directly, but only with
 * {@code --detach}, which loses the exit code. Reading ends with EIO once runc (the slave's only holder) exited.
 */
final class PtyMaster implements AutoCloseable {
    /** The libc calls a terminal master needs. */
    public interface LibC {
        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        int ptsname_r(int fd, @Out byte[] buf, @size_t long len);

        int tcgetattr(int fd, @Out byte[] termios);

        void cfmakeraw(@In @Out byte[] termios);

        int tcsetattr(int fd, int when, @In byte[] termios);

        @ssize_t long read(int fd, @Out byte[] buf, @size_t long n);

        @ssize_t long write(int fd, @In byte[] buf, @size_t long n);

        int ioctl(int fd, long request, @In byte[] arg);

        int close(int fd);
    }

    private static final long TIOCSWINSZ = 0x5414;
    private static final int O_RDWR = 02;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;
    private static volatile LibC libc;

    private final int fd;
    private final java.nio.file.Path slave;
    private volatile boolean closed;

    private static LibC libc() {
        if (libc == null) libc = LibraryLoader.create(LibC.class).load("c");
        return libc;
    }

    private PtyMaster(int fd, java.nio.file.Path slave) {
        this.fd = fd;
        this.slave = slave;
    }

    /** A new terminal pair, raw from the start (no echo, no newline translation: the container's terminal does those). */
    static PtyMaster open() throws IOException {
        LibC c = libc();
        int fd = c.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) throw new IOException("cannot open a pseudo-terminal (posix_openpt)");
        byte[] name = new byte[128];
        byte[] termios = new byte[128]; // struct termios is 60 bytes on Linux; room to spare
        if (c.grantpt(fd) != 0 || c.unlockpt(fd) != 0 || c.ptsname_r(fd, name, name.length) != 0 || c.tcgetattr(fd, termios) != 0) {
            c.close(fd);
            throw new IOException("cannot set up a pseudo-terminal");
        }
        c.cfmakeraw(termios);
        c.tcsetattr(fd, 0 /* TCSANOW */, termios);
        int n = 0;
        while (n < name.length && name[n] != 0) n++;
        return new PtyMaster(fd, java.nio.file.Path.of(new String(name, 0, n, java.nio.charset.StandardCharsets.US_ASCII)));
    }

    /** The slave's path ({@code /dev/pts/N} of the host), for the runtime's stdio. */
    java.nio.file.Path slave() {
        return slave;
    }

    /** Sets the terminal's size; the reader (runc) learns of it on SIGWINCH. */
    void resize(int height, int width) throws IOException {
        byte[] ws = {(byte) height, (byte) (height >> 8), (byte) width, (byte) (width >> 8), 0, 0, 0, 0};
        if (libc().ioctl(fd, TIOCSWINSZ, ws) != 0) throw new IOException("cannot set the terminal size");
    }

    /** Copies the terminal's output to {@code out} until the terminal ends; a failing {@code out} is dropped, reading goes on. */
    void copyTo(OutputStream out) {
        byte[] b = new byte[8192];
        long n;
        while (!closed && (n = libc().read(fd, b, b.length)) > 0) {
            if (out == null) continue;
            try {
                out.write(b, 0, (int) n);
                out.flush();
            } catch (IOException e) {
                out = null; // client gone: keep draining so the process never blocks on a full terminal
            }
        }
    }

    /** Copies {@code in} to the terminal (the process's input) until {@code in} ends. */
    void copyFrom(InputStream in) throws IOException {
        byte[] b = new byte[8192];
        int n;
        while (!closed && (n = in.read(b)) > 0) {
            int off = 0;
            while (off < n) {
                byte[] chunk = off == 0 && n == b.length ? b : java.util.Arrays.copyOfRange(b, off, n);
                long w = libc().write(fd, chunk, chunk.length);
                if (w <= 0) throw new IOException("the terminal is closed");
                off += (int) w;
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        libc().close(fd);
    }
}
