package io.jcompose.engine.image;

import io.jcompose.engine.state.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unpacked layers, once per diff_id, at {@code <root>/layers/<16 hex of diff_id>/diff} with the full diff_id and
 * the uncompressed size beside it. A layer is unpacked into a temp dir and renamed into place only after its
 * diff_id was verified, so a rejected or interrupted unpack leaves nothing (temp dirs are removed at open).
 */
public final class LayerStore {
    private final Path dir;
    private final Map<Digest, Object> locks = new ConcurrentHashMap<>();

    public LayerStore(Path root) throws IOException {
        this.dir = root.resolve("layers").toAbsolutePath().normalize();
        Files.createDirectories(dir);
        try (var s = Files.newDirectoryStream(dir, ".tmp-*")) {
            for (Path p : s) Trees.deleteUnder(dir, p);
        }
    }

    private Path layerDir(Digest diffId) {
        return dir.resolve(diffId.hex().substring(0, 16));
    }

    /** The directory to use as an overlay lower dir. */
    public Path diffDir(Digest diffId) {
        return layerDir(diffId).resolve("diff");
    }

    public boolean has(Digest diffId) {
        return Files.isRegularFile(layerDir(diffId).resolve("diff-id"));
    }

    /** Uncompressed size of the layer's tar, as recorded at unpack. */
    public long size(Digest diffId) throws IOException {
        return Long.parseLong(Files.readString(layerDir(diffId).resolve("size")).trim());
    }

    /** Bytes of the unpacked files (what Docker reports as an image's Size), recorded at unpack. */
    public long diskSize(Digest diffId) throws IOException {
        Path f = layerDir(diffId).resolve("disk-size");
        return Files.exists(f) ? Long.parseLong(Files.readString(f).trim()) : Trees.sizeOf(diffDir(diffId));
    }

    public interface StreamSource {
        InputStream open() throws IOException;
    }

    /**
     * Unpacks a (possibly compressed) layer unless already present; the stream's uncompressed sha256 must equal
     * {@code diffId}. Concurrent calls for one diff_id unpack it once.
     */
    public Path unpack(Digest diffId, StreamSource source) throws IOException {
        synchronized (locks.computeIfAbsent(diffId, k -> new Object())) {
            if (has(diffId)) return diffDir(diffId);
            Path existing = layerDir(diffId);
            if (Files.exists(existing)) Trees.deleteUnder(dir, existing); // half-written by an older crash
            Path tmp = Files.createTempDirectory(dir, ".tmp-");
            try {
                LayerUnpacker.Result r;
                try (InputStream in = source.open()) {
                    r = LayerUnpacker.unpack(in, tmp.resolve("diff"));
                }
                if (!r.diffId().equals(diffId)) throw new DigestMismatchException("layer (uncompressed)", diffId, r.diffId());
                Files.writeString(tmp.resolve("size"), Long.toString(r.size()));
                Files.writeString(tmp.resolve("disk-size"), Long.toString(Trees.sizeOf(tmp.resolve("diff"))));
                Files.writeString(tmp.resolve("diff-id"), diffId.toString());
                AtomicFile.moveAtomically(tmp, existing);
                AtomicFile.syncDirectory(dir);
                return diffDir(diffId);
            } finally {
                if (Files.exists(tmp)) Trees.deleteUnder(dir, tmp);
            }
        }
    }

    /** Unpacks a layer whose diff_id is not known in advance (image import, docker-archive load). */
    public Digest unpackUnknown(StreamSource source) throws IOException {
        Path tmp = Files.createTempDirectory(dir, ".tmp-");
        try {
            LayerUnpacker.Result r;
            try (InputStream in = source.open()) {
                r = LayerUnpacker.unpack(in, tmp.resolve("diff"));
            }
            synchronized (locks.computeIfAbsent(r.diffId(), k -> new Object())) {
                if (!has(r.diffId())) {
                    Path existing = layerDir(r.diffId());
                    if (Files.exists(existing)) Trees.deleteUnder(dir, existing);
                    Files.writeString(tmp.resolve("size"), Long.toString(r.size()));
                    Files.writeString(tmp.resolve("disk-size"), Long.toString(Trees.sizeOf(tmp.resolve("diff"))));
                    Files.writeString(tmp.resolve("diff-id"), r.diffId().toString());
                    AtomicFile.moveAtomically(tmp, existing);
                }
            }
            return r.diffId();
        } finally {
            if (Files.exists(tmp)) Trees.deleteUnder(dir, tmp);
        }
    }

    public void remove(Digest diffId) throws IOException {
        synchronized (locks.computeIfAbsent(diffId, k -> new Object())) {
            Path l = layerDir(diffId);
            if (Files.exists(l)) {
                // Drop the marker first: a crash mid-delete then leaves a dir that unpack() replaces.
                Files.deleteIfExists(l.resolve("diff-id"));
                Trees.deleteUnder(dir, l);
            }
        }
    }

    public SortedSet<Digest> list() throws IOException {
        SortedSet<Digest> out = new TreeSet<>();
        try (var s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                Path id = p.resolve("diff-id");
                if (Files.isRegularFile(id)) out.add(Digest.parse(Files.readString(id, StandardCharsets.UTF_8).trim()));
            }
        }
        return out;
    }

    public Optional<Path> find(Digest diffId) {
        return has(diffId) ? Optional.of(diffDir(diffId)) : Optional.empty();
    }
}
