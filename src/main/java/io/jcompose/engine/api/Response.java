package io.jcompose.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How a handler answers. Exactly one of the answering methods may be called once per request; headers set
 * before it are sent with it. Every response carries {@code Api-Version}, {@code Ostype}, {@code Server} and
 * {@code Date}, as Docker's do.
 */
public interface Response {
    /** Adds a header to the coming answer (e.g. {@code Docker-Experimental}). */
    void header(String name, String value);

    /** A JSON body (Docker-shaped DTO, record or map) with {@code Content-Length}. */
    void json(int status, Object body) throws IOException;

    /** A text body, e.g. /_ping's "OK". */
    void text(int status, String contentType, String body) throws IOException;

    /** A status without a body (201/204/304). */
    void empty(int status) throws IOException;

    /**
     * Starts a streamed body (chunked on HTTP/1.1): progress, events, log lines. Call {@code flush()} after each
     * unit so the client sees it now; closing the stream ends the body (returning from the handler does too).
     * Writes fail with an IOException once the client has gone: stop then.
     */
    OutputStream stream(int status, String contentType) throws IOException;

    /**
     * Takes over the connection as a raw byte stream both ways (attach, exec start), as Docker does: with
     * {@code Connection: Upgrade} / {@code Upgrade: tcp} it answers {@code 101 UPGRADED}, otherwise
     * {@code 200 OK} with {@code Content-Type: application/vnd.docker.raw-stream} and no length. The connection
     * is closed when the handler returns.
     */
    Hijacked hijack(String contentType) throws IOException;

    /** Whether an answer has started (headers sent); after that, errors can only close the connection. */
    boolean committed();

    /**
     * The raw stream of a hijacked connection. {@code in} starts right after the request head (bytes the client
     * sent early are not lost). {@link #closeWrite()} half-closes (the client sees end of output, may still send).
     */
    interface Hijacked {
        InputStream in();

        OutputStream out();

        void closeWrite() throws IOException;
    }
}
