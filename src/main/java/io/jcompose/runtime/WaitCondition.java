package io.jcompose.runtime;

/** What {@link Containers#wait} waits for. */
public enum WaitCondition {
    /** Returns at once if the container is not running, else when it exits. */
    NOT_RUNNING,
    /** Waits for the next exit, even if the container is not running now. */
    NEXT_EXIT,
    /** Waits until the container is removed. */
    REMOVED
}
