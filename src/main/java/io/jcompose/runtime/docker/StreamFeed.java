package io.jcompose.runtime.docker;

import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.Feed;
import java.io.IOException;
import java.util.NoSuchElementException;

/** A Feed over a streaming response; each item is read on demand, and closing releases the connection. */
final class StreamFeed<T> implements Feed<T> {
    /** Reads the next item, or returns null at the end of the stream. */
    interface Reader<T> {
        T read() throws IOException;
    }

    private final HttpResponse response;
    private final Reader<T> reader;
    private final String what;
    private T pending;
    private boolean ended;
    private volatile boolean closed;

    StreamFeed(HttpResponse response, Reader<T> reader, String what) {
        this.response = response;
        this.reader = reader;
        this.what = what;
    }

    @Override
    public synchronized boolean hasNext() {
        if (pending != null) return true;
        if (ended || closed) return false;
        try {
            pending = reader.read();
        } catch (IOException e) {
            ended = true;
            response.close();
            if (closed) return false; // closed from another thread: a normal end
            throw new EngineException(EngineException.Category.UNAVAILABLE, what + ": stream broke (" + e.getMessage()
                    + ")", e.getMessage(), e);
        }
        if (pending == null) {
            ended = true;
            response.close();
        }
        return pending != null;
    }

    @Override
    public synchronized T next() {
        if (!hasNext()) throw new NoSuchElementException(what + ": no more items");
        T t = pending;
        pending = null;
        return t;
    }

    @Override
    public void close() {
        // Not synchronized: close must interrupt a hasNext blocked on the socket from another thread.
        closed = true;
        response.close();
    }
}
