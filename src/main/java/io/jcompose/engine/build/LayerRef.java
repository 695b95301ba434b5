package io.jcompose.engine.build;

import java.nio.file.Path;

/**
 * One layer of an image as data: its diff_id (sha256 of the uncompressed tar), the digest and media type of the
 * stored blob, and where the blob is. Executors and snapshotters unpack it; the builder never mounts anything.
 */
public record LayerRef(String diffId, String digest, String mediaType, long size, Path blob) {
    public LayerRef {
        if (!diffId.startsWith("sha256:") || !digest.startsWith("sha256:"))
            throw new IllegalArgumentException("layer digests must be sha256: " + diffId + ", " + digest);
    }
}
