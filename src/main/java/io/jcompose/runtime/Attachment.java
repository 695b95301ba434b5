package io.jcompose.runtime;

/**
 * A container's streams, attached before it starts (so no output is missed). {@link #await()} copies output until
 * the container's output ends (it stopped, or {@link #close()} was called from another thread).
 */
public interface Attachment extends AutoCloseable {
    void await();

    @Override
    void close();
}
