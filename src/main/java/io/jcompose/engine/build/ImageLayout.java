package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OCI image layout directory (oci-layout, index.json, blobs/sha256) used as the builder's image store until
 * the engine's content store offers one: built images are written here and tagged with
 * {@code org.opencontainers.image.ref.name}, and FROM finds base images here. Refs are normalised
 * ("busybox" = "busybox:latest" = "docker.io/library/busybox:latest").
 */
public final class ImageLayout implements BaseImages {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Path root;

    public ImageLayout(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("blobs/sha256"));
        Path marker = root.resolve("oci-layout");
        if (!Files.exists(marker)) write(marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    }

    public Path root() {
        return root;
    }

    Path blob(String digest) {
        return root.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** docker.io/library/x:latest for "x"; a digest or tag kept. */
    static String normalize(String ref) {
        String r = ref;
        int slash = r.indexOf('/');
        String first = slash < 0 ? "" : r.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasRegistry) r = (slash < 0 ? "docker.io/library/" : "docker.io/") + r;
        String last = r.substring(r.lastIndexOf('/') + 1);
        if (!last.contains(":") && !last.contains("@")) r = r + ":latest";
        return r;
    }

    @Override public Optional<BaseImage> resolve(String ref, Platform platform, boolean pull) throws BuildException {
        try {
            Path index = root.resolve("index.json");
            if (!Files.exists(index)) return Optional.empty();
            String want = normalize(ref);
            for (JsonNode m : JSON.readTree(index.toFile()).path("manifests")) {
                String name = m.path("annotations").path(REF_NAME).asText("");
                if (name.isEmpty() || !normalize(name).equals(want)) continue;
                return Optional.of(load(m.path("digest").asText()));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new BuildException("reading image " + ref + " from " + root + ": " + e.getMessage(), e);
        }
    }

    BaseImage load(String manifestDigest) throws IOException {
        JsonNode manifest = JSON.readTree(blob(manifestDigest).toFile());
        String configDigest = manifest.path("config").path("digest").asText();
        JsonNode config = JSON.readTree(blob(configDigest).toFile());
        List<LayerRef> layers = new ArrayList<>();
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        int i = 0;
        for (JsonNode l : manifest.path("layers")) {
            String d = l.path("digest").asText();
            layers.add(new LayerRef(diffIds.path(i++).asText(), d, l.path("mediaType").asText(), l.path("size").asLong(), blob(d)));
        }
        return new BaseImage(configDigest, config, layers);
    }

    /** The bytes an image config is stored as (keys sorted): its sha256 is the image ID. */
    static byte[] configBytes(ObjectNode imageConfig) throws IOException {
        return JSON.writeValueAsBytes(JSON.treeToValue(imageConfig, Object.class));
    }

    /** Stores an image config and its manifest; returns [image ID (config digest), manifest digest]. */
    String[] writeImage(ObjectNode imageConfig, List<LayerRef> layers) throws IOException {
        byte[] cfg = configBytes(imageConfig);
        String configDigest = TreeHash.sha256Bytes(cfg);
        writeBlob(configDigest, cfg);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", CONFIG);
        c.put("digest", configDigest);
        c.put("size", cfg.length);
        ArrayNode ls = m.putArray("layers");
        for (LayerRef l : layers) {
            ObjectNode o = ls.addObject();
            o.put("mediaType", l.mediaType());
            o.put("digest", l.digest());
            o.put("size", l.size());
        }
        byte[] man = JSON.writeValueAsBytes(m);
        String manifestDigest = TreeHash.sha256Bytes(man);
        writeBlob(manifestDigest, man);
        return new String[] {configDigest, manifestDigest, String.valueOf(man.length)};
    }

    private void writeBlob(String digest, byte[] bytes) throws IOException {
        Path target = blob(digest);
        if (!Files.exists(target)) write(target, bytes);
    }

    /** Points {@code ref} at the manifest, keeping other refs; sorted by name so index.json is stable. */
    synchronized void tag(String ref, String manifestDigest, long manifestSize) throws IOException {
        Path index = root.resolve("index.json");
        List<JsonNode> kept = new ArrayList<>();
        if (Files.exists(index)) {
            for (JsonNode m : JSON.readTree(index.toFile()).path("manifests"))
                if (!ref.equals(m.path("annotations").path(REF_NAME).asText(null))) kept.add(m);
        }
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", MANIFEST);
        d.put("digest", manifestDigest);
        d.put("size", manifestSize);
        d.putObject("annotations").put(REF_NAME, ref);
        kept.add(d);
        kept.sort((a, b) -> a.path("annotations").path(REF_NAME).asText("").compareTo(b.path("annotations").path(REF_NAME).asText("")));
        ObjectNode out = JSON.createObjectNode();
        out.put("schemaVersion", 2);
        out.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode arr = out.putArray("manifests");
        kept.forEach(arr::add);
        write(index, JSON.writeValueAsBytes(JSON.treeToValue(out, Object.class)));
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
