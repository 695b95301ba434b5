package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jcompose.engine.image.Digest;
import io.jcompose.engine.image.LayerStore;
import io.jcompose.engine.snapshot.Mount;
import io.jcompose.engine.snapshot.Mounter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs a RUN step as a short-lived container with {@code runc run} (no conmon: the step's output is read as it
 * comes and the container ends with the step). Root file system: an overlay of the step's parent layers
 * (unpacked once per diff_id into the engine's {@link LayerStore}), an "init" layer holding only the mount points
 * (as dockerd's {@code -init} layer, so /proc, /etc/hosts or a cache mount's target never show up in the step's
 * diff) and the builder's upper dir. The spec is Docker's default confinement (capabilities, masked and
 * read-only paths, own pid/ipc/uts/mount namespaces); network: own namespace with only loopback for "default"
 * and "none" (the build network has no way out here anyway), the host's for "host".
 *
 * <p>Everything is removed after the step: the overlay mount, the runc state, the bundle, the overlay work dir;
 * runc removes the step's cgroup ({@code /jcompose-build-<rootId>-<id>}, one level so nothing is left above it).
 */
public final class RuncRunExecutor implements RunExecutor {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware");
    private static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private final LayerStore layers;
    private final Path runDir;
    private final Path cacheMounts;
    private final String runc;
    private final String rootId;

    /**
     * @param runDir      bundles and runc state (same file system as the builder's upper dirs: overlay needs
     *                    its work dir next to the upper dir)
     * @param cacheMounts where {@code RUN --mount=type=cache} directories persist between builds
     * @param rootId      the engine state root's short id, in the cgroup name
     */
    public RuncRunExecutor(LayerStore layers, Path runDir, Path cacheMounts, String runc, String rootId) throws IOException {
        this.layers = layers;
        this.runDir = Files.createDirectories(runDir);
        this.cacheMounts = Files.createDirectories(cacheMounts);
        this.runc = runc;
        this.rootId = rootId;
        recover();
    }

    /**
     * After a crash: a step that was running when the engine died left its runc state, overlay mount and bundle;
     * they go now (the engine starts before any build can).
     */
    private void recover() throws IOException {
        try (var dirs = Files.list(runDir)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!name.matches("[0-9a-f]{16}")) continue;
                try {
                    cleanup(name, d, d.resolve("rootfs"), d.resolve("none"), runDir.resolve("runc"), Mounter.isMounted(d.resolve("rootfs")));
                } catch (IOException | RuntimeException e) {
                    // Not fatal for the engine: the next start tries again; the leftover is named in the log.
                    java.util.logging.Logger.getLogger(RuncRunExecutor.class.getName())
                            .warning("could not remove the leftover build step " + d + ": " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void run(RunSpec spec, Consumer<String> output) throws BuildException, IOException {
        String id = HexFormat.of().formatHex(randomBytes());
        Path bundle = Files.createDirectory(runDir.resolve(id));
        Path rootfs = Files.createDirectory(bundle.resolve("rootfs"));
        Path work = spec.upperDir().resolveSibling(spec.upperDir().getFileName() + "-work");
        Path runcRoot = runDir.resolve("runc");
        boolean mounted = false;
        try {
            List<Path> lowers = new ArrayList<>();
            for (LayerRef l : spec.layers()) {
                lowers.add(layers.unpack(Digest.parse(l.diffId()), () -> Files.newInputStream(l.blob())));
            }
            List<Map<String, Object>> mounts = new ArrayList<>(defaultMounts(spec.network().equals("host")));
            Path init = Files.createDirectory(bundle.resolve("init"));
            addStepMounts(spec, mounts, bundle);
            for (Map<String, Object> m : mounts) mountPoint(init, lowers, (String) m.get("destination"), m.get("type").equals("bind") && Files.isRegularFile(Path.of((String) m.get("source"))));
            // Short links keep the overlay options within one page however long the state root's path is.
            Path links = Files.createDirectory(bundle.resolve("l"));
            List<String> lowerOpt = new ArrayList<>();
            lowerOpt.add(Files.createSymbolicLink(links.resolve("init"), init).toString());
            java.util.Set<Path> seen = new java.util.HashSet<>();
            for (int i = lowers.size() - 1; i >= 0; i--) {
                // Overlayfs refuses a directory twice (ELOOP): identical layers (e.g. two RUNs that change nothing)
                // share one diff dir. Keeping only the topmost copy is equivalent: it has the same files and the
                // same whiteouts, above every layer the lower copy covered.
                if (!seen.add(lowers.get(i))) continue;
                lowerOpt.add(Files.createSymbolicLink(links.resolve(Integer.toString(i)), lowers.get(i)).toString());
            }
            Files.createDirectories(work);
            // The merged root directory takes the upper dir's mode: a 0700 temp dir would lock out every non-root USER.
            Path top = lowers.isEmpty() ? null : lowers.get(lowers.size() - 1);
            Files.setPosixFilePermissions(spec.upperDir(), top == null ? java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")
                    : Files.getPosixFilePermissions(top));
            Mounter.mount(new Mount("overlay", "overlay", List.of("lowerdir=" + String.join(":", lowerOpt),
                    "upperdir=" + spec.upperDir(), "workdir=" + work)), rootfs);
            mounted = true;
            UserIds user = UserIds.resolve(spec.user(), rootfs);
            ensureWorkdir(rootfs, spec.workdir());
            Files.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(config(spec, id, user, mounts)));
            output.accept(" ---> Running in " + id.substring(0, 12) + "\n");
            int code = runContainer(id, bundle, runcRoot, spec, output);
            if (code == 0) output.accept("Removing intermediate container " + id.substring(0, 12) + "\n");
            if (code != 0) {
                throw BuildException.exitCode("The command '" + String.join(" ", spec.argv()) + "' returned a non-zero code: " + code, code);
            }
        } finally {
            cleanup(id, bundle, rootfs, work, runcRoot, mounted);
        }
    }

    private int runContainer(String id, Path bundle, Path runcRoot, RunSpec spec, Consumer<String> output)
            throws IOException, BuildException {
        ProcessBuilder pb = new ProcessBuilder(runc, "--root", runcRoot.toString(), "run", "--bundle", bundle.toString(), id)
                .redirectErrorStream(true);
        if (spec.stdin().isEmpty()) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (spec.stdin().isPresent()) {
            Thread feeder = new Thread(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(spec.stdin().get().getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The step did not read all of its stdin: that is its business, as with docker build.
                }
            }, "build-stdin-" + id);
            feeder.setDaemon(true);
            feeder.start();
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) output.accept(line + "\n");
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BuildException("build step interrupted");
        }
    }

    private void cleanup(String id, Path bundle, Path rootfs, Path work, Path runcRoot, boolean mounted) throws IOException {
        IOException first = null;
        try {
            // A step killed half way leaves runc state; "delete --force" also kills what is left of it.
            Process p = new ProcessBuilder(runc, "--root", runcRoot.toString(), "delete", "--force", id)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (mounted) Mounter.unmount(rootfs);
        for (Path p : List.of(work, bundle)) {
            try {
                SafeTar.deleteTree(p);
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** Docker's default container mounts (without /etc/hosts etc. for none: there is nothing to resolve). */
    private List<Map<String, Object>> defaultMounts(boolean hostNet) throws IOException {
        List<Map<String, Object>> m = new ArrayList<>();
        m.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        m.add(mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        m.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        m.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        m.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/dev/shm", "shm", "tmpfs", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        Path files = Files.createDirectories(runDir.resolve("files"));
        Path hosts = files.resolve("hosts");
        if (!Files.exists(hosts)) Files.writeString(hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        Path resolv = files.resolve("resolv.conf");
        if (hostNet) {
            resolv = Path.of("/etc/resolv.conf");
            hosts = Path.of("/etc/hosts");
        } else if (!Files.exists(resolv)) {
            Files.writeString(resolv, "");
        }
        m.add(mount("/etc/resolv.conf", resolv.toString(), "bind", List.of("rbind", "ro")));
        m.add(mount("/etc/hosts", hosts.toString(), "bind", List.of("rbind", "ro")));
        return m;
    }

    private static Map<String, Object> mount(String dest, String source, String type, List<String> options) {
        Map<String, Object> m = new TreeMap<>();
        m.put("destination", dest);
        m.put("source", source);
        m.put("type", type);
        m.put("options", options);
        return m;
    }

    /** RUN --mount=type=cache|secret|tmpfs|bind (ssh is not supported). */
    private void addStepMounts(RunSpec spec, List<Map<String, Object>> out, Path bundle) throws IOException, BuildException {
        for (Instruction.Mount m : spec.mounts()) {
            SortedMap<String, String> o = m.options();
            switch (m.type()) {
                case "cache" -> {
                    String target = m.target().orElseThrow(() -> new BuildException("RUN --mount=type=cache needs target="));
                    String key = o.getOrDefault("id", target);
                    Path dir = Files.createDirectories(cacheMounts.resolve(TreeHash.sha256(key).substring(7, 39)));
                    if (o.containsKey("mode") || o.containsKey("uid") || o.containsKey("gid")) {
                        if (o.containsKey("mode")) Files.setAttribute(dir, "unix:mode", Integer.parseInt(o.get("mode"), 8));
                        if (o.containsKey("uid")) Files.setAttribute(dir, "unix:uid", Integer.parseInt(o.get("uid")));
                        if (o.containsKey("gid")) Files.setAttribute(dir, "unix:gid", Integer.parseInt(o.get("gid")));
                    }
                    boolean ro = "true".equals(o.get("readonly")) || o.containsKey("ro");
                    out.add(mount(target, dir.toString(), "bind", List.of("rbind", ro ? "ro" : "rw")));
                }
                case "secret" -> {
                    String sid = o.getOrDefault("id", m.target().map(t -> t.substring(t.lastIndexOf('/') + 1)).orElse(""));
                    Path file = spec.secrets().get(sid);
                    if (file == null) {
                        if ("true".equals(o.get("required"))) throw new BuildException("secret " + sid + " not provided; pass it with the build's secrets");
                        continue;
                    }
                    String target = m.target().orElse("/run/secrets/" + sid);
                    out.add(mount(target, file.toString(), "bind", List.of("rbind", "ro")));
                }
                case "bind" -> {
                    Path root = spec.bindRoots().get(spec.mounts().indexOf(m));
                    if (root == null) throw new BuildException("RUN --mount=type=bind: no source root for " + m);
                    Path src = root.resolve(o.getOrDefault("source", o.getOrDefault("src", ".")).replaceAll("^/+", "")).normalize();
                    if (!src.startsWith(root)) throw new BuildException("RUN --mount=type=bind: source outside its root: " + src);
                    String target = m.target().orElseThrow(() -> new BuildException("RUN --mount=type=bind needs target="));
                    if (!target.startsWith("/")) target = (spec.workdir().endsWith("/") ? spec.workdir() : spec.workdir() + "/") + target;
                    // Read-only unless rw (buildkit then discards the writes; ours land in the build's temporary copy).
                    boolean rw = o.containsKey("rw") && !"false".equals(o.get("rw")) || "true".equals(o.get("readwrite"));
                    out.add(mount(target, src.toString(), "bind", List.of("rbind", rw ? "rw" : "ro")));
                }
                case "tmpfs" -> out.add(mount(m.target().orElseThrow(() -> new BuildException("RUN --mount=type=tmpfs needs target=")),
                        "tmpfs", "tmpfs", List.of("nosuid", "nodev", "size=" + o.getOrDefault("size", "65536k"))));
                default -> throw new BuildException("RUN --mount=type=" + m.type()
                        + " is not supported by the jcompose engine (cache, secret, tmpfs and bind are)");
            }
        }
    }

    /**
     * Creates {@code dest} in the init layer unless the image has it; directories copy the owner and mode of
     * the image's directory of that name, so a copy-up of e.g. /etc into the step's diff keeps the image's.
     */
    private static void mountPoint(Path init, List<Path> lowers, String dest, boolean file) throws IOException {
        String rel = dest.replaceAll("^/+", "");
        if (rel.isEmpty()) return;
        for (int i = lowers.size() - 1; i >= 0; i--) {
            if (Files.exists(lowers.get(i).resolve(rel), LinkOption.NOFOLLOW_LINKS)) return;
        }
        Path cur = init;
        String[] parts = rel.split("/");
        StringBuilder sofar = new StringBuilder();
        for (int k = 0; k < parts.length; k++) {
            sofar.append(k == 0 ? "" : "/").append(parts[k]);
            cur = cur.resolve(parts[k]);
            if (Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) continue;
            if (k == parts.length - 1 && file) {
                Files.createFile(cur);
                continue;
            }
            Files.createDirectory(cur);
            for (int i = lowers.size() - 1; i >= 0; i--) {
                Path l = lowers.get(i).resolve(sofar.toString());
                if (Files.isDirectory(l, LinkOption.NOFOLLOW_LINKS)) {
                    PosixFileAttributes a = Files.readAttributes(l, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    Files.setPosixFilePermissions(cur, a.permissions());
                    Files.setAttribute(cur, "unix:uid", Files.getAttribute(l, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                    Files.setAttribute(cur, "unix:gid", Files.getAttribute(l, "unix:gid", LinkOption.NOFOLLOW_LINKS));
                    break;
                }
                if (Files.exists(l, LinkOption.NOFOLLOW_LINKS)) break; // a symlink: leave the default
            }
        }
    }

    private static void ensureWorkdir(Path rootfs, String workdir) throws IOException {
        if (workdir.isEmpty() || workdir.equals("/")) return;
        Path d = rootfs.resolve(workdir.replaceAll("^/+", "")).normalize();
        if (!d.startsWith(rootfs)) return;
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(d);
            } catch (IOException e) {
                // A symlinked path runc resolves inside the rootfs; let runc report what is wrong.
            }
        }
    }

    private Map<String, Object> config(RunSpec spec, String id, UserIds user, List<Map<String, Object>> mounts) {
        boolean hostNet = spec.network().equals("host");
        Map<String, Object> process = new TreeMap<>();
        process.put("terminal", false);
        Map<String, Object> u = new TreeMap<>();
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        if (!user.additional().isEmpty()) u.put("additionalGids", user.additional());
        process.put("user", u);
        process.put("args", spec.argv());
        LinkedHashMap<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (!hostNet) env.put("HOSTNAME", id.substring(0, 12));
        for (String e : spec.env()) {
            int eq = e.indexOf('=');
            if (eq > 0) env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        // HOME: runc sets it from the container's /etc/passwd when absent, as dockerd's containers get it.
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        process.put("env", envList);
        process.put("cwd", spec.workdir().isEmpty() ? "/" : spec.workdir());
        Map<String, Object> caps = new TreeMap<>();
        for (String set : List.of("bounding", "effective", "permitted")) caps.put(set, CAPS);
        process.put("capabilities", caps);
        // No rlimits: the step inherits the engine's (asking for more than it has fails with EPERM).
        process.put("noNewPrivileges", false);

        Map<String, Object> spec0 = new TreeMap<>();
        spec0.put("ociVersion", "1.0.2");
        spec0.put("process", process);
        spec0.put("root", Map.of("path", "rootfs", "readonly", false));
        if (!hostNet) spec0.put("hostname", id.substring(0, 12));
        spec0.put("mounts", mounts);
        Map<String, Object> linux = new TreeMap<>();
        List<Object> ns = new ArrayList<>();
        ns.add(Map.of("type", "pid"));
        if (!hostNet) ns.add(Map.of("type", "network"));
        ns.add(Map.of("type", "ipc"));
        if (!hostNet) ns.add(Map.of("type", "uts"));
        ns.add(Map.of("type", "mount"));
        linux.put("namespaces", ns);
        linux.put("cgroupsPath", "/jcompose-build-" + rootId + "-" + id);
        linux.put("resources", Map.of("devices", List.of(Map.of("allow", false, "access", "rwm"))));
        linux.put("maskedPaths", MASKED);
        linux.put("readonlyPaths", READONLY);
        spec0.put("linux", linux);
        return spec0;
    }
}
