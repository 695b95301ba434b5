package io.jcompose.engine.build;

/**
 * Where a build reports progress, in the vocabulary of Docker's classic builder stream: {@code stream} lines
 * ("Step 1/5 : FROM busybox\n", " ---> Using cache\n", " ---> 3b1c2d…\n"), an {@code aux} message with the
 * image ID at the end, and one {@code error} on failure. {@link JsonProgress} writes them as Docker's JSON
 * messages for the {@code POST /build} route; tests collect them.
 */
public interface ProgressSink {
    /** Text as Docker prints it, newline included. */
    void stream(String text);

    /** {@code {"aux":{"ID":"sha256:…"}}}: the built image. */
    void aux(String imageId);

    /** {@code {"errorDetail":{"message":m},"error":m}}: the build failed; nothing follows. */
    void error(String message);

    /** As {@link #error(String)} with a RUN step's exit code ({@code errorDetail.code}); 0: none. */
    default void error(String message, int code) {
        error(message);
    }
}
