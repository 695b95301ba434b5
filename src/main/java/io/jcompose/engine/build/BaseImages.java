package io.jcompose.engine.build;

import java.util.Optional;

/**
 * Where FROM and {@code COPY --from=<image>} find images. The engine's image store (with its registry client)
 * implements it; {@link ImageLayout} does for an OCI layout directory.
 */
public interface BaseImages {
    /**
     * The image {@code ref} ("busybox", "busybox:1.36", "registry:5000/x@sha256:…") for {@code platform}.
     *
     * @param pull true: refresh from the registry even if present (the {@code pull} query parameter)
     * @return empty when the image is unknown and cannot be pulled
     * @throws BuildException when a pull was attempted and failed (the message says why)
     */
    Optional<BaseImage> resolve(String ref, Platform platform, boolean pull) throws BuildException;
}
