package io.jcompose.reconcile;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code down} was asked for.
 *
 * @param volumes       {@code -v}: remove the project's named volumes and its containers' anonymous volumes
 * @param rmi           {@code --rmi}: remove images; empty: none
 * @param removeOrphans also remove containers of services no longer in the file
 * @param timeout       {@code -t}: stop timeout; empty: each container's own
 * @param services      {@code down SERVICE…}: only these services and the ones that depend on them; empty: all
 */
public record DownOptions(boolean volumes, Optional<Rmi> rmi, boolean removeOrphans, Optional<Duration> timeout,
                          java.util.List<String> services) {
    public DownOptions {
        java.util.Objects.requireNonNull(rmi);
        java.util.Objects.requireNonNull(timeout);
        services = java.util.List.copyOf(services);
    }

    public DownOptions(boolean volumes, Optional<Rmi> rmi, boolean removeOrphans, Optional<Duration> timeout) {
        this(volumes, rmi, removeOrphans, timeout, java.util.List.of());
    }

    public static DownOptions defaults() {
        return new DownOptions(false, Optional.empty(), false, Optional.empty());
    }

    /** {@code --rmi local}: images without an {@code image:} key (built ones); {@code all}: every service image. */
    public enum Rmi { LOCAL, ALL }
}
