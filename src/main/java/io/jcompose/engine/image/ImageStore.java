package io.jcompose.engine.image;

import io.jcompose.engine.state.AtomicFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The image records, one JSON file each, held in memory; callers serialise mutations (ImageService locks). */
final class ImageStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final Map<String, ImageRecord> byId = new TreeMap<>();

    ImageStore(Path root) throws IOException {
        this.dir = root.resolve("images");
        Files.createDirectories(dir);
        AtomicFile.cleanTemporaries(dir);
        try (var s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                try {
                    ImageRecord r = JSON.readValue(p.toFile(), ImageRecord.class);
                    byId.put(r.id(), r);
                } catch (IOException | RuntimeException e) {
                    throw new IOException("image record " + p + " is unreadable (" + e.getMessage() + "); move it away to start", e);
                }
            }
        }
    }

    synchronized void put(ImageRecord r) throws IOException {
        AtomicFile.write(dir.resolve(r.idDigest().hex() + ".json"), JSON.writeValueAsBytes(r));
        byId.put(r.id(), r);
    }

    synchronized void delete(String id) throws IOException {
        Files.deleteIfExists(dir.resolve(Digest.parse(id).hex() + ".json"));
        AtomicFile.syncDirectory(dir);
        byId.remove(id);
    }

    synchronized Optional<ImageRecord> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized List<ImageRecord> all() {
        return new ArrayList<>(byId.values());
    }

    synchronized Optional<ImageRecord> byTag(String fullRef) {
        return byId.values().stream().filter(r -> r.repoTags().contains(fullRef)).findFirst();
    }

    synchronized Optional<ImageRecord> byDigest(String repoAtDigest) {
        return byId.values().stream().filter(r -> r.repoDigests().contains(repoAtDigest)).findFirst();
    }

    /** Unique id prefix match (hex, with or without "sha256:"). */
    synchronized List<ImageRecord> byIdPrefix(String prefix) {
        String p = prefix.startsWith("sha256:") ? prefix : "sha256:" + prefix;
        return byId.values().stream().filter(r -> r.id().startsWith(p)).toList();
    }
}
