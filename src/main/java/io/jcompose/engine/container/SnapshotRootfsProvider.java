package io.jcompose.engine.container;

import io.jcompose.engine.image.ImageException;
import io.jcompose.engine.image.ImageInspect;
import io.jcompose.engine.image.ImageService;
import io.jcompose.engine.snapshot.Mounter;
import io.jcompose.engine.snapshot.Snapshotter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The production {@link RootfsProvider}: images from engine.image (pulled, loaded or imported), each container's
 * rootfs an engine.snapshot overlay (key = container id) mounted at {@code <mounts>/<id>}. Idempotent across engine
 * restarts: an existing snapshot is mounted again, an existing mount reused.
 */
public final class SnapshotRootfsProvider implements RootfsProvider {
    private final ImageService images;
    private final Snapshotter snapshots;
    private final Path mounts;

    public SnapshotRootfsProvider(ImageService images, Snapshotter snapshots, Path mounts) throws IOException {
        this.images = images;
        this.snapshots = snapshots;
        this.mounts = mounts;
        Files.createDirectories(mounts);
    }

    @Override
    public ImageConfig inspect(String imageRef) throws IOException {
        ImageInspect i;
        try {
            i = images.inspect(imageRef);
        } catch (ImageException e) {
            if (e.kind() == ImageException.Kind.NOT_FOUND) throw new ImageNotFoundException(imageRef);
            throw e;
        }
        Map<String, Object> c = new LinkedHashMap<>(i.config() == null ? Map.of() : i.config());
        c.put("Id", i.id());
        return ContainerJson.MAPPER.convertValue(c, ImageConfig.class);
    }

    private Path target(String containerId) {
        if (!containerId.matches("[0-9a-f]{12,64}")) throw new IllegalArgumentException("bad container id " + containerId);
        return mounts.resolve(containerId);
    }

    @Override
    public Path prepare(String containerId, String imageRef) throws IOException {
        Path target = target(containerId);
        if (Mounter.isMounted(target)) return target;
        Files.createDirectories(target);
        if (!snapshots.list().contains(containerId)) {
            try {
                snapshots.prepare(containerId, images.layerDirs(imageRef));
            } catch (ImageException e) {
                if (e.kind() == ImageException.Kind.NOT_FOUND) throw new ImageNotFoundException(imageRef);
                throw e;
            }
        }
        Mounter.mount(snapshots.mountOf(containerId), target);
        if (!Mounter.isMounted(target)) throw new IOException("overlay mount of " + target + " did not happen");
        return target;
    }

    @Override
    public Path upperDir(String containerId) throws IOException {
        target(containerId); // checks the id's form
        return snapshots.upperDir(containerId);
    }

    @Override
    public void release(String containerId) throws IOException {
        Path target = target(containerId);
        if (Mounter.isMounted(target)) Mounter.unmount(target);
        if (snapshots.list().contains(containerId)) snapshots.remove(containerId);
        Files.deleteIfExists(target);
    }
}
