package io.jcompose.engine.image;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout directory: {@code oci-layout}, {@code index.json}, {@code blobs/sha256/<hex>}.
 * JSON is written with sorted keys and no whitespace, so equal content gives equal digests.
 */
final class OciLayout {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Path root;

    OciLayout(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(blobDir());
        Path marker = root.resolve("oci-layout");
        if (!Files.exists(marker)) writeAtomically(marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    }

    Path root() {
        return root;
    }

    Path blobDir() {
        return root.resolve("blobs").resolve("sha256");
    }

    Path blob(String digest) {
        return blobDir().resolve(digest.substring("sha256:".length()));
    }

    /** Stores {@code value} as canonical JSON and returns its descriptor. */
    OciDescriptor writeJson(String mediaType, Object value) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(value);
        String digest = sha256(bytes);
        Path target = blob(digest);
        if (!Files.exists(target)) writeAtomically(target, bytes);
        return new OciDescriptor(mediaType, digest, bytes.length);
    }

    /**
     * Points {@code ref} at {@code manifest} in index.json, keeping every other ref that was there,
     * so one layout can hold several tags.
     */
    void tag(String ref, OciDescriptor manifest) throws IOException {
        Path index = root.resolve("index.json");
        List<JsonNode> kept = new ArrayList<>();
        if (Files.exists(index)) {
            for (JsonNode m : JSON.readTree(index.toFile()).path("manifests")) {
                if (!ref.equals(m.path("annotations").path(REF_NAME).asText(null))) kept.add(m);
            }
        }
        kept.add(JSON.valueToTree(manifest.withAnnotation(REF_NAME, ref).toJson()));
        // Sorted by ref name: index.json must not depend on the order tags were written.
        kept.sort((a, b) -> a.path("annotations").path(REF_NAME).asText("")
                .compareTo(b.path("annotations").path(REF_NAME).asText("")));
        ObjectNode out = JSON.createObjectNode();
        out.put("schemaVersion", 2);
        out.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode arr = out.putArray("manifests");
        kept.forEach(arr::add);
        writeAtomically(index, JSON.writeValueAsBytes(JSON.treeToValue(out, Map.class)));
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            Files.write(tmp, bytes);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
