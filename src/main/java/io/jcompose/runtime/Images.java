package io.jcompose.runtime;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Images. An image is named by reference ({@code name[:tag]}, {@code name@digest}) or id. */
public interface Images {
    /**
     * Pulls an image and returns when it is complete. {@code auth} empty: the runtime finds credentials itself
     * (for Docker: {@code ~/.docker/config.json} and credential helpers). A missing tag means {@code latest}.
     * Fails with NOT_FOUND if the registry has no such image, UNAUTHORIZED if credentials are refused,
     * UNAVAILABLE if the registry cannot be reached.
     */
    void pull(String reference, Optional<RegistryAuth> auth, Consumer<PullProgress> progress);

    /** Fails with NOT_FOUND if absent. */
    ImageInfo inspect(String reference);

    /** Images whose labels match every filter ({@code "key"} or {@code "key=value"}); all images if none. */
    List<ImageInfo> list(List<String> labelFilters);

    /**
     * Removes a reference (and the image when it was the last one). Fails with NOT_FOUND if absent,
     * CONFLICT if a container uses it (unless {@code force}).
     */
    void remove(String reference, boolean force);

    /** Adds {@code target} ({@code repo[:tag]}) as a reference to {@code source}. */
    void tag(String source, String target);

    /**
     * Pushes {@code reference} to its registry and returns when done. {@code auth} empty: the runtime finds
     * credentials itself. Fails with NOT_FOUND if the image is not here, UNAUTHORIZED if refused.
     */
    default void push(String reference, Optional<RegistryAuth> auth, Consumer<PullProgress> progress) {
        throw new EngineException(EngineException.Category.INVALID, "push is not supported by this runtime");
    }

    /**
     * Builds an image from {@code spec} and returns its id ({@code sha256:…}) once every tag points to it.
     * {@code progress} gets the engine's output line by line. Fails with INVALID when the engine cannot honour the
     * spec (e.g. build secrets or additional contexts on a classic builder that has no way to receive them) and
     * OTHER when a step fails; the message then carries the engine's words for the failing step.
     */
    default String build(BuildSpec spec, Consumer<BuildProgress> progress) {
        throw new EngineException(EngineException.Category.INVALID, "building images is not supported by this runtime");
    }
}
