package io.jcompose.engine.volume;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jcompose.engine.state.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The volume store with Docker's local driver: each volume is {@code <dir>/<name>/_data} plus its record
 * {@code <dir>/<name>/volume.json} (written atomically; it keeps the ids of the containers using the volume).
 *
 * <p>Contract: {@link #create} of an existing name returns the existing volume unchanged (Docker's idempotent
 * create); {@link #remove} of a volume with references fails with CONFLICT ({@code remove X: volume is in use -
 * [ids]}) even with force, and of a missing one with NOT_FOUND unless forced; {@link #ref}/{@link #unref} are
 * idempotent per container id. A volume with local-driver options (type/device/o) is mounted on its first
 * reference and unmounted at its last. All methods are thread-safe.
 */
public final class Volumes {
    private static final Logger LOG = Logger.getLogger(Volumes.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    static final String RECORD = "volume.json";
    static final String DATA = "_data";
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Clock clock;
    private final SortedMap<String, Volume> volumes = new TreeMap<>();
    /** One lock per volume name for copy-up, so a long copy does not block every other volume operation. */
    private final Map<String, Object> populateLocks = new ConcurrentHashMap<>();

    private Volumes(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * Opens (creating, 0701 as Docker's) the volumes directory and loads every record. Recovery: a directory
     * without a readable record is reported and skipped (left for a person, never deleted); an option-volume is
     * mounted if it has references and unmounted if it has none, whatever a crash left.
     */
    public static Volumes open(Path dir, Clock clock) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx-----x")));
        }
        Volumes v = new Volumes(dir.toRealPath(), clock);
        try (var children = Files.newDirectoryStream(v.dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!NAME.matcher(name).matches() || !Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) continue;
                Path rec = child.resolve(RECORD);
                AtomicFile.cleanTemporaries(child);
                try {
                    Volume vol = MAPPER.readValue(rec.toFile(), Volume.class);
                    if (!vol.name().equals(name)) throw new IOException("record names \"" + vol.name() + "\"");
                    v.volumes.put(name, vol);
                    v.reconcileMount(vol);
                } catch (IOException | IllegalArgumentException | VolumeException e) {
                    LOG.warning("volume " + name + ": cannot load " + rec + " (" + e.getMessage() + "); skipped, its data is untouched");
                }
            }
        }
        return v;
    }

    public Path dir() {
        return dir;
    }

    /** Docker's name rule and texts; {@code verb} prefixes the message ("create x: …"). */
    static void checkName(String name, String verb) {
        if (name == null || name.length() <= 1) {
            throw VolumeException.invalid(verb + " " + name + ": volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!NAME.matcher(name).matches() || name.length() > 255) {
            throw VolumeException.invalid(verb + " " + name + ": \"" + name + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    /** A fresh anonymous volume name: 64 hex digits, as Docker's stringid.GenerateRandomID. */
    static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Creates a volume, or returns the existing one of that name (labels and options of the request are then
     * ignored, as Docker does). An empty or null name makes an anonymous volume (random name, anonymous label).
     */
    public Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels) {
        boolean anonymous = name == null || name.isEmpty();
        String n = anonymous ? randomName() : name;
        checkName(n, "create");
        String d = driver == null || driver.isEmpty() ? "local" : driver;
        if (!d.equals("local")) {
            throw VolumeException.notFound("create " + n + ": error looking up volume plugin " + d + ": plugin \"" + d + "\" not found");
        }
        Map<String, String> opts = options == null ? Map.of() : options;
        synchronized (this) {
            Volume existing = volumes.get(n);
            if (existing != null) return existing;
            try {
                LocalOptions.validate(opts);
            } catch (VolumeException e) {
                throw VolumeException.invalid("create " + n + ": " + e.getMessage());
            }
            SortedMap<String, String> l = new TreeMap<>(labels == null ? Map.of() : labels);
            if (anonymous) l.put(Volume.ANONYMOUS_LABEL, "");
            Volume v = new Volume(n, d, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), l, new TreeMap<>(opts), new TreeSet<>());
            Path home = dir.resolve(n);
            try {
                Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx-----x")));
                Path data = home.resolve(DATA);
                // 0755 root:root like Docker's _data; copy-up later gives it the image directory's owner and mode.
                if (!Files.isDirectory(data)) Files.createDirectory(data);
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
                write(v);
            } catch (IOException e) {
                throw VolumeException.internal("create " + n + ": " + e.getMessage(), e);
            }
            volumes.put(n, v);
            return v;
        }
    }

    public synchronized Optional<Volume> find(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    /** The volume {@code name}; NOT_FOUND ({@code get X: no such volume}) if absent. */
    public synchronized Volume get(String name) {
        Volume v = volumes.get(name);
        if (v == null) throw VolumeException.notFound("get " + name + ": no such volume");
        return v;
    }

    /** Every volume, sorted by name. */
    public synchronized List<Volume> list() {
        return List.copyOf(volumes.values());
    }

    /** {@code <dir>/<name>/_data}: the path a container mount uses as its source. */
    public Path mountpoint(String name) {
        return dir.resolve(name).resolve(DATA);
    }

    /** Removes a volume and its data. See the class contract for in-use and missing volumes. */
    public synchronized void remove(String name, boolean force) {
        Volume v = volumes.get(name);
        if (v == null) {
            if (force) return;
            throw VolumeException.notFound("get " + name + ": no such volume");
        }
        if (v.inUse()) throw VolumeException.conflict("remove " + name + ": volume is in use - [" + String.join(" ", v.refs()) + "]");
        try {
            Path data = mountpoint(name);
            if (isMounted(data)) Native.umount(data.toString());
            // Never delete through a mount that is still there: for o=bind it is the host's own data.
            if (isMounted(data)) throw new IOException(data + " is still mounted; unmount it and retry");
            Path home = dir.resolve(name);
            // The record goes first: a crash half-way leaves a directory that open() skips, not a volume without data.
            AtomicFile.delete(home.resolve(RECORD));
            deleteTree(home);
        } catch (IOException e) {
            throw VolumeException.internal("remove " + name + ": " + e.getMessage(), e);
        }
        volumes.remove(name);
        populateLocks.remove(name);
    }

    /** What {@link #prune} removed: names (sorted) and the bytes their data took. */
    public record Pruned(List<String> names, long spaceReclaimed) {
        public Pruned {
            names = List.copyOf(names);
        }
    }

    /** Removes every unused volume {@code which} selects; a volume that cannot be removed is logged and kept. */
    public synchronized Pruned prune(Predicate<Volume> which) {
        List<String> removed = new ArrayList<>();
        long bytes = 0;
        for (Volume v : List.copyOf(volumes.values())) {
            if (v.inUse() || !which.test(v)) continue;
            long size = size(v.name());
            try {
                remove(v.name(), false);
                removed.add(v.name());
                bytes += Math.max(size, 0);
            } catch (VolumeException e) {
                LOG.warning("prune: " + e.getMessage());
            }
        }
        return new Pruned(removed, bytes);
    }

    /**
     * Records that container {@code containerId} uses volume {@code name} (idempotent); the first reference
     * mounts an option-volume. NOT_FOUND if the volume does not exist.
     */
    public synchronized Volume ref(String name, String containerId) {
        Volume v = get(name);
        if (v.refs().contains(containerId)) return v;
        TreeSet<String> refs = new TreeSet<>(v.refs());
        refs.add(containerId);
        Volume nv = v.withRefs(refs);
        try {
            if (!v.inUse() && LocalOptions.needsMount(v.options()) && !isMounted(mountpoint(name))) {
                LocalOptions.mount(v.options(), mountpoint(name));
            }
            write(nv);
        } catch (IOException e) {
            throw VolumeException.internal("mount " + name + ": " + e.getMessage(), e);
        }
        volumes.put(name, nv);
        return nv;
    }

    /** Drops {@code containerId}'s reference (idempotent, a missing volume is ignored); the last one unmounts. */
    public synchronized void unref(String name, String containerId) {
        Volume v = volumes.get(name);
        if (v == null || !v.refs().contains(containerId)) return;
        TreeSet<String> refs = new TreeSet<>(v.refs());
        refs.remove(containerId);
        Volume nv = v.withRefs(refs);
        try {
            write(nv);
            volumes.put(name, nv);
            if (!nv.inUse() && isMounted(mountpoint(name))) Native.umount(mountpoint(name).toString());
        } catch (IOException e) {
            throw VolumeException.internal("unmount " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops every reference of {@code containerId} (container removal); with {@code removeAnonymous} (Docker's
     * {@code rm -v}) the anonymous volumes it leaves unused are removed too. Returns the names removed.
     */
    public synchronized List<String> release(String containerId, boolean removeAnonymous) {
        List<String> removed = new ArrayList<>();
        for (Volume v : List.copyOf(volumes.values())) {
            if (!v.refs().contains(containerId)) continue;
            unref(v.name(), containerId);
            if (removeAnonymous && v.anonymous() && !get(v.name()).inUse()) {
                remove(v.name(), false);
                removed.add(v.name());
            }
        }
        return removed;
    }

    /** A volume with what {@code GET /system/df} reports for it: bytes used (-1 if unknown) and reference count. */
    public record Usage(Volume volume, long size, int refCount) {}

    /** /system/df's volume part: every volume with its size (a walk of its data) and reference count. */
    public List<Usage> diskUsage() {
        List<Usage> out = new ArrayList<>();
        for (Volume v : list()) out.add(new Usage(v, size(v.name()), v.refs().size()));
        return out;
    }

    /** Bytes of the regular files under the volume's data (hard links counted once per path, like du -b --apparent). */
    public long size(String name) {
        Path data = mountpoint(name);
        long[] total = {0};
        try {
            Files.walkFileTree(data, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    if (a.isRegularFile()) total[0] += a.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return -1;
        }
        return total[0];
    }

    /** The lock copy-up of volume {@code name} holds, so two containers created at once copy only once. */
    Object populateLock(String name) {
        return populateLocks.computeIfAbsent(name, k -> new Object());
    }

    private void write(Volume v) throws IOException {
        AtomicFile.write(dir.resolve(v.name()).resolve(RECORD), MAPPER.writeValueAsBytes(v));
    }

    private void reconcileMount(Volume v) throws IOException {
        if (!LocalOptions.needsMount(v.options())) return;
        Path data = mountpoint(v.name());
        boolean mounted = isMounted(data);
        if (v.inUse() && !mounted) LocalOptions.mount(v.options(), data);
        if (!v.inUse() && mounted) Native.umount(data.toString());
    }

    /** Whether {@code path} is a mount point in this process's mount namespace. */
    static boolean isMounted(Path path) {
        String p = path.toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(p)) return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /**
     * Deletes {@code top} and everything under it without following symlinks or crossing into another file
     * system (a bind or tmpfs still mounted below is an error, never emptied).
     */
    static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return;
        Object dev = Files.getAttribute(top, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                if (!dev.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                    throw new IOException(d + " is another file system (still mounted?); not deleting into it");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) throw e;
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
