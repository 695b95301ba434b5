package io.jcompose.runtime.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 client for one engine endpoint: keep-alive pool, Content-Length and chunked bodies both ways,
 * streaming responses, and connection hijack ({@code Upgrade: tcp} → 101). Thread-safe; each request uses its
 * own connection from the pool.
 */
final class Http1Client implements AutoCloseable {
    private static final int MAX_IDLE = 8;

    private final Transport transport;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean closed;

    Http1Client(Transport transport) {
        this.transport = transport;
    }

    String endpoint() {
        return transport.describe();
    }

    /** Requests sent (a retry on a stale pooled connection is not counted twice). */
    long requestCount() {
        return requests.get();
    }

    /** Connections opened; with keep-alive this stays far below the request count. */
    long connectionsOpened() {
        return opened.get();
    }

    HttpResponse execute(HttpRequest req) throws IOException {
        requests.incrementAndGet();
        Connection pooled = poll();
        if (pooled != null) {
            try {
                return exchange(pooled, req, false, true);
            } catch (StaleConnectionException e) {
                // The engine closed an idle connection; retrying is safe because nothing was answered.
                if (!req.replayable()) throw e;
            }
        }
        return exchange(open(), req, false, false);
    }

    /** Sends a request asking to upgrade the connection to a raw stream (exec/attach). */
    HttpResponse upgrade(HttpRequest req) throws IOException {
        requests.incrementAndGet();
        return exchange(open(), req.header("Connection", "Upgrade").header("Upgrade", "tcp"), true, false);
    }

    private Connection open() throws IOException {
        if (closed) throw new IOException("client is closed");
        opened.incrementAndGet();
        return transport.open();
    }

    private synchronized Connection poll() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            if (!c.isClosed()) return c;
        }
        return null;
    }

    private synchronized void release(Connection c) {
        if (closed || c.isClosed() || idle.size() >= MAX_IDLE) {
            c.close();
        } else {
            idle.addFirst(c);
        }
    }

    /**
     * {@code reused}: the connection came from the pool, so a failure before any response byte (broken pipe
     * on write, EOF on read) means the engine had closed it while idle, not that the request failed.
     */
    private HttpResponse exchange(Connection c, HttpRequest req, boolean upgrade, boolean reused) throws IOException {
        HttpWire.Head head;
        try {
            OutputStream out = c.out();
            Map<String, String> extra = new TreeMap<>();
            if (req.body() != null) {
                extra.put("Content-Length", Integer.toString(req.body().length));
            } else if (req.bodyStream() != null) {
                extra.put("Transfer-Encoding", "chunked");
            } else if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
                extra.put("Content-Length", "0");
            }
            HttpWire.writeHead(out, req, "docker", extra);
            if (req.body() != null) {
                out.write(req.body());
            } else if (req.bodyStream() != null) {
                writeChunked(out, req.bodyStream());
            }
            out.flush();
            head = HttpWire.readHead(c.in());
        } catch (IOException e) {
            c.close();
            if (reused && (e instanceof EOFException || !(e.getMessage() != null
                    && e.getMessage().startsWith("malformed")))) {
                throw new StaleConnectionException(e);
            }
            throw e;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        if (head.status() == 101 || (upgrade && isRawStream(head))) {
            return new HttpResponse(head, c, InputStream.nullInputStream(), () -> { });
        }
        boolean keepAlive = !"close".equalsIgnoreCase(head.header("Connection"));
        InputStream body;
        String te = head.header("Transfer-Encoding");
        String cl = head.header("Content-Length");
        if (req.method().equals("HEAD") || head.status() == 204 || head.status() == 304
                || (head.status() >= 100 && head.status() < 200)) {
            body = InputStream.nullInputStream();
        } else if (te != null && te.toLowerCase().contains("chunked")) {
            body = new ChunkedInputStream(c.in());
        } else if (cl != null) {
            long len;
            try {
                len = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                c.close();
                throw new IOException("malformed Content-Length: " + cl);
            }
            body = new FixedLengthInputStream(c.in(), len);
        } else {
            body = c.in(); // until the engine closes the connection
            keepAlive = false;
        }
        boolean reuse = keepAlive;
        return new HttpResponse(head, c, body, () -> {
            if (reuse) release(c);
            else c.close();
        });
    }

    private static boolean isRawStream(HttpWire.Head head) {
        String ct = head.header("Content-Type");
        return head.status() == 200 && ct != null && ct.startsWith("application/vnd.docker.");
    }

    private static void writeChunked(OutputStream out, InputStream in) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(buf, 0, n);
            out.write('\r');
            out.write('\n');
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public synchronized void close() {
        closed = true;
        idle.forEach(Connection::close);
        idle.clear();
    }

    /** The connection died before any byte of the response: the request may be retried on a fresh one. */
    static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(IOException cause) {
            super("connection closed before the response", cause);
        }
    }

    /** A body of known length. */
    static final class FixedLengthInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            if (len == 0) return 0;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new IOException("connection closed with " + remaining + " body bytes missing");
            remaining -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(remaining, in.available());
        }
    }
}
