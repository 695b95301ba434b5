package io.jcompose.engine.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Overlayfs snapshots under {@code <root>}:
 * <pre>
 * l/&lt;8 chars&gt;            symlink → an unpacked layer dir (short names keep 100+ layers within one page of options)
 * snapshots/&lt;key&gt;/layers   the layer dirs, bottom first, one per line: the persisted references
 * snapshots/&lt;key&gt;/upper, work
 * </pre>
 * Contract: {@link #prepare} fails with CONFLICT if the key exists; {@link #remove} fails with CONFLICT while the
 * snapshot is mounted and is a no-op when absent; a layer dir is "in use" while any snapshot lists it — the
 * reference count is derived from the snapshot records on disk, so it survives restarts and cannot drift.
 * Mounting is separate ({@link Mounter}): prepare returns the mount as data.
 */
public final class Snapshotter {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path root;
    private final Path links;
    private final Path snapshots;

    public Snapshotter(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.links = this.root.resolve("l");
        this.snapshots = this.root.resolve("snapshots");
        Files.createDirectories(links);
        Files.createDirectories(snapshots);
        try (var s = Files.newDirectoryStream(snapshots, ".tmp-*")) {
            for (Path p : s) deleteUnder(snapshots, p); // an interrupted prepare
        }
    }

    /**
     * Creates a writable snapshot over {@code layersBottomFirst} (image rootfs order; may be empty) and returns
     * its overlay mount. The returned options list lowerdir top first.
     */
    public synchronized Mount prepare(String key, List<Path> layersBottomFirst) throws IOException {
        checkKey(key);
        Path dir = snapshots.resolve(key);
        if (Files.exists(dir)) throw new SnapshotException(SnapshotException.Kind.CONFLICT, "snapshot " + key + " already exists");
        for (Path l : layersBottomFirst) {
            if (!Files.isDirectory(l)) throw new SnapshotException(SnapshotException.Kind.NOT_FOUND, "layer dir " + l + " does not exist");
        }
        Path tmp = Files.createTempDirectory(snapshots, ".tmp-");
        try {
            Files.createDirectory(tmp.resolve("upper"));
            Files.createDirectory(tmp.resolve("work"));
            if (layersBottomFirst.isEmpty()) Files.createDirectory(tmp.resolve("empty")); // overlay needs one lower dir
            StringBuilder b = new StringBuilder();
            for (Path l : layersBottomFirst) b.append(l.toAbsolutePath().normalize()).append('\n');
            Files.writeString(tmp.resolve("layers"), b.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) deleteUnder(snapshots, tmp);
        }
        return mountOf(key);
    }

    /** The mount of an existing snapshot (e.g. to remount after an engine restart). */
    public synchronized Mount mountOf(String key) throws IOException {
        Path dir = existing(key);
        List<Path> layers = layers(dir);
        List<String> lowers = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            // Overlayfs refuses a directory twice (ELOOP), and images repeat layers (every RUN that changes
            // nothing is the same empty layer). The topmost copy alone is equivalent: same files, same whiteouts,
            // above everything the lower copy covered.
            String l = link(layers.get(i)).toString();
            if (!lowers.contains(l)) lowers.add(l);
        }
        if (lowers.isEmpty()) lowers.add(dir.resolve("empty").toString());
        return new Mount("overlay", "overlay", List.of(
                "lowerdir=" + String.join(":", lowers),
                "upperdir=" + dir.resolve("upper"),
                "workdir=" + dir.resolve("work")));
    }

    /** The snapshot's writable layer (overlay form: whiteouts are 0/0 char devices, opaque dirs carry the xattr). */
    public Path upperDir(String key) throws IOException {
        return existing(key).resolve("upper");
    }

    /**
     * Moves the snapshot's upper dir to {@code layerDir} (which must not exist; same filesystem) and removes the
     * snapshot: the builder turns a finished step into a layer this way. Fails with CONFLICT while mounted.
     */
    public synchronized Path commit(String key, Path layerDir) throws IOException {
        Path dir = existing(key);
        if (Mounter.upperInUse(dir.resolve("upper"))) throw new SnapshotException(SnapshotException.Kind.CONFLICT, "snapshot " + key + " is mounted; unmount it before commit");
        if (Files.exists(layerDir, LinkOption.NOFOLLOW_LINKS)) throw new SnapshotException(SnapshotException.Kind.CONFLICT, "commit target " + layerDir + " exists");
        Files.createDirectories(layerDir.toAbsolutePath().getParent());
        Files.move(dir.resolve("upper"), layerDir, StandardCopyOption.ATOMIC_MOVE);
        deleteUnder(snapshots, dir);
        return layerDir;
    }

    public synchronized void remove(String key) throws IOException {
        checkKey(key);
        Path dir = snapshots.resolve(key);
        if (!Files.exists(dir)) return;
        if (Mounter.upperInUse(dir.resolve("upper"))) throw new SnapshotException(SnapshotException.Kind.CONFLICT, "snapshot " + key + " is mounted; unmount it first");
        // Drop the reference record first: a crash mid-delete leaves no false "in use".
        Files.deleteIfExists(dir.resolve("layers"));
        deleteUnder(snapshots, dir);
    }

    public synchronized SortedSet<String> list() throws IOException {
        SortedSet<String> out = new TreeSet<>();
        try (var s = Files.newDirectoryStream(snapshots)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) out.add(n);
            }
        }
        return out;
    }

    /** Layer dir → number of snapshots using it. */
    public synchronized SortedMap<Path, Integer> layerRefCounts() throws IOException {
        SortedMap<Path, Integer> out = new TreeMap<>();
        for (String k : list()) {
            Path dir = snapshots.resolve(k);
            if (!Files.exists(dir.resolve("layers"))) continue;
            for (Path l : layers(dir)) out.merge(l, 1, Integer::sum);
        }
        return out;
    }

    /** The predicate the image service takes: never delete a layer a snapshot uses. */
    public boolean layerInUse(Path layerDir) {
        try {
            return layerRefCounts().containsKey(layerDir.toAbsolutePath().normalize());
        } catch (IOException e) {
            return true; // unknown means in use: deleting a live layer is the worse mistake
        }
    }

    /** Removes short links whose layer is gone. */
    public synchronized void pruneLinks() throws IOException {
        try (var s = Files.newDirectoryStream(links)) {
            for (Path p : s) {
                if (Files.isSymbolicLink(p) && !Files.exists(p)) Files.delete(p);
            }
        }
    }

    /**
     * The short link for a layer dir: 8 characters of the path's hash (Docker's overlay2 uses 26; 8 keep an
     * absolute {@code /var/lib/jcompose/l/XXXXXXXX:} entry at 29 bytes, ~140 layers per page).
     */
    private Path link(Path layer) throws IOException {
        Path target = layer.toAbsolutePath().normalize();
        byte[] h;
        try {
            h = java.security.MessageDigest.getInstance("SHA-256").digest(target.toString().getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        String enc = Base64.getUrlEncoder().withoutPadding().encodeToString(h).replace('-', 'A').replace('_', 'B');
        for (int off = 0; off + 8 <= enc.length(); off++) {
            Path l = links.resolve(enc.substring(off, off + 8));
            if (Files.isSymbolicLink(l)) {
                if (Files.readSymbolicLink(l).equals(target)) return l;
                continue; // collision: next window of the hash
            }
            try {
                Files.createSymbolicLink(l, target);
                return l;
            } catch (java.nio.file.FileAlreadyExistsException race) {
                if (Files.isSymbolicLink(l) && Files.readSymbolicLink(l).equals(target)) return l;
            }
        }
        throw new SnapshotException(SnapshotException.Kind.FAILED, "no free short link name for " + target);
    }

    private static List<Path> layers(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("layers"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) out.add(Path.of(line));
        }
        return out;
    }

    private Path existing(String key) {
        checkKey(key);
        Path dir = snapshots.resolve(key);
        if (!Files.isDirectory(dir)) throw new SnapshotException(SnapshotException.Kind.NOT_FOUND, "no such snapshot: " + key);
        return dir;
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new SnapshotException(SnapshotException.Kind.INVALID, "invalid snapshot key \"" + key + "\": use [A-Za-z0-9_.-], at most 128 characters");
        }
    }

    private static void deleteUnder(Path root, Path victim) throws IOException {
        io.jcompose.engine.state.SafeTrees.deleteUnder(root, victim);
    }
}
