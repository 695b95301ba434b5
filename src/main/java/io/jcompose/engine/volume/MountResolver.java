package io.jcompose.engine.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a container's mount requests into OCI mounts, with Docker's semantics (daemon/volumes.go
 * registerMountPoints + createContainerOSSpecificSettings):
 * <ol>
 *   <li>{@code volumes_from} first: the other container's mounts, each with its own RW unless ":ro"/":rw" is given;</li>
 *   <li>then Binds, Mounts and Tmpfs (a destination twice among these is {@code Duplicate mount point: /x}; they
 *       override a volumes_from mount at the same destination);</li>
 *   <li>then an anonymous volume for each image VOLUME not mounted otherwise.</li>
 * </ol>
 * A named volume is created on first use; a volume that is empty (and not nocopy, not a subpath) is filled
 * from the container's rootfs at the destination. A missing bind source is created for Binds and for Mounts
 * with CreateMountpoint, refused otherwise. Everything is checked before anything is created; if applying
 * fails half-way, the references taken and the volumes made are undone.
 */
public final class MountResolver {
    private final Volumes volumes;

    public MountResolver(Volumes volumes) {
        this.volumes = volumes;
    }

    /** A request planned for a destination: either parsed, or inherited from another container. */
    private record Planned(MountRequest request, MountPoint inherited) {}

    /**
     * Resolves {@code request} for container {@code containerId}.
     *
     * @param rootfs          the container's root file system (the mounted overlay), for copy-up and the
     *                        "cannot mount volume over existing file" check; null: no copy-up
     * @param containerMounts the mount points of another container by id or name, for volumes_from
     */
    public Resolution resolve(String containerId, ContainerMounts request, Path rootfs,
                              Function<String, Optional<List<MountPoint>>> containerMounts) {
        SortedMap<String, Planned> plan = plan(request, rootfs, containerMounts);
        List<String> refd = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<MountPoint> points = new ArrayList<>();
        try {
            for (Planned p : plan.values()) points.add(apply(containerId, p, rootfs, refd, created));
        } catch (RuntimeException | IOException e) {
            for (String n : refd) volumes.unref(n, containerId);
            for (String n : created) {
                try {
                    volumes.remove(n, false);
                } catch (VolumeException ignored) {
                    // still referenced by another container that raced us: it keeps the volume
                }
            }
            if (e instanceof VolumeException ve) throw ve;
            throw VolumeException.internal("mounts of " + containerId + ": " + e.getMessage(), e);
        }
        return new Resolution(points, oci(points), new ArrayList<>(new TreeSet<>(refd)));
    }

    /** The OCI mounts of {@code points}: fewer path components first (a parent before what is mounted inside it). */
    public static List<OciMount> oci(List<MountPoint> points) {
        return points.stream()
                .sorted(Comparator.<MountPoint>comparingInt(m -> depth(m.destination())).thenComparing(MountPoint::destination))
                .map(MountPoint::toOci).toList();
    }

    private static int depth(String path) {
        return Path.of(path).getNameCount();
    }

    private SortedMap<String, Planned> plan(ContainerMounts request, Path rootfs,
                                            Function<String, Optional<List<MountPoint>>> containerMounts) {
        if (!request.volumeDriver().isEmpty() && !request.volumeDriver().equals("local")) {
            String d = request.volumeDriver();
            throw VolumeException.notFound("error looking up volume plugin " + d + ": plugin \"" + d + "\" not found");
        }
        SortedMap<String, Planned> plan = new TreeMap<>();
        for (String spec : request.volumesFrom()) {
            String[] idMode = MountParser.volumesFrom(spec);
            List<MountPoint> theirs = containerMounts.apply(idMode[0])
                    .orElseThrow(() -> VolumeException.notFound("No such container: " + idMode[0]));
            for (MountPoint mp : theirs) {
                plan.put(mp.destination(), new Planned(null, idMode[1].isEmpty() ? mp : mp.withRw(idMode[1].equals("rw"))));
            }
        }
        Set<String> explicit = new HashSet<>();
        List<MountRequest> requests = new ArrayList<>();
        for (String b : request.binds()) requests.add(MountParser.bind(b));
        for (MountSpec m : request.mounts()) requests.add(MountParser.mount(m));
        for (Map.Entry<String, String> t : request.tmpfs().entrySet()) requests.add(MountParser.tmpfs(t.getKey(), t.getValue()));
        for (MountRequest r : requests) {
            if (!explicit.add(r.target())) throw VolumeException.invalid("Duplicate mount point: " + r.target());
            if (r.type().equals("volume") && !r.source().isEmpty()) Volumes.checkName(r.source(), "create");
            if (r.type().equals("volume") && !r.driver().isEmpty() && !r.driver().equals("local")) {
                throw VolumeException.notFound("create " + r.source() + ": error looking up volume plugin " + r.driver()
                        + ": plugin \"" + r.driver() + "\" not found");
            }
            plan.put(r.target(), new Planned(r, null));
        }
        for (String v : request.imageVolumes()) {
            String dest = MountParser.clean(v.startsWith("/") ? v : "/" + v);
            if (plan.containsKey(dest)) continue;
            if (rootfs != null) {
                try {
                    Path inRoot = ScopedPath.resolve(rootfs, dest);
                    if (Files.exists(inRoot, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(inRoot, LinkOption.NOFOLLOW_LINKS)) {
                        throw VolumeException.invalid("cannot mount volume over existing file, file exists " + inRoot);
                    }
                } catch (IOException e) {
                    throw VolumeException.internal("volume " + dest + ": " + e.getMessage(), e);
                }
            }
            plan.put(dest, new Planned(new MountRequest("volume", "", dest, false, "", "", false, false, "", Map.of(), "",
                    Map.of(), "", false), null));
        }
        return plan;
    }

    private MountPoint apply(String containerId, Planned p, Path rootfs, List<String> refd, List<String> created) throws IOException {
        if (p.inherited() != null) {
            MountPoint mp = p.inherited();
            if (mp.type().equals("volume") && !mp.name().isEmpty()) {
                volumes.ref(mp.name(), containerId);
                refd.add(mp.name());
            }
            return mp;
        }
        MountRequest r = p.request();
        switch (r.type()) {
            case "bind" -> {
                Path src = Path.of(r.source());
                if (!Files.exists(src) && r.createHostPath()) Files.createDirectories(src);
                return new MountPoint("bind", "", r.source(), r.target(), "", r.mode(), !r.readOnly(), r.propagation(),
                        r.nonRecursive(), "");
            }
            case "volume" -> {
                boolean existed = !r.source().isEmpty() && volumes.find(r.source()).isPresent();
                Volume v = volumes.create(r.source(), r.driver(), r.driverOptions(), r.labels());
                if (!existed) created.add(v.name());
                volumes.ref(v.name(), containerId);
                refd.add(v.name());
                Path data = volumes.mountpoint(v.name());
                Path src = data;
                if (!r.subpath().isEmpty()) {
                    src = subpath(v.name(), data, r.subpath());
                } else if (!r.noCopy() && rootfs != null) {
                    populate(v.name(), data, rootfs, r.target());
                }
                return new MountPoint("volume", v.name(), src.toString(), r.target(), v.driver(), r.mode(), !r.readOnly(), "", false, "");
            }
            default -> {
                return new MountPoint("tmpfs", "", "", r.target(), "", "", !r.readOnly(), "", false, r.tmpfsData());
            }
        }
    }

    /** Copy-up: only into an empty volume, only from a directory, under the volume's lock (two creates copy once). */
    private void populate(String name, Path data, Path rootfs, String dest) throws IOException {
        synchronized (volumes.populateLock(name)) {
            if (!CopyUp.isEmpty(data)) return;
            Path src = ScopedPath.resolve(rootfs, dest);
            if (!ScopedPath.isDirectory(src)) return;
            CopyUp.copy(src, data);
            CopyUp.topDirectory(src, data);
        }
    }

    /**
     * The host path of {@code subpath} inside the volume: it must exist and, with every symlink followed, stay
     * inside the volume. Known gap: a container that uses the volume could swap a directory for a symlink between
     * this check and runc's mount (Docker closes that with an fd-based bind; we resolve to a real path).
     */
    static Path subpath(String volume, Path data, String subpath) throws IOException {
        String prefix = "invalid mount config for type \"volume\": ";
        Path lexical = data.resolve(subpath).normalize();
        if (!lexical.startsWith(data) || lexical.equals(data) && !subpath.equals(".")) {
            throw VolumeException.invalid(prefix + "subpath must be a relative path within the volume: " + subpath);
        }
        if (!Files.exists(lexical)) {
            throw VolumeException.invalid(prefix + "subpath \"" + subpath + "\" does not exist in volume " + volume + "; create it first");
        }
        Path real = lexical.toRealPath();
        if (!real.startsWith(data.toRealPath())) {
            throw VolumeException.invalid(prefix + "subpath \"" + subpath + "\" escapes volume " + volume + " (resolves to " + real + ")");
        }
        return real;
    }
}
