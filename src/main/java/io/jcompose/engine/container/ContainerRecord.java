package io.jcompose.engine.container;

/**
 * One container as kept on disk ({@code <root>/containers/<id>.json}): what it was created with and its last
 * known state. {@code manuallyStopped}: stopped through the API, so {@code always} does not restart it after an
 * engine restart and {@code unless-stopped} stays stopped (Docker's rules).
 */
public record ContainerRecord(String id, String name, String created, ContainerSpec spec, ImageConfig image,
                              String rootfs, ContainerState state, int restartCount, boolean manuallyStopped) {
    ContainerRecord with(ContainerState s) {
        return new ContainerRecord(id, name, created, spec, image, rootfs, s, restartCount, manuallyStopped);
    }

    ContainerRecord withRestarts(int n, boolean manual) {
        return new ContainerRecord(id, name, created, spec, image, rootfs, state, n, manual);
    }
}
