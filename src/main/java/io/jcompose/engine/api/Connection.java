package io.jcompose.engine.api;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: reads requests one after another (keep-alive), dispatches each, and keeps the framing
 * right: a body the handler did not read is drained so the next request starts at its first byte.
 */
final class Connection {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    /** A handler that leaves more than this unread gets the connection closed rather than drained. */
    static final long MAX_DRAIN = 1 << 20;

    private final Transport transport;
    private final Dispatcher dispatcher;
    private final Peer peer;
    private final String server;
    private volatile boolean busy;
    private volatile long idleSince = System.nanoTime();
    private volatile boolean closing;

    Connection(Transport transport, Dispatcher dispatcher, Peer peer, String server) {
        this.transport = transport;
        this.dispatcher = dispatcher;
        this.peer = peer;
        this.server = server;
    }

    /** Serves requests until the client closes, a request asks to close, or {@link #closeIfIdle()} is called. */
    void serve() {
        InputStream in = new BufferedInputStream(transport.in(), 16 * 1024);
        OutputStream out = new BufferedOutputStream(transport.out(), 16 * 1024);
        try {
            while (!closing) {
                idleSince = System.nanoTime();
                RequestHead head;
                try {
                    head = HttpReader.readHead(in);
                } catch (HttpProtocolException e) {
                    badRequest(out, e.getMessage());
                    return;
                }
                if (head == null) return;
                busy = true;
                try {
                    if (!serveOne(head, in, out)) return;
                } finally {
                    busy = false;
                }
            }
        } catch (IOException e) {
            // The client went away or the engine closed us during shutdown: nothing to answer to.
            LOG.log(Level.FINEST, "connection ended", e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "connection failed (a bug): closing it", e);
        } finally {
            try {
                transport.close();
            } catch (IOException e) {
                LOG.log(Level.FINEST, "close", e);
            }
        }
    }

    /** Serves one request; false if the connection must close afterwards. */
    private boolean serveOne(RequestHead head, InputStream in, OutputStream out) throws IOException {
        InputStream body;
        try {
            body = HttpReader.body(head, in);
        } catch (HttpProtocolException e) {
            badRequest(out, e.getMessage());
            return false;
        }
        if (head.headers().hasToken("Expect", "100-continue") && head.http11()) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        Exchange exchange = new Exchange(head, in, out, transport, server, () -> closing);
        dispatcher.dispatch(head, body, exchange, peer);
        Exchange.After after = exchange.finish();
        if (after == Exchange.After.CLOSE || closing) return false;
        return drain(body);
    }

    private static boolean drain(InputStream body) {
        try {
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = body.read(buf)) >= 0) {
                total += n;
                if (total > MAX_DRAIN) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void badRequest(OutputStream out, String message) throws IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(java.util.Map.of("message", "bad request: " + message));
        String head = "HTTP/1.1 400 Bad Request\r\nApi-Version: " + ApiVersion.MAX + "\r\nServer: " + server
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (body.length + 1) + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.write('\n');
        out.flush();
    }

    boolean busy() {
        return busy;
    }

    /** How long the connection has been waiting for a request (0 while one is served). */
    long idleNanos(long now) {
        return busy ? 0 : now - idleSince;
    }

    /** Closes the connection now if it is waiting for a request; a busy one closes after its current request. */
    void closeIfIdle() {
        closing = true;
        if (!busy) abort();
    }

    /** Closes the connection whatever it is doing (shutdown after the grace period). */
    void abort() {
        closing = true;
        try {
            transport.close();
        } catch (IOException e) {
            LOG.log(Level.FINEST, "abort", e);
        }
    }
}
