package io.jcompose.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A stand-in for engine.image + engine.snapshot: images are plain directories
 * {@code <images>/<name>/rootfs} with the OCI image config in {@code <images>/<name>/config.json}; each container
 * gets an overlay of that directory with its own upper dir under {@code <work>/<id>/}. {@link #importLayout}
 * fills an image directory from an OCI layout (what tests and {@code --preload} use).
 *
 * <p>Image references are matched by their last path component without tag or digest:
 * {@code 127.0.0.1:5000/library/busybox:latest} and {@code busybox} both name {@code <images>/busybox}.
 */
public final class DirectoryRootfsProvider implements RootfsProvider {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path images;
    private final Path work;

    public DirectoryRootfsProvider(Path images, Path work) throws IOException {
        this.images = images;
        this.work = work;
        Files.createDirectories(images);
        Files.createDirectories(work);
    }

    public Path imagesDir() {
        return images;
    }

    static String imageName(String ref) {
        String r = ref;
        int at = r.indexOf('@');
        if (at >= 0) r = r.substring(0, at);
        int slash = r.lastIndexOf('/');
        String last = slash >= 0 ? r.substring(slash + 1) : r;
        int colon = last.indexOf(':');
        if (colon >= 0) last = last.substring(0, colon);
        return last.toLowerCase(Locale.ROOT);
    }

    private Path imageDir(String ref) throws ImageNotFoundException {
        String name = imageName(ref);
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) throw new ImageNotFoundException(ref);
        Path dir = images.resolve(name);
        if (!Files.isDirectory(dir.resolve("rootfs"))) throw new ImageNotFoundException(ref);
        return dir;
    }

    /** Every image this provider serves (directory names), sorted. */
    public List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(images)) {
            s.filter(p -> Files.isDirectory(p.resolve("rootfs"))).forEach(p -> out.add(p.getFileName().toString()));
        }
        out.sort(null);
        return out;
    }

    @Override
    public ImageConfig inspect(String imageRef) throws IOException {
        Path dir = imageDir(imageRef);
        Path cfg = dir.resolve("config.json");
        if (!Files.exists(cfg)) return ImageConfig.EMPTY;
        return parseImageConfig(Files.readAllBytes(cfg), "sha256:" + Hashes.sha256(Files.readAllBytes(cfg)));
    }

    /** The {@code config} section of an OCI/Docker image config blob. */
    static ImageConfig parseImageConfig(byte[] blob, String id) throws IOException {
        JsonNode root = JSON.readTree(blob);
        JsonNode c = root.path("config");
        if (c.isMissingNode() || c.isNull()) return new ImageConfig(id, null, null, null, null, null, null, null, null, null, null);
        return ContainerJson.MAPPER.treeToValue(((com.fasterxml.jackson.databind.node.ObjectNode) c).put("Id", id), ImageConfig.class);
    }

    @Override
    public Path prepare(String containerId, String imageRef) throws IOException {
        Path lower = imageDir(imageRef).resolve("rootfs");
        Path dir = containerDir(containerId);
        Path merged = dir.resolve("merged");
        if (Mounts.isMountPoint(merged)) return merged;
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(merged);
        Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + dir.resolve("upper") + ",workdir=" + dir.resolve("work"), merged.toString()));
        // runc happily starts in an empty directory: prove the mount is there.
        if (!Mounts.isMountPoint(merged)) throw new IOException("overlay mount of " + merged + " did not happen");
        return merged;
    }

    @Override
    public void release(String containerId) throws IOException {
        Path dir = containerDir(containerId);
        if (!Files.exists(dir)) return;
        Path merged = dir.resolve("merged");
        if (Mounts.isMountPoint(merged)) Commands.run(List.of("umount", merged.toString()));
        Trees.delete(dir, work);
    }

    private Path containerDir(String containerId) {
        if (!containerId.matches("[0-9a-f]{12,64}")) throw new IllegalArgumentException("bad container id " + containerId);
        return work.resolve(containerId);
    }

    /**
     * Makes image {@code name} from the OCI layout {@code layout} (first manifest of its index): layers unpacked in
     * order into {@code <images>/<name>/rootfs}, the config blob copied to {@code config.json}. Replaces an
     * existing image of that name. Single-layer whiteouts are not needed by the test images and are not handled.
     */
    public void importLayout(Path layout, String name) throws IOException {
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) throw new IllegalArgumentException("bad image name " + name);
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(blob(layout, index.path("manifests").path(0).path("digest").asText()).toFile());
        Path dir = images.resolve(name);
        Path tmp = images.resolve("." + name + ".tmp");
        if (Files.exists(tmp)) Trees.delete(tmp, images);
        Files.createDirectories(tmp.resolve("rootfs"));
        for (JsonNode layer : manifest.path("layers")) {
            Commands.run(List.of("tar", "--numeric-owner", "-xpf", blob(layout, layer.path("digest").asText()).toString(),
                    "-C", tmp.resolve("rootfs").toString()));
        }
        Files.copy(blob(layout, manifest.path("config").path("digest").asText()), tmp.resolve("config.json"));
        if (Files.exists(dir)) Trees.delete(dir, images);
        Files.move(tmp, dir);
    }

    private static Path blob(Path layout, String digest) throws IOException {
        if (!digest.matches("sha256:[0-9a-f]{64}")) throw new IOException("bad digest '" + digest + "' in " + layout);
        return layout.resolve("blobs/sha256").resolve(digest.substring(7));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
