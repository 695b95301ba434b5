package io.jcompose.runtime;

/** The engine's event stream. */
public interface Events {
    /**
     * Opens a stream of events matching the filter. With {@code since} set, past events are replayed first.
     * The feed ends when {@code until} passes or it is closed.
     */
    Feed<Event> stream(EventFilter filter);
}
