package io.jcompose.runtime.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A response whose body streams from the connection. Reading the body to its end returns a keep-alive
 * connection to the pool; closing earlier discards the connection (the rest of the body is unknown,
 * e.g. a followed log). A 101 response hands the raw connection over with {@link #hijack()}.
 */
final class HttpResponse implements Closeable {
    private final HttpWire.Head head;
    private final Connection connection;
    private final Body body;

    HttpResponse(HttpWire.Head head, Connection connection, InputStream rawBody, Runnable onComplete) {
        this.head = head;
        this.connection = connection;
        this.body = new Body(rawBody, onComplete, connection);
    }

    int status() {
        return head.status();
    }

    String reason() {
        return head.reason();
    }

    String header(String name) {
        return head.header(name);
    }

    Map<String, String> headers() {
        return head.headers();
    }

    InputStream body() {
        return body;
    }

    /** Reads the whole body and releases the connection. */
    byte[] bytes() throws IOException {
        try (InputStream in = body) {
            return in.readAllBytes();
        }
    }

    /** Takes over the connection after {@code 101 Switching Protocols}; the caller must close it. */
    Connection hijack() {
        return connection;
    }

    @Override
    public void close() {
        body.close();
    }

    private static final class Body extends InputStream {
        private final InputStream in;
        private final Runnable onComplete;
        private final Connection connection;
        private boolean done;
        private boolean closed;

        Body(InputStream in, Runnable onComplete, Connection connection) {
            this.in = in;
            this.onComplete = onComplete;
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done || closed) return -1;
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                closed = true;
                connection.close();
                throw e;
            }
            if (n < 0) {
                done = true;
                onComplete.run();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return done || closed ? 0 : in.available();
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (!done) connection.close();
        }
    }
}
