package io.jcompose.runtime;

import java.util.List;

/** Named volumes. */
public interface Volumes {
    /**
     * Creates a volume. Like Docker, creating an existing volume with the same driver returns it unchanged
     * (the caller compares labels to detect a foreign volume).
     */
    VolumeInfo create(VolumeSpec spec);

    /** Fails with NOT_FOUND if absent. */
    VolumeInfo inspect(String name);

    /** Volumes whose labels match every filter ({@code "key"} or {@code "key=value"}); sorted by name. */
    List<VolumeInfo> list(List<String> labelFilters);

    /** Fails with NOT_FOUND if absent, CONFLICT if in use (unless {@code force}). */
    void remove(String name, boolean force);
}
