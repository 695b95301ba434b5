package io.jcompose.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** The {@link Response} of one request on a connection: writes the status line, headers and the body framing. */
final class Exchange implements Response {
    /** How the connection continues after this exchange. */
    enum After { KEEP, CLOSE }

    private final RequestHead head;
    private final InputStream connectionIn;
    private final OutputStream out;
    private final Transport transport;
    private final String server;
    private final boolean headRequest;
    private final java.util.function.BooleanSupplier closing;
    private final Headers extra = new Headers();
    private boolean committed;
    private boolean closeAfter;
    private OutputStream stream;
    private boolean hijacked;
    private int status;

    /** {@code closing}: the server is shutting down, so this exchange must tell the client the connection ends. */
    Exchange(RequestHead head, InputStream connectionIn, OutputStream out, Transport transport, String server,
             java.util.function.BooleanSupplier closing) {
        this.head = head;
        this.closing = closing;
        this.connectionIn = connectionIn;
        this.out = out;
        this.transport = transport;
        this.server = server;
        this.headRequest = head.method().equals("HEAD");
        this.closeAfter = !head.keepAlive();
    }

    @Override
    public void header(String name, String value) {
        if (committed) throw new IllegalStateException("response already started; header " + name + " is too late");
        extra.add(name, value);
    }

    @Override
    public void json(int status, Object body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        fixed(status, "application/json", concat(bytes, new byte[] {'\n'}));
    }

    @Override
    public void text(int status, String contentType, String body) throws IOException {
        fixed(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void empty(int status) throws IOException {
        begin(status);
        Headers h = headers();
        if (status != 204 && status != 304) h.set("Content-Length", "0");
        writeHead(status, h);
        out.flush();
    }

    void error(int status, String message) throws IOException {
        json(status, Map.of("message", message));
    }

    private void fixed(int status, String contentType, byte[] body) throws IOException {
        begin(status);
        Headers h = headers();
        h.set("Content-Type", contentType);
        h.set("Content-Length", Integer.toString(body.length));
        writeHead(status, h);
        if (!headRequest) out.write(body);
        out.flush();
    }

    @Override
    public OutputStream stream(int status, String contentType) throws IOException {
        begin(status);
        Headers h = headers();
        h.set("Content-Type", contentType);
        if (headRequest) {
            writeHead(status, h);
            stream = OutputStream.nullOutputStream();
        } else if (head.http11()) {
            h.set("Transfer-Encoding", "chunked");
            writeHead(status, h);
            stream = new ChunkedOutputStream(out, 8192);
        } else {
            // HTTP/1.0 has no chunking: the body ends when we close the connection.
            closeAfter = true;
            h.set("Connection", "close");
            writeHead(status, h);
            stream = new FlushingStream(out);
        }
        out.flush();
        return stream;
    }

    @Override
    public Hijacked hijack(String contentType) throws IOException {
        begin(head.wantsUpgrade() ? 101 : 200);
        hijacked = true;
        closeAfter = true;
        // Written raw, like moby's hijack: exactly these headers, no length, then the stream.
        String text = head.wantsUpgrade()
                ? "HTTP/1.1 101 UPGRADED\r\nContent-Type: " + contentType + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n\r\n";
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        OutputStream raw = new FlushingStream(out);
        return new Hijacked() {
            @Override
            public InputStream in() {
                return connectionIn;
            }

            @Override
            public OutputStream out() {
                return raw;
            }

            @Override
            public void closeWrite() throws IOException {
                out.flush();
                transport.shutdownOutput();
            }
        };
    }

    @Override
    public boolean committed() {
        return committed;
    }

    int status() {
        return status;
    }

    /** Ends the exchange after the handler returned: closes a stream body, or answers 204 if nothing was sent. */
    After finish() throws IOException {
        if (!committed) empty(204);
        if (stream != null) stream.close();
        out.flush();
        return closeAfter || hijacked ? After.CLOSE : After.KEEP;
    }

    private void begin(int status) {
        if (committed) throw new IllegalStateException("response already started (status " + this.status + ")");
        committed = true;
        this.status = status;
    }

    private Headers headers() {
        if (closing.getAsBoolean()) closeAfter = true;
        Headers h = new Headers();
        h.set("Api-Version", ApiVersion.MAX.toString());
        h.set("Ostype", "linux");
        h.set("Server", server);
        h.set("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        for (Map.Entry<String, List<String>> e : extra.asMap().entrySet()) {
            h.remove(e.getKey());
            for (String v : e.getValue()) h.add(e.getKey(), v);
        }
        if (closeAfter && head.http11()) h.set("Connection", "close");
        if (!closeAfter && !head.http11()) h.set("Connection", "keep-alive");
        return h;
    }

    private void writeHead(int status, Headers h) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append(head.http11() ? "HTTP/1.1 " : "HTTP/1.0 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (Map.Entry<String, List<String>> e : h.asMap().entrySet()) {
            for (String v : e.getValue()) sb.append(e.getKey()).append(": ").append(v).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Passes writes straight through; a close does not close the connection (the exchange owns it). */
    private static final class FlushingStream extends OutputStream {
        private final OutputStream out;

        FlushingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
