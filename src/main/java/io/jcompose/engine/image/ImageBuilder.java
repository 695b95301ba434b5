package io.jcompose.engine.image;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds container images from directories into an OCI image layout (oci-layout, index.json, blobs/sha256),
 * deterministically: the same directories and settings give the same layer, config and manifest digests.
 * The result can be read by any OCI tool ({@code skopeo copy oci:DIR:TAG docker://…}) or by our content store.
 *
 * <pre>{@code
 * Image img = new ImageBuilder()
 *         .layer(rootfs)
 *         .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
 *         .cmd(List.of("sh"))
 *         .writeTo(layoutDir, "latest");
 * }</pre>
 *
 * Not thread-safe: one builder describes one image.
 */
public final class ImageBuilder {

    /** Media types of what is written: OCI (the default) or Docker's schema2 family. */
    public enum Format {
        OCI("application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json",
                LayerWriter.OCI_LAYER, "application/vnd.oci.image.index.v1+json"),
        DOCKER_V2S2("application/vnd.docker.distribution.manifest.v2+json",
                "application/vnd.docker.container.image.v1+json", LayerWriter.DOCKER_LAYER,
                "application/vnd.docker.distribution.manifest.list.v2+json");

        public final String manifest;
        public final String config;
        public final String layer;
        public final String index;

        Format(String manifest, String config, String layer, String index) {
            this.manifest = manifest;
            this.config = config;
            this.layer = layer;
            this.index = index;
        }
    }

    /** A health check as stored in the image config; durations are written in nanoseconds like Docker. */
    public record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                              int retries) {
        public Healthcheck {
            test = List.copyOf(test);
            if (test.isEmpty()) throw new IllegalArgumentException("healthcheck test must not be empty");
            if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
    }

    /** A written image: the digests and size of its manifest, config digest and layers (bottom first). */
    public record Image(String manifestDigest, long manifestSize, String manifestMediaType, String configDigest,
                        List<LayerWriter.Layer> layers) {
        public Image {
            layers = List.copyOf(layers);
        }
    }

    /** A written multi-platform index and the images it lists, in the order given. */
    public record Index(String digest, long size, String mediaType, List<Image> images) {
        public Index {
            images = List.copyOf(images);
        }
    }

    private record LayerSource(Path dir, LayerWriter writer) {}

    private final List<LayerSource> layers = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>(); // insertion order: what the image author wrote
    private final SortedSet<String> exposedPorts = new TreeSet<>();
    private final SortedMap<String, String> labels = new TreeMap<>();
    private Optional<List<String>> cmd = Optional.empty();        // empty: no Cmd in the config
    private Optional<List<String>> entrypoint = Optional.empty(); // empty: no Entrypoint in the config
    private Optional<Healthcheck> healthcheck = Optional.empty();
    private String workingDir = "";
    private String user = "";
    private String architecture = "amd64";
    private String os = "linux";
    private String variant = "";
    private Instant created = Instant.EPOCH;
    private Format format = Format.OCI;

    /** Adds a layer made of {@code dir}'s contents with root ownership and fixed mtimes. */
    public ImageBuilder layer(Path dir) {
        return layer(dir, LayerWriter.deterministic());
    }

    public ImageBuilder layer(Path dir, LayerWriter writer) {
        layers.add(new LayerSource(Objects.requireNonNull(dir), Objects.requireNonNull(writer)));
        return this;
    }

    public ImageBuilder env(String name, String value) {
        if (name.isEmpty() || name.contains("=")) throw new IllegalArgumentException("bad env name '" + name + "'");
        env.put(name, Objects.requireNonNull(value));
        return this;
    }

    public ImageBuilder cmd(List<String> c) {
        cmd = Optional.of(List.copyOf(c));
        return this;
    }

    public ImageBuilder entrypoint(List<String> e) {
        entrypoint = Optional.of(List.copyOf(e));
        return this;
    }

    public ImageBuilder workingDir(String dir) {
        workingDir = Objects.requireNonNull(dir);
        return this;
    }

    public ImageBuilder user(String u) {
        user = Objects.requireNonNull(u);
        return this;
    }

    /** {@code "80/tcp"}, {@code "53/udp"}; a bare number means tcp. */
    public ImageBuilder exposedPort(String port) {
        String p = port.contains("/") ? port : port + "/tcp";
        if (!p.matches("\\d{1,5}/(tcp|udp|sctp)")) throw new IllegalArgumentException("bad port '" + port + "'");
        exposedPorts.add(p);
        return this;
    }

    public ImageBuilder label(String key, String value) {
        labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    public ImageBuilder healthcheck(Healthcheck h) {
        healthcheck = Optional.of(h);
        return this;
    }

    /** Platform of the image, e.g. ("arm64", "v8"); variant may be empty. Defaults: amd64, linux. */
    public ImageBuilder platform(String arch, String osName, String archVariant) {
        architecture = Objects.requireNonNull(arch);
        os = Objects.requireNonNull(osName);
        variant = Objects.requireNonNull(archVariant);
        return this;
    }

    public ImageBuilder created(Instant t) {
        created = Objects.requireNonNull(t);
        return this;
    }

    public ImageBuilder format(Format f) {
        format = Objects.requireNonNull(f);
        return this;
    }

    /** Writes the image into the OCI layout at {@code layoutDir} (created if absent) and tags it {@code ref}. */
    public Image writeTo(Path layoutDir, String ref) throws IOException {
        OciLayout layout = new OciLayout(layoutDir);
        Image image = write(layout);
        layout.tag(ref, new OciDescriptor(image.manifestMediaType(), image.manifestDigest(), image.manifestSize()));
        return image;
    }

    /**
     * Writes a multi-platform index of {@code platforms} (each a builder with its own {@link #platform}) into the
     * layout and tags the index {@code ref}. The index uses the first builder's format.
     */
    public static Index writeIndex(Path layoutDir, String ref, List<ImageBuilder> platforms) throws IOException {
        if (platforms.isEmpty()) throw new IllegalArgumentException("an index needs at least one image");
        OciLayout layout = new OciLayout(layoutDir);
        Format f = platforms.get(0).format;
        List<Image> images = new ArrayList<>();
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (ImageBuilder b : platforms) {
            Image img = b.write(layout);
            images.add(img);
            Map<String, String> platform = new TreeMap<>();
            platform.put("architecture", b.architecture);
            platform.put("os", b.os);
            if (!b.variant.isEmpty()) platform.put("variant", b.variant);
            manifests.add(new OciDescriptor(img.manifestMediaType(), img.manifestDigest(), img.manifestSize())
                    .withPlatform(platform).toJson());
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", f.index);
        index.put("manifests", manifests);
        OciDescriptor d = layout.writeJson(f.index, index);
        layout.tag(ref, d);
        return new Index(d.digest(), d.size(), f.index, images);
    }

    private Image write(OciLayout layout) throws IOException {
        List<LayerWriter.Layer> written = new ArrayList<>();
        for (LayerSource s : layers) written.add(s.writer().writeBlob(s.dir(), layout));
        OciDescriptor config = layout.writeJson(format.config, configJson(written));
        List<Map<String, Object>> layerDescs = new ArrayList<>();
        for (LayerWriter.Layer l : written) {
            layerDescs.add(new OciDescriptor(format.layer, l.digest(), l.size()).toJson());
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", format.manifest);
        manifest.put("config", config.toJson());
        manifest.put("layers", layerDescs);
        OciDescriptor m = layout.writeJson(format.manifest, manifest);
        return new Image(m.digest(), m.size(), format.manifest, config.digest(), written);
    }

    private Map<String, Object> configJson(List<LayerWriter.Layer> written) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (!env.isEmpty()) {
            List<String> e = new ArrayList<>();
            env.forEach((k, v) -> e.add(k + "=" + v));
            c.put("Env", e);
        }
        cmd.ifPresent(v -> c.put("Cmd", v));
        entrypoint.ifPresent(v -> c.put("Entrypoint", v));
        if (!workingDir.isEmpty()) c.put("WorkingDir", workingDir);
        if (!user.isEmpty()) c.put("User", user);
        if (!exposedPorts.isEmpty()) {
            Map<String, Object> ports = new TreeMap<>();
            exposedPorts.forEach(p -> ports.put(p, Map.of()));
            c.put("ExposedPorts", ports);
        }
        if (!labels.isEmpty()) c.put("Labels", labels);
        healthcheck.ifPresent(h -> {
            Map<String, Object> hc = new LinkedHashMap<>();
            hc.put("Test", h.test());
            hc.put("Interval", h.interval().toNanos());
            hc.put("Timeout", h.timeout().toNanos());
            hc.put("StartPeriod", h.startPeriod().toNanos());
            hc.put("Retries", h.retries());
            c.put("Healthcheck", hc);
        });
        String when = DateTimeFormatter.ISO_INSTANT.format(created);
        List<String> diffIds = new ArrayList<>();
        List<Map<String, Object>> history = new ArrayList<>();
        for (LayerWriter.Layer l : written) {
            diffIds.add(l.diffId());
            history.add(Map.of("created", when, "created_by", "jcompose image pipeline"));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("architecture", architecture);
        root.put("os", os);
        if (!variant.isEmpty()) root.put("variant", variant);
        root.put("created", when);
        root.put("config", c);
        root.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        root.put("history", history);
        return root;
    }
}
