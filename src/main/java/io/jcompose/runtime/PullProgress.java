package io.jcompose.runtime;

/**
 * One progress report of a pull, as the engine sends it.
 *
 * @param id      layer id (short digest), or the tag for whole-image messages; may be empty
 * @param status  e.g. {@code Pulling fs layer}, {@code Downloading}, {@code Pull complete}, {@code Digest: sha256:…}
 * @param current bytes done in this step (0 if unknown)
 * @param total   bytes of this step (0 if unknown)
 */
public record PullProgress(String id, String status, long current, long total) {
    public PullProgress {
        id = id == null ? "" : id;
        status = status == null ? "" : status;
    }
}
