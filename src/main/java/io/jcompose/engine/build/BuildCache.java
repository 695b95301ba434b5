package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The layer cache: step cache key → the layer that step made (and when it was first made, so a rebuild gives the
 * same image config, hence the same image ID). One small JSON file per key; blobs live in the image layout.
 *
 * <p>A key is {@code sha256(parent chain, instruction with its substituted arguments, content hash of its
 * inputs)} — see {@link #key}.
 */
final class BuildCache {
    record Entry(String diffId, String digest, long size, Instant created) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    BuildCache(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /**
     * @param parent chain id of everything below: the base image ID and each earlier step's key
     * @param step   the instruction, normalised: keyword + substituted arguments + flags (JSON)
     * @param inputs COPY/ADD: {@link TreeHash} of the staged files; RUN: the build args in scope and the
     *               environment, user, working directory the command sees
     */
    static String key(String parent, String step, String inputs) {
        return TreeHash.sha256(parent + "\n" + step + "\n" + inputs);
    }

    Optional<Entry> get(String key, ImageLayout layout) throws IOException {
        Path f = dir.resolve(key.substring("sha256:".length()) + ".json");
        if (!Files.exists(f)) return Optional.empty();
        JsonNode n = JSON.readTree(f.toFile());
        Entry e = new Entry(n.path("diffId").asText(), n.path("digest").asText(), n.path("size").asLong(),
                Instant.parse(n.path("created").asText()));
        // A cache entry whose blob was removed is a miss, not an error.
        return Files.exists(layout.blob(e.digest())) ? Optional.of(e) : Optional.empty();
    }

    void put(String key, Entry e) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("diffId", e.diffId());
        n.put("digest", e.digest());
        n.put("size", e.size());
        n.put("created", e.created().toString());
        Path f = dir.resolve(key.substring("sha256:".length()) + ".json");
        Path tmp = Files.createTempFile(dir, ".tmp-", "");
        Files.write(tmp, JSON.writeValueAsBytes(n));
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
