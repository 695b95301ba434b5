package io.jcompose.engine.volume;

import java.util.List;

/**
 * What {@link MountResolver#resolve} made of a container's mount requests.
 *
 * @param mountPoints for inspect's {@code Mounts} and for a later {@code volumes_from}; sorted by destination
 * @param oci         the OCI {@code mounts} entries, parents before children (Docker's order: fewer path
 *                    components first), to append after the runtime's default mounts
 * @param volumes     names of the volumes now referenced by the container (sorted); {@link Volumes#release}
 *                    drops them when the container is removed
 */
public record Resolution(List<MountPoint> mountPoints, List<OciMount> oci, List<String> volumes) {
    public Resolution {
        mountPoints = List.copyOf(mountPoints);
        oci = List.copyOf(oci);
        volumes = List.copyOf(volumes);
    }
}
