package io.jcompose.engine.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the OCI runtime-spec {@code config.json} of a container from its Docker-shaped create body, its image's
 * config and where its files live. Pure: everything it needs comes in {@link Inputs}, so goldens can pin it.
 *
 * <p>Docker's defaults, as dockerd 20.10 applies them: its 14 default capabilities, masked and read-only /proc
 * paths, /dev tmpfs + devpts + mqueue + a 64 MiB /dev/shm, a read-only /sys and /sys/fs/cgroup, memory swap
 * twice the memory limit, CFS period 100 ms, a default seccomp filter ({@link Seccomp}: Docker's blocked
 * syscalls as a deny list). The network namespace is the one the engine prepared ({@link Inputs#netnsPath}), or a new one
 * with loopback only (network mode none).
 */
public final class SpecBuilder {
    static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** Every capability of kernel 5.x/6.x, for Privileged and CapAdd ALL. */
    static final List<String> ALL_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final long DEFAULT_SHM = 64L * 1024 * 1024;
    /** Where Docker mounts its init (tini) inside the container. */
    static final String INIT_PATH = "/sbin/docker-init";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /**
     * @param files      the container's own /etc/hosts, /etc/resolv.conf and /etc/hostname on the host
     * @param rootId     the state root's short id, part of the default cgroup parent {@code /jcompose-<rootId>}
     * @param rlimitNofile the engine's own NOFILE hard limit: the most a container may be granted
     * @param initBinary the host's tini-static, bind-mounted as {@value #INIT_PATH} when Init is set
     * @param volumeMounts the container's resolved mounts (engine.volume's {@code MountResolver}: binds, volumes,
     *                   tmpfs, secrets); null: Binds/Mounts/Tmpfs are rendered here (bind and tmpfs only)
     * @param netnsPath  the network namespace to join ({@code /run/netns/…} made by the engine, or another
     *                   container's); null: a new, empty one (loopback only)
     */
    public record Inputs(String id, ContainerSpec spec, ImageConfig image, String rootfs, UserLookup user,
                         String hostsFile, String resolvFile, String hostnameFile, String rootId,
                         long rlimitNofile, String initBinary, List<io.jcompose.engine.volume.OciMount> volumeMounts,
                         String netnsPath) {
        public Inputs(String id, ContainerSpec spec, ImageConfig image, String rootfs, UserLookup user, String hostsFile,
                      String resolvFile, String hostnameFile, String rootId, long rlimitNofile, String initBinary) {
            this(id, spec, image, rootfs, user, hostsFile, resolvFile, hostnameFile, rootId, rlimitNofile, initBinary, null, null);
        }
    }

    private SpecBuilder() {}

    /** The process args: entrypoint + cmd after Docker's overriding rules. Empty is an error ("no command"). */
    static List<String> args(ContainerSpec spec, ImageConfig image) {
        List<String> entrypoint = spec.entrypoint() != null ? spec.entrypoint() : image.entrypoint();
        List<String> cmd;
        // Docker: an Entrypoint given on create resets the image's Cmd unless Cmd is given too.
        if (spec.cmd() != null && !spec.cmd().isEmpty()) cmd = spec.cmd();
        else if (spec.entrypoint() != null) cmd = List.of();
        else cmd = image.cmd();
        if (entrypoint.size() == 1 && entrypoint.get(0).isEmpty()) entrypoint = List.of();
        List<String> a = new ArrayList<>(entrypoint);
        a.addAll(cmd);
        if (a.isEmpty()) throw new IllegalArgumentException("no command specified: the image has no Cmd or Entrypoint; give Cmd");
        return a;
    }

    /** Image env overridden by the create body's, in first-seen order; PATH and HOSTNAME as Docker adds them. */
    static List<String> env(ContainerSpec spec, ImageConfig image, String hostname) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("PATH", DEFAULT_PATH);
        m.put("HOSTNAME", hostname);
        for (String e : image.env()) put(m, e);
        for (String e : spec.env()) put(m, e);
        if (spec.isTty() && !m.containsKey("TERM")) m.put("TERM", "xterm");
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(v == null ? k : k + "=" + v));
        return out;
    }

    private static void put(Map<String, String> m, String e) {
        int eq = e.indexOf('=');
        if (eq < 0) {
            m.remove(e); // "NAME" alone unsets, as docker run -e NAME with NAME unset on the client
            return;
        }
        m.put(e.substring(0, eq), e.substring(eq + 1));
    }

    static String hostname(ContainerSpec spec, String id) {
        return spec.hostname() != null && !spec.hostname().isEmpty() ? spec.hostname() : id.substring(0, 12);
    }

    public static SortedMap<String, Object> build(Inputs in) {
        ContainerSpec s = in.spec();
        ContainerSpec.HostConfig h = s.hostConfig();
        String hostname = hostname(s, in.id());
        boolean hostNet = h.networkMode().equals("host");

        SortedMap<String, Object> process = new TreeMap<>();
        process.put("terminal", s.isTty());
        SortedMap<String, Object> user = new TreeMap<>();
        user.put("uid", in.user().uid());
        user.put("gid", in.user().gid());
        if (!in.user().additionalGids().isEmpty()) user.put("additionalGids", in.user().additionalGids());
        process.put("user", user);
        List<String> args = new ArrayList<>();
        if (Boolean.TRUE.equals(h.init())) args.addAll(List.of(INIT_PATH, "--"));
        args.addAll(args(s, in.image()));
        process.put("args", args);
        List<String> env = env(s, in.image(), hostNet ? "" : hostname);
        if (hostNet) env.removeIf(e -> e.equals("HOSTNAME="));
        process.put("env", env);
        String cwd = s.workingDir() != null && !s.workingDir().isEmpty() ? s.workingDir()
                : !in.image().workingDir().isEmpty() ? in.image().workingDir() : "/";
        process.put("cwd", cwd);
        SortedMap<String, Object> caps = capabilities(h);
        process.put("capabilities", caps);
        process.put("rlimits", rlimits(h, in.rlimitNofile()));
        process.put("noNewPrivileges", h.securityOpt().stream().anyMatch(o -> o.equals("no-new-privileges")
                || o.equals("no-new-privileges:true") || o.equals("no-new-privileges=true")));
        if (!h.isPrivileged()) process.put("oomScoreAdj", 0);

        SortedMap<String, Object> spec = new TreeMap<>();
        spec.put("ociVersion", "1.0.2");
        spec.put("process", process);
        spec.put("root", new TreeMap<>(Map.of("path", in.rootfs(), "readonly", Boolean.TRUE.equals(h.readonlyRootfs()))));
        if (!hostNet) spec.put("hostname", hostname);
        spec.put("mounts", mounts(in, h));
        SortedMap<String, Object> linux = linux(in, h, hostNet);
        @SuppressWarnings("unchecked")
        List<String> bounding = (List<String>) caps.get("bounding");
        Map<String, Object> seccomp = Seccomp.profile(bounding, h.securityOpt(), h.isPrivileged());
        if (seccomp != null) linux.put("seccomp", seccomp);
        spec.put("linux", linux);
        SortedMap<String, String> annotations = new TreeMap<>();
        annotations.put("io.jcompose.container.id", in.id());
        spec.put("annotations", annotations);
        return spec;
    }

    public static byte[] toJson(SortedMap<String, Object> spec) {
        try {
            return JSON.writeValueAsBytes(spec);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SortedMap<String, Object> capabilities(ContainerSpec.HostConfig h) {
        List<String> caps;
        if (h.isPrivileged()) {
            caps = new ArrayList<>(ALL_CAPS);
        } else {
            caps = new ArrayList<>(DEFAULT_CAPS);
            for (String c : h.capAdd()) {
                String n = capName(c);
                if (n.equals("CAP_ALL")) caps = new ArrayList<>(ALL_CAPS);
                else if (!caps.contains(n)) caps.add(n);
            }
            for (String c : h.capDrop()) {
                String n = capName(c);
                if (n.equals("CAP_ALL")) caps.clear();
                else caps.remove(n);
            }
        }
        caps.sort(null);
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("bounding", caps);
        m.put("effective", caps);
        m.put("permitted", caps);
        return m;
    }

    static String capName(String c) {
        String u = c.toUpperCase(Locale.ROOT);
        String n = u.startsWith("CAP_") ? u : "CAP_" + u;
        if (!n.equals("CAP_ALL") && !ALL_CAPS.contains(n)) throw new IllegalArgumentException("unknown capability: \"" + c + "\"");
        return n;
    }

    static List<Object> rlimits(ContainerSpec.HostConfig h, long maxNofile) {
        TreeMap<String, long[]> limits = new TreeMap<>();
        limits.put("RLIMIT_NOFILE", new long[] {maxNofile, maxNofile});
        for (ContainerSpec.Ulimit u : h.ulimits()) {
            String name = "RLIMIT_" + u.name().toUpperCase(Locale.ROOT);
            long soft = u.soft() == null ? 0 : u.soft();
            long hard = u.hard() == null ? soft : u.hard();
            if (soft > hard) throw new IllegalArgumentException("ulimit " + u.name() + ": soft limit " + soft + " is above hard limit " + hard);
            if (name.equals("RLIMIT_NOFILE")) {
                // The engine cannot grant more than it has; runc would fail the start with EPERM.
                hard = Math.min(hard, maxNofile);
                soft = Math.min(soft, hard);
            }
            limits.put(name, new long[] {soft, hard});
        }
        List<Object> out = new ArrayList<>();
        limits.forEach((k, v) -> out.add(new TreeMap<>(Map.of("type", k, "soft", v[0], "hard", v[1]))));
        return out;
    }

    private static SortedMap<String, Object> mount(String dest, String type, String source, List<String> options) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        m.put("options", options);
        return m;
    }

    static List<Object> mounts(Inputs in, ContainerSpec.HostConfig h) {
        long shm = h.shmSize() != null && h.shmSize() > 0 ? h.shmSize() : DEFAULT_SHM;
        LinkedHashMap<String, Object> byDest = new LinkedHashMap<>();
        byDest.put("/proc", mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        byDest.put("/dev", mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        byDest.put("/dev/pts", mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        // Privileged containers get /sys and their cgroups writable, as in Docker.
        String sysMode = h.isPrivileged() ? "rw" : "ro";
        byDest.put("/sys", mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode)));
        byDest.put("/sys/fs/cgroup", mount("/sys/fs/cgroup", "cgroup", "cgroup",
                List.of("nosuid", "noexec", "nodev", "relatime", sysMode)));
        byDest.put("/dev/mqueue", mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        if ("host".equals(h.ipcMode())) {
            byDest.put("/dev/shm", mount("/dev/shm", "bind", "/dev/shm", List.of("rbind", "rprivate")));
        } else {
            byDest.put("/dev/shm", mount("/dev/shm", "tmpfs", "shm",
                    List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shm)));
        }
        byDest.put("/etc/resolv.conf", mount("/etc/resolv.conf", "bind", in.resolvFile(), List.of("rbind", "rprivate")));
        byDest.put("/etc/hostname", mount("/etc/hostname", "bind", in.hostnameFile(), List.of("rbind", "rprivate")));
        byDest.put("/etc/hosts", mount("/etc/hosts", "bind", in.hostsFile(), List.of("rbind", "rprivate")));
        if (Boolean.TRUE.equals(h.init())) {
            byDest.put(INIT_PATH, mount(INIT_PATH, "bind", in.initBinary(), List.of("bind", "ro", "nosuid", "nodev")));
        }
        if (in.volumeMounts() != null) {
            for (io.jcompose.engine.volume.OciMount m : in.volumeMounts()) {
                byDest.put(m.destination(), mount(m.destination(), m.type(), m.source(), m.options()));
            }
        }
        for (String b : in.volumeMounts() != null ? List.<String>of() : h.binds()) {
            String[] p = b.split(":");
            if (p.length < 2 || p.length > 3) throw new IllegalArgumentException("invalid volume specification: '" + b + "'");
            if (!p[0].startsWith("/")) {
                throw new IllegalArgumentException("named volume '" + p[0] + "' in Binds is not supported yet: use an absolute host path");
            }
            if (!p[1].startsWith("/")) throw new IllegalArgumentException("invalid mount config: mount path must be absolute: '" + p[1] + "'");
            List<String> opts = new ArrayList<>(List.of("rbind"));
            String propagation = "rprivate";
            boolean ro = false;
            if (p.length == 3) {
                for (String o : p[2].split(",")) {
                    switch (o) {
                        case "ro" -> ro = true;
                        case "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated", "" -> { }
                        case "shared", "rshared", "slave", "rslave", "private", "rprivate" -> propagation = o;
                        default -> throw new IllegalArgumentException("invalid mode: " + o + " in '" + b + "'");
                    }
                }
            }
            if (ro) opts.add("ro");
            opts.add(propagation);
            byDest.put(p[1], mount(p[1], "bind", p[0], opts));
        }
        for (io.jcompose.engine.volume.MountSpec m : in.volumeMounts() != null ? List.<io.jcompose.engine.volume.MountSpec>of() : h.mounts()) {
            String type = m.type() == null ? "" : m.type();
            if (m.target() == null || !m.target().startsWith("/")) {
                throw new IllegalArgumentException("invalid mount config: Target must be an absolute path, got '" + m.target() + "'");
            }
            switch (type) {
                case "bind" -> {
                    if (m.source() == null || !m.source().startsWith("/")) {
                        throw new IllegalArgumentException("invalid mount config for type \"bind\": Source must be an absolute path");
                    }
                    List<String> opts = new ArrayList<>(List.of("rbind"));
                    if (m.readOnly()) opts.add("ro");
                    opts.add(m.bindOptions() != null && m.bindOptions().propagation() != null && !m.bindOptions().propagation().isEmpty()
                            ? m.bindOptions().propagation() : "rprivate");
                    byDest.put(m.target(), mount(m.target(), "bind", m.source(), opts));
                }
                case "tmpfs" -> {
                    List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                    if (m.tmpfsOptions() != null && m.tmpfsOptions().sizeBytes() > 0) opts.add("size=" + m.tmpfsOptions().sizeBytes());
                    if (m.tmpfsOptions() != null && m.tmpfsOptions().mode() != 0) opts.add("mode=" + Integer.toOctalString(m.tmpfsOptions().mode()));
                    if (m.readOnly()) opts.add("ro");
                    byDest.put(m.target(), mount(m.target(), "tmpfs", "tmpfs", opts));
                }
                default -> throw new IllegalArgumentException("mount type \"" + type + "\" is not supported yet (bind and tmpfs are)");
            }
        }
        for (Map.Entry<String, String> t : (in.volumeMounts() != null ? new TreeMap<String, String>() : h.tmpfs()).entrySet()) {
            List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
            for (String o : t.getValue().split(",")) {
                if (o.isEmpty()) continue;
                // Docker: options given replace the defaults they contradict.
                if (o.equals("exec")) opts.remove("noexec");
                else if (o.equals("suid")) opts.remove("nosuid");
                else if (o.equals("dev")) opts.remove("nodev");
                else opts.add(o);
            }
            byDest.put(t.getKey(), mount(t.getKey(), "tmpfs", "tmpfs", opts));
        }
        // Parents before children, so a bind under a tmpfs is not hidden by it.
        List<Object> out = new ArrayList<>();
        byDest.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(SpecBuilder::depth)))
                .forEach(e -> out.add(e.getValue()));
        return out;
    }

    private static int depth(String path) {
        return (int) path.chars().filter(c -> c == '/').count() - (path.equals("/") ? 1 : 0);
    }

    static SortedMap<String, Object> linux(Inputs in, ContainerSpec.HostConfig h, boolean hostNet) {
        SortedMap<String, Object> linux = new TreeMap<>();
        List<Object> ns = new ArrayList<>();
        if (!"host".equals(h.pidMode())) ns.add(Map.of("type", "pid"));
        if (!hostNet) ns.add(in.netnsPath() == null ? Map.of("type", "network") : Map.of("type", "network", "path", in.netnsPath()));
        if (!"host".equals(h.ipcMode())) ns.add(Map.of("type", "ipc"));
        if (!hostNet) ns.add(Map.of("type", "uts"));
        ns.add(Map.of("type", "mount"));
        linux.put("namespaces", ns);
        linux.put("cgroupsPath", cgroupsPath(h, in.rootId(), in.id()));
        SortedMap<String, Object> res = new TreeMap<>();
        res.put("devices", List.of(new TreeMap<>(Map.of("allow", h.isPrivileged(), "access", "rwm"))));
        if (h.memory() != null && h.memory() > 0) {
            long swap = h.memorySwap() == null || h.memorySwap() == 0 ? 2 * h.memory() : h.memorySwap();
            SortedMap<String, Object> mem = new TreeMap<>();
            mem.put("limit", h.memory());
            mem.put("swap", swap);
            res.put("memory", mem);
        }
        if (h.nanoCpus() != null && h.nanoCpus() > 0) {
            long period = 100_000;
            res.put("cpu", new TreeMap<>(Map.of("period", period, "quota", h.nanoCpus() * period / 1_000_000_000L)));
        }
        if (h.pidsLimit() != null && h.pidsLimit() != 0) res.put("pids", Map.of("limit", h.pidsLimit()));
        linux.put("resources", res);
        if (!h.sysctls().isEmpty()) linux.put("sysctl", h.sysctls());
        if (!h.isPrivileged()) {
            linux.put("maskedPaths", MASKED_PATHS);
            linux.put("readonlyPaths", READONLY_PATHS);
        }
        return linux;
    }

    /** Own cgroup per container (a shared one kills the neighbour on delete), under CgroupParent or jcompose-<rootId>. */
    static String cgroupsPath(ContainerSpec.HostConfig h, String rootId, String id) {
        String parent = h.cgroupParent() != null && !h.cgroupParent().isBlank() ? h.cgroupParent() : "/jcompose-" + rootId;
        if (!parent.startsWith("/")) parent = "/" + parent;
        if (parent.contains("..")) throw new IllegalArgumentException("invalid CgroupParent '" + h.cgroupParent() + "'");
        return (parent.endsWith("/") ? parent : parent + "/") + id;
    }

    /** /etc/hosts content: localhost always (without it, localhost probes go to DNS), the container, extra hosts. */
    public static String hostsFile(String hostname, List<String> extraHosts, boolean hostNet) {
        StringBuilder sb = new StringBuilder();
        sb.append("127.0.0.1\tlocalhost\n");
        sb.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.append("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        for (String e : extraHosts) {
            int c = e.indexOf(':');
            if (c <= 0) throw new IllegalArgumentException("invalid extra host \"" + e + "\": use name:ip");
            sb.append(e.substring(c + 1)).append('\t').append(e, 0, c).append('\n');
        }
        if (!hostNet) sb.append("127.0.1.1\t").append(hostname).append('\n');
        return sb.toString();
    }

    /** The host's resolv.conf without loopback name servers (unreachable from a private netns), as Docker does. */
    public static String resolvConf(String hostResolv, List<String> dns, boolean hostNet) {
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (String d : dns) {
            sb.append("nameserver ").append(d).append('\n');
            any = true;
        }
        for (String line : hostResolv.split("\n")) {
            String t = line.strip();
            if (t.startsWith("nameserver")) {
                if (!dns.isEmpty()) continue;
                String addr = t.substring("nameserver".length()).strip();
                if (!hostNet && (addr.startsWith("127.") || addr.equals("::1"))) continue;
                any = true;
            }
            if (!t.isEmpty()) sb.append(t).append('\n');
        }
        if (!any && !hostNet) sb.append("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        return sb.toString();
    }
}
