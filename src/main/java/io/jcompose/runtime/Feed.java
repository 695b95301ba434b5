package io.jcompose.runtime;

import java.util.Iterator;

/**
 * A blocking stream of items from the engine (log frames, events, progress). {@code hasNext} blocks until an
 * item arrives or the stream ends; {@link #close()} ends it from any thread and releases the connection.
 * A transport failure while reading surfaces as an {@link EngineException} from {@code hasNext}/{@code next}.
 */
public interface Feed<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close();
}
