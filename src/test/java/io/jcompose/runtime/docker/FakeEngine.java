package io.jcompose.runtime.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP/1.1 server on a temporary unix socket, for testing the client's protocol layer. It parses
 * requests (Content-Length or chunked bodies) and hands each to a handler that writes raw response bytes.
 */
final class FakeEngine implements AutoCloseable {
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes the response; returns false to close the connection afterwards. */
    @FunctionalInterface
    interface Handler {
        boolean handle(Request req, InputStream in, OutputStream out) throws IOException;
    }

    final Path socket;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile Handler handler;

    FakeEngine(Path dir, Handler handler) throws IOException {
        this.socket = dir.resolve("fake.sock");
        this.handler = handler;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::acceptLoop, "fake-engine");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    void handler(Handler h) {
        this.handler = h;
    }

    UnixTransport transport() {
        return new UnixTransport(socket);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(ch), "fake-engine-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            while (true) {
                Request req = read(in);
                if (req == null) return;
                requests.add(req);
                if (!handler.handle(req, in, out)) return;
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private static Request read(InputStream in) throws IOException {
        String line;
        try {
            line = HttpWire.readLine(in);
        } catch (java.io.EOFException e) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        while (!(line = HttpWire.readLine(in)).isEmpty()) {
            int c = line.indexOf(':');
            headers.put(line.substring(0, c).trim(), line.substring(c + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            body = new ChunkedInputStream(in).readAllBytes();
        } else if (headers.containsKey("Content-Length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("Content-Length")));
        } else {
            body = new byte[0];
        }
        return new Request(parts[0], parts[1], headers, body);
    }

    // ---- response helpers ----

    static boolean json(OutputStream out, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                + "\r\nApi-Version: 1.41\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
        return true;
    }

    /** Writes a chunked response with the given raw chunks (each sent as one chunk). */
    static boolean chunked(OutputStream out, int status, String contentType, List<byte[]> chunks) throws IOException {
        out.write(("HTTP/1.1 " + status + " OK\r\nContent-Type: " + contentType
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : chunks) {
            out.write((Integer.toHexString(c.length) + ";ext=1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(c);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        out.write("0\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return true;
    }

    static byte[] frame(int stream, String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(stream);
        b.write(0);
        b.write(0);
        b.write(0);
        b.write(p.length >>> 24);
        b.write(p.length >>> 16);
        b.write(p.length >>> 8);
        b.write(p.length);
        b.writeBytes(p);
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
