package io.jcompose.runtime;

/**
 * One line of a build's output as the engine streams it (classic builder: {@code Step 1/3 : FROM busybox},
 * {@code  ---> Using cache}, a RUN step's own output), without its trailing newline.
 */
public record BuildProgress(String line) {
    public BuildProgress {
        line = line == null ? "" : line;
    }
}
