package io.jcompose.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The byte pipe under one HTTP connection: a unix socket in the server, byte arrays in tests. */
interface Transport extends AutoCloseable {
    InputStream in();

    OutputStream out();

    /** Half-close: the peer reads end of stream, and may keep sending. */
    void shutdownOutput() throws IOException;

    @Override
    void close() throws IOException;
}
