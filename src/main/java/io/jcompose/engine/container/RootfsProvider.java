package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The seam between containers and images/snapshots. {@link #prepare} gives a container its root filesystem,
 * already mounted, and the image's config; {@link #release} unmounts and removes it. Today
 * {@link DirectoryRootfsProvider} serves image directories; the engine.image + engine.snapshot pair replaces it
 * without changes here.
 *
 * <p>Contract: {@code prepare} of an unknown image throws {@link ImageNotFoundException}; {@code release} of a
 * container with nothing prepared is a no-op; both are idempotent per container id and survive an engine restart
 * (a mount left by a previous engine is reused or released, never leaked).
 */
public interface RootfsProvider {
    /** The image config of {@code imageRef} without preparing anything (for create-time validation). */
    ImageConfig inspect(String imageRef) throws IOException;

    /** Mounts a writable rootfs for {@code containerId} from {@code imageRef} and returns its path. */
    Path prepare(String containerId, String imageRef) throws IOException;

    /** The writable (overlay upper) directory of {@code containerId}'s rootfs: its changes to the image, for commit. */
    default Path upperDir(String containerId) throws IOException {
        throw new IOException("this rootfs provider cannot show a container's changes");
    }

    /** Unmounts and deletes {@code containerId}'s rootfs and its writable layer. */
    void release(String containerId) throws IOException;

    final class ImageNotFoundException extends IOException {
        private static final long serialVersionUID = 1L;

        public ImageNotFoundException(String ref) {
            super("No such image: " + ref);
        }
    }
}
