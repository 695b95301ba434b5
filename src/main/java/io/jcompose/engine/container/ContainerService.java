package io.jcompose.engine.container;

import io.jcompose.engine.network.EndpointHost;
import io.jcompose.engine.network.NetworkException;
import io.jcompose.engine.network.NetworkRecord;
import io.jcompose.engine.network.Networks;
import io.jcompose.engine.state.AtomicFile;
import io.jcompose.engine.volume.ContainerMounts;
import io.jcompose.engine.volume.MountPoint;
import io.jcompose.engine.volume.MountResolver;
import io.jcompose.engine.volume.OciMount;
import io.jcompose.engine.volume.Resolution;
import io.jcompose.engine.volume.RuntimeFiles;
import io.jcompose.engine.volume.VolumeException;
import io.jcompose.engine.volume.Volumes;
import io.jcompose.engine.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The containers of one engine: create, start, stop, kill, wait, remove, and the state behind inspect and list.
 * Every container has one conmon while it runs (see {@link OciRuntime}); the engine learns of exits from conmon's
 * exit files ({@code <root>/exits/<id>}, watched with inotify), records the code (and an OOM kill from the
 * memory cgroup), deletes the runtime's container, publishes {@code die}, and applies the restart policy.
 *
 * <p>Layout under the state root: {@code containers/<id>.json} (state, atomic), {@code containers/<id>/} (bundle:
 * config.json, hosts, resolv.conf, hostname, ctr.log), {@code rootfs/<id>/} (the provider's), {@code runc/}
 * (runtime state), {@code exits/}, {@code s/} (conmon attach sockets).
 *
 * <p>Contract: operations on an unknown id or name fail with NOT_FOUND; start of a running container and stop of a
 * stopped one are no-ops; remove of a running container without force is a CONFLICT.
 */
public final class ContainerService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ContainerService.class.getName());
    static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

    /** Engine settings this part reads. {@code dockerHealthTiming}: no fast first probe (Docker's timing). */
    public record Settings(Path root, String rootId, String runtime, boolean dockerHealthTiming) {}

    private final Settings settings;
    private final RootfsProvider rootfs;
    /** Null when built without engine.network/engine.volume (unit tests): loopback-only netns, bind/tmpfs only. */
    private final ContainerNetworks net;
    private final Volumes volumes;
    private final RuntimeFiles runtimeFiles;
    private final EventBus events;
    private final OciRuntime runtime;
    private final StateStore<ContainerRecord> store;
    private final Path bundles;
    private final Path exits;
    private final Map<String, ContainerRecord> records = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** The state after a force-remove's kill, for removal waiters. */
    private final Map<String, ContainerState> lastExit = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<ContainerState>>> exitWaiters = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<ContainerState>>> removeWaiters = new ConcurrentHashMap<>();
    final ScheduledExecutorService scheduler;
    private final WatchService watcher;
    private final Thread watchThread;
    final HealthMonitor health;
    final ExecService execs;
    private volatile boolean closed;

    private ContainerService(Settings settings, RootfsProvider rootfs, EventBus events, Networks networks, Volumes volumes) throws IOException {
        this.settings = settings;
        this.rootfs = rootfs;
        this.net = networks == null ? null : new ContainerNetworks(networks, settings.rootId());
        this.volumes = volumes;
        this.runtimeFiles = volumes == null ? null : new RuntimeFiles(settings.root().resolve("containers-secrets"));
        this.events = events;
        this.bundles = settings.root().resolve("containers");
        this.exits = settings.root().resolve("exits");
        Files.createDirectories(exits);
        this.store = new StateStore<>(bundles, ContainerRecord.class);
        Path runtimeBinary = OciRuntime.choose(settings.root(), settings.runtime());
        this.runtime = new OciRuntime(runtimeBinary, settings.root().resolve("runc"), settings.root().resolve("s"), "/usr/bin/conmon");
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "containers");
            t.setDaemon(true);
            return t;
        });
        this.watcher = exits.getFileSystem().newWatchService();
        exits.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.health = new HealthMonitor(this, settings.dockerHealthTiming());
        this.execs = new ExecService(this);
        this.watchThread = new Thread(this::watchExits, "exit-watcher");
        this.watchThread.setDaemon(true);
    }

    /**
     * Opens the containers of {@code settings.root()} and re-adopts them: a running container whose conmon is alive
     * is supervised again; one that exited meanwhile gets its code from conmon's exit file (or 255 and an error if
     * conmon died too); restart policies then apply as after any exit.
     */
    public static ContainerService open(Settings settings, RootfsProvider rootfs, EventBus events) throws IOException {
        return open(settings, rootfs, events, null, null);
    }

    /**
     * As {@link #open(Settings, RootfsProvider, EventBus)}, with networks (namespaces, endpoints, ports, DNS) and
     * volumes (named/anonymous volumes, binds, tmpfs, secrets) wired in: what the engine uses.
     */
    public static ContainerService open(Settings settings, RootfsProvider rootfs, EventBus events, Networks networks, Volumes volumes) throws IOException {
        ContainerService s = new ContainerService(settings, rootfs, events, networks, volumes);
        s.watchThread.start();
        s.recover();
        return s;
    }

    /** The state root's short id (in host-global names such as network namespaces). */
    public String rootId() {
        return settings.rootId();
    }

    public EventBus events() {
        return events;
    }

    public ExecService execs() {
        return execs;
    }

    OciRuntime runtime() {
        return runtime;
    }

    public RootfsProvider rootfs() {
        return rootfs;
    }

    private void recover() throws IOException {
        StateStore.Loaded<ContainerRecord> loaded = store.readAll();
        loaded.corrupt().forEach(c -> LOG.warning("container state " + c.file() + " set aside: " + c.problem()));
        records.putAll(loaded.records());
        removeOrphans();
        for (ContainerRecord r : loaded.records().values()) {
            if (!r.state().running() && !r.state().status().equals("restarting") && !r.state().status().equals("removing")) {
                adoptUnrecordedStart(r);
            }
        }
        for (ContainerRecord r : List.copyOf(records.values())) {
            if (r.state().status().equals("removing")) {
                scheduler.execute(() -> quietly(() -> remove(r.id(), true), "finish removal of " + r.id()));
                continue;
            }
            if (!r.state().running() && !r.state().status().equals("restarting")) continue;
            Path exit = exits.resolve(r.id());
            boolean conmonAlive = r.state().conmonPid() > 0 && ProcessHandle.of(r.state().conmonPid())
                    .map(p -> p.info().command().orElse("").endsWith("conmon")).orElse(false);
            if (Files.exists(exit) || !conmonAlive) {
                LOG.info("container " + r.id().substring(0, 12) + " exited while the engine was down");
                scheduler.execute(() -> onExit(r.id()));
            } else {
                LOG.info("re-adopted running container " + r.id().substring(0, 12) + " (conmon " + r.state().conmonPid() + ")");
                health.schedule(r.id(), Duration.ZERO);
            }
        }
    }

    /**
     * An engine killed during create leaves a bundle or a mounted rootfs without a state file, and one killed during
     * start a runtime container; none of them belongs to a container the API knows, so they are released.
     */
    private void removeOrphans() {
        for (Path parent : List.of(bundles, settings.root().resolve("rootfs"), settings.root().resolve("runc"))) {
            if (!Files.isDirectory(parent)) continue;
            try (var s = Files.list(parent)) {
                for (Path d : s.filter(Files::isDirectory).toList()) {
                    String id = d.getFileName().toString();
                    if (!id.matches("[0-9a-f]{64}") || records.containsKey(id)) continue;
                    LOG.info("removing leftovers of an interrupted create: " + d);
                    quietly(() -> runtime.delete(id), "runc delete orphan " + id);
                    quietly(() -> rootfs.release(id), "release orphan rootfs " + id);
                    quietly(() -> Trees.delete(bundles.resolve(id), bundles), "remove orphan bundle " + id);
                    quietly(() -> Trees.delete(settings.root().resolve("runc").resolve(id), settings.root().resolve("runc")), "remove orphan runc state " + id);
                }
            } catch (IOException e) {
                LOG.warning("cannot scan " + parent + " for leftovers: " + e.getMessage());
            }
        }
        // conmon's links to attach sockets of containers that are gone.
        try (var links = Files.list(settings.root().resolve("s"))) {
            for (Path l : links.toList()) {
                if (!records.containsKey(l.getFileName().toString())) quietly(() -> Files.deleteIfExists(l), "remove attach link " + l);
            }
        } catch (IOException e) {
            LOG.warning("cannot scan attach links: " + e.getMessage());
        }
        if (net != null) net.removeOrphans(shortId -> records.keySet().stream().anyMatch(id -> id.startsWith(shortId)));
    }

    /**
     * The engine died between {@code runc start} and saving "running": runc knows a running container the state
     * file calls created/exited. Adopt it (pid and conmon pid from conmon's files); a container runc only created
     * is deleted (conmon then exits), and the record keeps its state.
     */
    private void adoptUnrecordedStart(ContainerRecord r) {
        if (!Files.isDirectory(settings.root().resolve("runc").resolve(r.id()))) return;
        try {
            String st = runtime.status(r.id());
            Path dir = bundles.resolve(r.id());
            if (st.equals("running") && Files.exists(dir.resolve("conmon.pid")) && Files.exists(dir.resolve("pidfile"))) {
                long pid = Long.parseLong(Files.readString(dir.resolve("pidfile")).trim());
                long conmonPid = Long.parseLong(Files.readString(dir.resolve("conmon.pid")).trim());
                LOG.info("adopting container " + r.id().substring(0, 12) + " started just before the engine died");
                ContainerState.Health h = HealthMonitor.enabled(r.spec().healthcheck()) ? new ContainerState.Health("starting", 0, List.of()) : null;
                save(r.with(new ContainerState("running", pid, conmonPid, 0, false, "", now(), ContainerState.ZERO_TIME, h)));
            } else if (!st.equals("running") && !st.equals("paused")) {
                runtime.delete(r.id());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot check runtime state of " + r.id().substring(0, 12) + ": " + e.getMessage());
        }
    }

    // ---- look-ups ----

    /** The container named by full id, name (with or without "/") or unique id prefix. */
    public ContainerRecord get(String ref) {
        ContainerRecord r = records.get(ref);
        if (r != null) return r;
        String name = ref.startsWith("/") ? ref.substring(1) : ref;
        for (ContainerRecord c : records.values()) if (c.name().equals(name)) return c;
        ContainerRecord found = null;
        if (ref.matches("[0-9a-f]{1,63}")) {
            for (ContainerRecord c : records.values()) {
                if (c.id().startsWith(ref)) {
                    if (found != null) throw ContainerException.invalid("multiple containers found with provided prefix: " + ref);
                    found = c;
                }
            }
        }
        if (found == null) throw ContainerException.notFound(ref);
        return found;
    }

    public List<ContainerRecord> list() {
        List<ContainerRecord> l = new ArrayList<>(records.values());
        l.sort((a, b) -> b.created().compareTo(a.created()));
        return l;
    }

    public Path logPath(String id) {
        return bundles.resolve(id).resolve("ctr.log");
    }

    Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private void save(ContainerRecord r) {
        records.put(r.id(), r);
        try {
            store.put(r.id(), r);
        } catch (IOException e) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot save container state: " + e.getMessage(), e);
        }
    }

    void updateState(String id, java.util.function.UnaryOperator<ContainerState> f) {
        synchronized (lock(id)) {
            ContainerRecord r = records.get(id);
            if (r == null) return;
            save(r.with(f.apply(r.state())));
        }
    }

    static String now() {
        return RFC3339.format(Instant.now());
    }

    // ---- lifecycle ----

    /** Creates a container (rootfs prepared, config.json written); {@code name} null or empty for a generated one. */
    public ContainerRecord create(String name, ContainerSpec spec) {
        String n = name == null || name.isEmpty() ? generatedName() : name.startsWith("/") ? name.substring(1) : name;
        if (!n.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw ContainerException.invalid("Invalid container name (" + n + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        LogRotation.of(spec.hostConfig().logConfig()); // refuses bad max-size/max-file now, not at start
        ImageConfig image;
        try {
            image = rootfs.inspect(spec.image());
        } catch (RootfsProvider.ImageNotFoundException e) {
            throw new ContainerException(ContainerException.Kind.NOT_FOUND, e.getMessage());
        } catch (IOException e) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot read image " + spec.image() + ": " + e.getMessage(), e);
        }
        String id = Hashes.newId();
        synchronized (records) {
            for (ContainerRecord c : records.values()) {
                if (c.name().equals(n)) {
                    throw ContainerException.conflict("Conflict. The container name \"/" + n + "\" is already in use by container \""
                            + c.id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
                }
            }
            // Reserve the name before the slow part.
            records.put(id, new ContainerRecord(id, n, now(), spec, image, "", ContainerState.CREATED, 0, false));
        }
        try {
            SortedMap<String, ContainerRecord.NetworkConfig> nets = net == null ? new TreeMap<>() : net.plan(spec);
            if (net != null && ContainerNetworks.kind(spec.hostConfig()).equals("container")) {
                get(spec.hostConfig().networkMode().substring("container:".length()));
            }
            Path dir = bundles.resolve(id);
            Files.createDirectories(dir);
            Path root = rootfs.prepare(id, spec.image());
            ContainerSpec effective = withImageDefaults(spec, image);
            List<MountPoint> points = List.of();
            List<OciMount> oci = null;
            if (volumes != null) {
                java.util.SortedSet<String> imageVolumes = new java.util.TreeSet<>(image.volumes().keySet());
                imageVolumes.addAll(spec.volumes().keySet());
                ContainerSpec.HostConfig h = spec.hostConfig();
                Resolution res = new MountResolver(volumes).resolve(id, new ContainerMounts(h.binds(), h.mounts(), h.tmpfs(), imageVolumes,
                        h.volumesFrom(), h.volumeDriver()), root, other -> {
                            try {
                                return Optional.of(get(other).mounts());
                            } catch (ContainerException e) {
                                return Optional.empty();
                            }
                        });
                points = res.mountPoints();
                oci = new ArrayList<>(res.oci());
                oci.addAll(runtimeFiles.materialise(id, spec.jcomposeFiles(), envLookup(effective, image)));
            }
            ContainerRecord r = new ContainerRecord(id, n, now(), effective, image, root.toString(), ContainerState.CREATED, 0, false, nets, points);
            writeBundle(r, dir, root, oci);
            synchronized (lock(id)) {
                save(r);
            }
            publish(r, "create");
            return r;
        } catch (IllegalArgumentException e) {
            cleanupFailedCreate(id);
            throw ContainerException.invalid(e.getMessage());
        } catch (VolumeException e) {
            cleanupFailedCreate(id);
            throw volumeError(e);
        } catch (IOException | RuntimeException e) {
            cleanupFailedCreate(id);
            if (e instanceof ContainerException ce) throw ce;
            throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot create container: " + e.getMessage(), e);
        }
    }

    /** Fields inspect shows from the image when the create body left them out (Docker merges them into Config). */
    private static ContainerSpec withImageDefaults(ContainerSpec s, ImageConfig img) {
        ContainerSpec.HealthConfig hc = s.healthcheck() != null ? mergeHealth(s.healthcheck(), img.healthcheck()) : img.healthcheck();
        SortedMap<String, String> labels = new TreeMap<>(img.labels());
        labels.putAll(s.labels());
        return new ContainerSpec(s.hostname(), s.domainname(), s.user() != null && !s.user().isEmpty() ? s.user() : img.user(), s.tty(), s.openStdin(), s.stdinOnce(),
                s.attachStdin(), s.attachStdout(), s.attachStderr(), s.env(), s.cmd(), s.entrypoint(), s.image(),
                s.workingDir(), labels, s.stopSignal() != null ? s.stopSignal() : img.stopSignal().isEmpty() ? null : img.stopSignal(),
                s.stopTimeout(), hc, s.exposedPorts(), s.volumes(), s.hostConfig(), s.networkingConfig(), s.jcomposeFiles());
    }

    private static ContainerSpec.HealthConfig mergeHealth(ContainerSpec.HealthConfig c, ContainerSpec.HealthConfig img) {
        if (img == null || !c.test().isEmpty()) {
            if (img == null) return c;
        }
        List<String> test = c.test().isEmpty() ? img.test() : c.test();
        return new ContainerSpec.HealthConfig(test, nz(c.interval(), img.interval()), nz(c.timeout(), img.timeout()),
                c.retries() != null && c.retries() != 0 ? c.retries() : img.retries(), nz(c.startPeriod(), img.startPeriod()),
                nz(c.startInterval(), img.startInterval()));
    }

    private static Long nz(Long a, Long b) {
        return a != null && a != 0 ? a : b;
    }

    private void writeBundle(ContainerRecord r, Path dir, Path root, List<OciMount> volumeMounts) throws IOException {
        String id = r.id();
        ContainerSpec spec = r.spec();
        ImageConfig image = r.image();
        ContainerSpec.HostConfig h = spec.hostConfig();
        boolean hostNet = h.networkMode().equals("host");
        if (net == null && !List.of("default", "bridge", "none", "host").contains(h.networkMode())) {
            throw new IllegalArgumentException("network " + h.networkMode() + " not found (this engine runs without networks)");
        }
        String hostname = SpecBuilder.hostname(spec, id);
        Path hosts = dir.resolve("hosts");
        Path resolv = dir.resolve("resolv.conf");
        Path hostnameFile = dir.resolve("hostname");
        writeInPlace(hosts, hostNet ? Files.readString(Path.of("/etc/hosts")) : SpecBuilder.hostsFile(hostname, h.extraHosts(), false));
        String hostResolv = Files.exists(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "";
        writeInPlace(resolv, SpecBuilder.resolvConf(hostResolv, h.dns(), hostNet));
        writeInPlace(hostnameFile, (hostNet ? io.jcompose.engine.container.HostFiles.hostName() : hostname) + "\n");
        UserLookup user = UserLookup.resolve(root, spec.user(), h.groupAdd());
        SpecBuilder.Inputs in = new SpecBuilder.Inputs(id, spec, image, root.toString(), user, hosts.toString(),
                resolv.toString(), hostnameFile.toString(), settings.rootId(), HostFiles.nofileLimit(), "/usr/bin/tini-static",
                volumeMounts, net == null ? null : net.netnsFor(r, this::get));
        if (Boolean.TRUE.equals(h.init()) && !Files.isExecutable(Path.of("/usr/bin/tini-static"))) {
            throw new IllegalArgumentException("Init needs /usr/bin/tini-static (install Debian's tini)");
        }
        AtomicFile.write(dir.resolve("config.json"), SpecBuilder.toJson(SpecBuilder.build(in)));
    }

    /**
     * Writes a file that may be bind-mounted into a running container: truncate and write the same inode (a rename
     * would give a new inode the container never sees).
     */
    static void writeInPlace(Path f, String content) throws IOException {
        Files.writeString(f, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
    }

    static ContainerException volumeError(VolumeException e) {
        return new ContainerException(switch (e.kind()) {
            case NOT_FOUND -> ContainerException.Kind.NOT_FOUND;
            case CONFLICT -> ContainerException.Kind.CONFLICT;
            case INVALID -> ContainerException.Kind.INVALID;
            default -> ContainerException.Kind.INTERNAL;
        }, e.getMessage(), e);
    }

    /** The container's environment (image's, then its own), for secrets whose source is an environment variable. */
    private static java.util.function.Function<String, Optional<String>> envLookup(ContainerSpec spec, ImageConfig image) {
        Map<String, String> env = new TreeMap<>();
        for (String e : image.env()) if (e.contains("=")) env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        for (String e : spec.env()) if (e.contains("=")) env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        return k -> Optional.ofNullable(env.get(k));
    }

    private void cleanupFailedCreate(String id) {
        records.remove(id);
        if (volumes != null) {
            quietly(() -> volumes.release(id, true), "release volumes of failed create " + id);
            quietly(() -> runtimeFiles.remove(id), "remove secrets of failed create " + id);
        }
        quietly(() -> rootfs.release(id), "release rootfs of failed create " + id);
        quietly(() -> Trees.delete(bundles.resolve(id), bundles), "remove bundle of failed create " + id);
        quietly(() -> store.delete(id), "remove state of failed create " + id);
    }

    private static final String[] ADJ = {"brave", "calm", "eager", "fond", "keen", "jolly", "quiet", "swift", "wise", "bold"};
    private static final String[] NOUN = {"turing", "hopper", "lovelace", "knuth", "ritchie", "thompson", "hamilton", "curie", "noether", "dijkstra"};

    private String generatedName() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        while (true) {
            String n = ADJ[r.nextInt(ADJ.length)] + "_" + NOUN[r.nextInt(NOUN.length)] + r.nextInt(1000);
            if (records.values().stream().noneMatch(c -> c.name().equals(n))) return n;
        }
    }

    /** Starts a created or exited container; a running one is left alone (Docker answers 304). Returns false then. */
    public boolean start(String ref) {
        ContainerRecord r = get(ref);
        synchronized (lock(r.id())) {
            r = records.get(r.id());
            if (r == null) throw ContainerException.notFound(ref);
            if (r.state().running()) return false;
            if (r.state().status().equals("removing")) throw ContainerException.conflict("container " + ref + " is being removed");
            r = r.withRestarts(r.restartCount(), false);
            startLocked(r);
            return true;
        }
    }

    private void startLocked(ContainerRecord r) {
        String id = r.id();
        Path dir = bundles.resolve(id);
        try {
            // After an engine restart (or host reboot) the rootfs may need mounting again.
            rootfs.prepare(id, r.spec().image());
            Files.deleteIfExists(exits.resolve(id));
            // Only a leftover from a crash has runtime state here; asking runc costs a process per start.
            if (Files.exists(settings.root().resolve("runc").resolve(id))) runtime.delete(id);
            // max-file 1 (or none): conmon truncates at max-size itself; more files: the engine rotates
            // (rotateLogs), and conmon gets no cap: its own size count ignores our rotations, so a cap would make it
            // replace a current file that still holds lines nobody has read (seen: one line lost per few rotations).
            LogRotation rot = LogRotation.of(r.spec().hostConfig().logConfig());
            long logMax = rot.maxFiles() <= 1 ? rot.maxSize() : -1;
            if (net != null) net.setUp(r, dir.resolve("hosts"), dir.resolve("resolv.conf"), this::get);
            OciRuntime.Started s;
            try {
                s = runtime.createAndStart(id, dir, logPath(id), logMax, exits, r.spec().isTty(), r.spec().isOpenStdin(), r.spec().isStdinOnce());
            } catch (IOException | RuntimeException e) {
                if (net != null) net.tearDown(id);
                throw e;
            }
            ContainerState.Health h = r.spec().healthcheck() != null && HealthMonitor.enabled(r.spec().healthcheck())
                    ? new ContainerState.Health("starting", 0, List.of()) : null;
            save(r.with(new ContainerState("running", s.pid(), s.conmonPid(), 0, false, "", now(),
                    ContainerState.ZERO_TIME, h)));
        } catch (IOException e) {
            String msg = e.getMessage();
            save(r.with(new ContainerState(r.state().status().equals("created") ? "created" : "exited", 0, 0, 128, false, msg,
                    r.state().startedAt(), r.state().finishedAt(), null)));
            throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot start container " + id.substring(0, 12) + ": " + msg, e);
        }
        publish(records.get(id), "start");
        health.schedule(id, Duration.ZERO);
    }

    static long parseSize(String s) {
        if (s == null || s.isBlank()) return -1;
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'b') t = t.substring(0, t.length() - 1);
        last = t.charAt(t.length() - 1);
        if (last == 'k') mult = 1024;
        else if (last == 'm') mult = 1024 * 1024;
        else if (last == 'g') mult = 1024L * 1024 * 1024;
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            return Long.parseLong(t.trim()) * mult;
        } catch (NumberFormatException e) {
            throw ContainerException.invalid("invalid log max-size '" + s + "'");
        }
    }

    /**
     * Sends the stop signal, waits {@code timeoutSeconds} (null: the container's StopTimeout, else 10), then
     * SIGKILL; returns once the exit is recorded. False if it was not running (Docker answers 304).
     */
    public boolean stop(String ref, Integer timeoutSeconds) {
        ContainerRecord r = get(ref);
        CompletableFuture<ContainerState> exited;
        synchronized (lock(r.id())) {
            r = records.get(r.id());
            if (r == null || !r.state().running()) {
                if (r != null && r.state().status().equals("restarting")) {
                    save(r.withRestarts(r.restartCount(), true).with(withStatus(r.state(), "exited")));
                }
                return false;
            }
            save(r.withRestarts(r.restartCount(), true));
            exited = nextExit(r.id());
            String rid = r.id();
            // A frozen container cannot handle its stop signal.
            if (r.state().status().equals("paused")) quietly(() -> runtime.exec("resume", rid), "resume before stop");
        }
        int t = timeoutSeconds != null ? timeoutSeconds : r.spec().stopTimeout() != null ? r.spec().stopTimeout() : 10;
        String sig = r.spec().stopSignal() != null && !r.spec().stopSignal().isEmpty() ? r.spec().stopSignal() : "SIGTERM";
        String id = r.id();
        try {
            if (t != 0) runtime.kill(id, sig);
            if (t < 0) {
                exited.get();
            } else {
                try {
                    exited.get(t, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    runtime.kill(id, "SIGKILL");
                    exited.get(30, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot stop container " + id.substring(0, 12) + ": " + e.getMessage(), e);
        }
        publish(records.getOrDefault(id, r), "stop");
        return true;
    }

    private static ContainerState withStatus(ContainerState s, String status) {
        return new ContainerState(status, 0, 0, s.exitCode(), s.oomKilled(), s.error(), s.startedAt(), s.finishedAt(), s.health());
    }

    /** Sends {@code signal} (name or number; default SIGKILL); the container must be running (else CONFLICT). */
    public void kill(String ref, String signal) {
        ContainerRecord r = get(ref);
        String sig = signal == null || signal.isEmpty() ? "SIGKILL" : signal;
        if (!r.state().running()) throw ContainerException.conflict("Cannot kill container: " + ref + ": Container " + r.id() + " is not running");
        try {
            runtime.kill(r.id(), sig);
        } catch (IOException e) {
            throw ContainerException.invalid(e.getMessage());
        }
        SortedMap<String, String> extra = new TreeMap<>(Map.of("signal", sig.startsWith("SIG") ? sig.substring(3) : sig));
        publish(r, "kill", extra);
    }

    public void restart(String ref, Integer timeoutSeconds) {
        stop(ref, timeoutSeconds);
        start(ref);
        publish(get(ref), "restart");
    }

    public void pause(String ref) {
        ContainerRecord r = get(ref);
        synchronized (lock(r.id())) {
            // dockerd's words for both refusals (daemon/pause.go), which docker compose relays.
            if (r.state().status().equals("paused")) throw ContainerException.conflict("Container " + r.id() + " is already paused");
            if (!r.state().status().equals("running")) throw ContainerException.conflict("Container " + r.id() + " is not running");
            try {
                Commands.Result res = runtime.exec("pause", r.id());
                if (res.code() != 0) throw new IOException(res.err().strip());
            } catch (IOException e) {
                throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot pause: " + e.getMessage(), e);
            }
            updateState(r.id(), s -> withStatusKeepPid(s, "paused"));
        }
        publish(r, "pause");
    }

    public void unpause(String ref) {
        ContainerRecord r = get(ref);
        synchronized (lock(r.id())) {
            if (!r.state().status().equals("paused")) throw ContainerException.conflict("Container " + r.id() + " is not paused");
            try {
                Commands.Result res = runtime.exec("resume", r.id());
                if (res.code() != 0) throw new IOException(res.err().strip());
            } catch (IOException e) {
                throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot unpause: " + e.getMessage(), e);
            }
            updateState(r.id(), s -> withStatusKeepPid(s, "running"));
        }
        publish(r, "unpause");
    }

    private static ContainerState withStatusKeepPid(ContainerState s, String status) {
        return new ContainerState(status, s.pid(), s.conmonPid(), s.exitCode(), s.oomKilled(), s.error(), s.startedAt(), s.finishedAt(), s.health());
    }

    /** The processes of a running container: {@code ps} output for its pids (Docker's top). */
    public List<Long> pids(String ref) {
        ContainerRecord r = get(ref);
        if (!r.state().running()) throw ContainerException.conflict("Container " + r.id() + " is not running");
        try {
            Commands.Result res = runtime.exec("ps", "--format", "json", r.id());
            List<Long> out = new ArrayList<>();
            for (var n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.out())) out.add(n.asLong());
            return out;
        } catch (IOException e) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot list processes: " + e.getMessage(), e);
        }
    }

    /** A sample of the container's cgroup counters (zeros when it is not running). */
    public Cgroups.Sample stats(String ref) {
        ContainerRecord r = get(ref);
        if (!r.state().running()) return new Cgroups.Sample(0, List.of(), 0, 0, 0, 0, 0, 0);
        return Cgroups.sample(SpecBuilder.cgroupsPath(r.spec().hostConfig(), settings.rootId(), r.id()));
    }

    /** Removes a container: CONFLICT if running unless {@code force} (then SIGKILL first). */
    public void remove(String ref, boolean force) {
        remove(ref, force, false);
    }

    /** As {@link #remove(String, boolean)}; {@code removeVolumes} (Docker's {@code rm -v}) also removes its anonymous volumes. */
    public void remove(String ref, boolean force, boolean removeVolumes) {
        ContainerRecord r = get(ref);
        String id = r.id();
        if (r.state().running()) {
            if (!force) {
                throw ContainerException.conflict("You cannot remove a running container " + id
                        + ". Stop the container before attempting removal or force remove");
            }
            CompletableFuture<ContainerState> exited = nextExit(id);
            synchronized (lock(id)) {
                save(records.get(id).withRestarts(r.restartCount(), true));
            }
            try {
                runtime.kill(id, "SIGKILL");
                lastExit.put(id, exited.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot kill container " + id.substring(0, 12) + ": " + e.getMessage(), e);
            }
        }
        synchronized (lock(id)) {
            ContainerRecord cur = records.get(id);
            if (cur == null) return;
            save(cur.with(withStatus(cur.state(), "removing")));
            health.cancel(id);
            try {
                runtime.delete(id);
                if (net != null) net.tearDown(id);
                if (volumes != null) {
                    volumes.release(id, removeVolumes);
                    runtimeFiles.remove(id);
                }
                rootfs.release(id);
                Trees.delete(bundles.resolve(id), bundles);
                Files.deleteIfExists(exits.resolve(id));
                Files.deleteIfExists(settings.root().resolve("s").resolve(id)); // conmon's link to the attach socket
                store.delete(id);
            } catch (IOException e) {
                throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot remove container " + id.substring(0, 12) + ": " + e.getMessage(), e);
            }
            records.remove(id);
            execs.forget(id);
            Cgroups.removeParentIfEmpty(SpecBuilder.cgroupsPath(cur.spec().hostConfig(), settings.rootId(), id));
            publish(cur, "destroy");
        }
        locks.remove(id);
        // Waiters for removal get the last state (docker run --rm reports its exit code from it).
        ContainerState last = r.state().running() ? Optional.ofNullable(lastExit.remove(id)).orElse(r.state()) : r.state();
        lastExit.remove(id);
        List<CompletableFuture<ContainerState>> w = removeWaiters.remove(id);
        if (w != null) w.forEach(f -> f.complete(last));
        List<CompletableFuture<ContainerState>> e = exitWaiters.remove(id);
        if (e != null) e.forEach(f -> f.complete(r.state()));
    }

    /** Completes with the state after the container's next exit. */
    public CompletableFuture<ContainerState> nextExit(String id) {
        CompletableFuture<ContainerState> f = new CompletableFuture<>();
        exitWaiters.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(f);
        return f;
    }

    /** Completes with the container's last state once it is removed. */
    public CompletableFuture<ContainerState> removed(String id) {
        CompletableFuture<ContainerState> f = new CompletableFuture<>();
        removeWaiters.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(f);
        if (!records.containsKey(id)) f.complete(ContainerState.CREATED);
        return f;
    }

    // ---- commit ----

    /**
     * Copies the container's changes (its overlay upper directory, overlay form: whiteouts as 0/0 devices, opaque
     * xattrs) into {@code into}, which must not exist. With {@code pause} a running container is frozen during the
     * copy (Docker's default), so the copy is consistent.
     */
    public void copyChanges(String ref, Path into, boolean pause) {
        ContainerRecord r = get(ref);
        boolean frozen = false;
        try {
            if (pause && r.state().status().equals("running")) {
                pause(r.id());
                frozen = true;
            }
            Path upper = rootfs.upperDir(r.id());
            // cp -a keeps owners, modes, device nodes (whiteouts) and xattrs (trusted.overlay.opaque, as root).
            Commands.Result res = Commands.exec(List.of("cp", "-a", "--", upper.toString(), into.toString()));
            if (res.code() != 0) throw new IOException("copying " + upper + ": " + res.err().strip());
        } catch (IOException e) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, "cannot read the changes of container " + r.id().substring(0, 12) + ": " + e.getMessage(), e);
        } finally {
            if (frozen) unpause(r.id());
        }
    }

    // ---- stdin, TTY size, log rotation (conmon's attach socket and control FIFO) ----

    /**
     * Feeds {@code in} to the stdin of running container {@code ref} until {@code in} ends, through conmon's attach
     * socket; then the container's stdin closes if it was created StdinOnce ({@code docker run -i}). A container
     * created without OpenStdin has no stdin to feed: {@code in} is read and dropped (as dockerd does).
     */
    public void forwardStdin(String ref, java.io.InputStream in) throws IOException {
        ContainerRecord r = get(ref);
        if (!r.spec().isOpenStdin()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return;
        }
        try (AttachSocket s = AttachSocket.connect(settings.root().resolve("s").resolve(r.id()).resolve("attach"))) {
            s.pump(in);
        }
    }

    /** Sets the TTY size of running container {@code ref} (no-op without a TTY), as {@code POST /containers/{id}/resize}. */
    public void resize(String ref, int height, int width) {
        ContainerRecord r = get(ref);
        if (!r.state().running()) throw ContainerException.conflict("Container " + r.id() + " is not running");
        if (!r.spec().isTty()) return;
        if (height <= 0 || width <= 0) throw ContainerException.invalid("invalid terminal size " + height + "x" + width);
        control(r.id(), "1 " + height + " " + width + "\n");
    }

    /**
     * Writes one message to conmon's control FIFO ({@code <bundle>/ctl}: "1 h w" resizes the TTY, "2 0 0" reopens
     * the log). Opened non-blocking: a FIFO without its reader (conmon gone) must not hang the engine.
     */
    private void control(String id, String message) {
        String ctl = bundles.resolve(id).resolve("ctl").toString();
        int fd = Native.POSIX.open(ctl, 01 | 04000 /* O_WRONLY | O_NONBLOCK */, 0);
        if (fd < 0) {
            throw new ContainerException(ContainerException.Kind.CONFLICT, "container " + id.substring(0, 12) + " has no monitor to talk to (errno " + Native.POSIX.errno() + ")");
        }
        try {
            byte[] b = message.getBytes(StandardCharsets.US_ASCII);
            Native.POSIX.write(fd, b, b.length);
        } finally {
            Native.POSIX.close(fd);
        }
    }

    /**
     * json-file {@code max-file} > 1: the current log is renamed to {@code ctr.log.1} (older ones shift up, the oldest
     * is dropped) once it reaches {@code max-size}, and conmon reopens a fresh file. conmon writes to the renamed file
     * until it reopens, so nothing is lost; readers read the rotated files oldest first. Checked on the exit
     * watcher's tick, so the current file may exceed max-size by what one tick's output adds.
     */
    void rotateLogs() {
        for (ContainerRecord r : records.values()) {
            if (!r.state().running()) continue;
            LogRotation rot = LogRotation.of(r.spec().hostConfig().logConfig());
            if (rot.maxFiles() <= 1) continue;
            Path log = logPath(r.id());
            try {
                if (!Files.exists(log) || Files.size(log) < rot.maxSize()) continue;
                synchronized (lock(r.id())) {
                    LogFile.shift(log, rot.maxFiles());
                    control(r.id(), "2 0 0\n");
                }
            } catch (IOException | ContainerException e) {
                LOG.fine("log rotation of " + r.id().substring(0, 12) + " failed: " + e.getMessage());
            }
        }
    }

    // ---- networks ----

    /** The engine's networks, when wired (inspect reads endpoints and ports from them). */
    public Optional<Networks> networks() {
        return net == null ? Optional.empty() : Optional.of(net.networks());
    }

    /** The network a container's mode names (its first network; ports are published there), if any. */
    public Optional<String> primaryNetwork(ContainerRecord r) {
        return net == null ? Optional.empty() : net.primary(r);
    }

    /** {@code POST /networks/{id}/connect|disconnect}: recorded on the container, applied at once if it runs. */
    public EndpointHost endpointHost() {
        return new EndpointHost() {
            @Override public void connect(NetworkRecord network, String container, List<String> aliases, Optional<String> ipv4) {
                ContainerService.this.connect(network, container, aliases, ipv4);
            }

            @Override public void disconnect(NetworkRecord network, String container, boolean force) {
                ContainerService.this.disconnect(network, container, force);
            }
        };
    }

    private ContainerRecord forNetwork(String ref) {
        if (net == null) throw new NetworkException(NetworkException.Kind.UNSUPPORTED, "this engine runs without networks");
        try {
            return get(ref);
        } catch (ContainerException e) {
            throw new NetworkException(e.kind() == ContainerException.Kind.NOT_FOUND ? NetworkException.Kind.NOT_FOUND
                    : NetworkException.Kind.INVALID, e.kind() == ContainerException.Kind.NOT_FOUND ? "No such container: " + ref : e.getMessage());
        }
    }

    void connect(NetworkRecord n, String ref, List<String> aliases, Optional<String> ipv4) {
        ContainerRecord r0 = forNetwork(ref);
        synchronized (lock(r0.id())) {
            ContainerRecord r = records.get(r0.id());
            if (!ContainerNetworks.kind(r.spec().hostConfig()).equals("bridge")) {
                throw new NetworkException(NetworkException.Kind.INVALID, "container " + r.name() + " uses network mode "
                        + r.spec().hostConfig().networkMode() + ": it cannot be connected to other networks");
            }
            if (!n.driver().equals("bridge")) {
                throw new NetworkException(NetworkException.Kind.INVALID, "container cannot be connected to network " + n.name() + " (" + n.driver() + ")");
            }
            if (r.networks().containsKey(n.name())) {
                throw new NetworkException(NetworkException.Kind.CONFLICT, "endpoint with name " + r.name() + " already exists in network " + n.name());
            }
            ContainerRecord.NetworkConfig c = new ContainerRecord.NetworkConfig(n.id(), aliases, ipv4.orElse(""));
            SortedMap<String, ContainerRecord.NetworkConfig> nets = new TreeMap<>(r.networks());
            nets.put(n.name(), c);
            ContainerRecord updated = r.withNetworks(nets);
            if (r.state().running()) {
                net.attach(updated, n.name(), c);
                rewriteFiles(updated);
            }
            save(updated);
        }
        publish(records.get(r0.id()), "connect");
    }

    void disconnect(NetworkRecord n, String ref, boolean force) {
        ContainerRecord r0 = forNetwork(ref);
        synchronized (lock(r0.id())) {
            ContainerRecord r = records.get(r0.id());
            if (!r.networks().containsKey(n.name())) {
                if (force) return;
                throw new NetworkException(NetworkException.Kind.NOT_FOUND, "container " + r.name() + " is not connected to network " + n.name());
            }
            SortedMap<String, ContainerRecord.NetworkConfig> nets = new TreeMap<>(r.networks());
            nets.remove(n.name());
            ContainerRecord updated = r.withNetworks(nets);
            if (net.networks().endpointsOf(r.id()).stream().anyMatch(e -> e.networkId().equals(n.id()))) {
                net.networks().detach(n.id(), r.id());
                rewriteFiles(updated);
            }
            save(updated);
        }
    }

    private void rewriteFiles(ContainerRecord r) {
        Path dir = bundles.resolve(r.id());
        try {
            net.writeFiles(r, dir.resolve("hosts"), dir.resolve("resolv.conf"));
        } catch (IOException e) {
            LOG.warning("cannot update hosts/resolv.conf of " + r.id().substring(0, 12) + ": " + e.getMessage());
        }
    }

    // ---- exits ----

    private void watchExits() {
        try {
            while (!closed) {
                WatchKey key = watcher.poll(250, TimeUnit.MILLISECONDS);
                if (key != null) {
                    for (var ev : key.pollEvents()) {
                        if (ev.context() instanceof Path p) {
                            String id = p.getFileName().toString();
                            if (records.containsKey(id)) scheduler.execute(() -> onExit(id));
                        }
                    }
                    key.reset();
                }
                rotateLogs();
                // A backstop for missed events (overflow): any running container with an exit file.
                for (ContainerRecord r : records.values()) {
                    if (r.state().running() && Files.exists(exits.resolve(r.id()))) scheduler.execute(() -> onExit(r.id()));
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Records the exit of {@code id} (idempotent: a second call for the same exit does nothing). */
    void onExit(String id) {
        ContainerRecord after;
        synchronized (lock(id)) {
            ContainerRecord r = records.get(id);
            if (r == null || !(r.state().running() || r.state().status().equals("restarting"))) return;
            int code = 255;
            String error = "";
            Path f = exits.resolve(id);
            try {
                if (Files.exists(f)) {
                    String text = Files.readString(f).trim();
                    // conmon may create the file before writing the code: wait briefly for it.
                    for (int i = 0; text.isEmpty() && i < 20; i++) {
                        Thread.sleep(5);
                        text = Files.readString(f).trim();
                    }
                    code = Integer.parseInt(text);
                } else {
                    error = "container monitor (conmon) exited without recording an exit code";
                }
            } catch (IOException | NumberFormatException e) {
                error = "cannot read exit code: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            boolean oom = Cgroups.oomKilled(SpecBuilder.cgroupsPath(r.spec().hostConfig(), settings.rootId(), id));
            // If conmon died but the container lives on (killed monitor), do not leave an orphan behind.
            quietly(() -> runtime.delete(id), "runc delete " + id);
            // Addresses and published ports are held only while the container runs (as Docker).
            if (net != null) net.tearDown(id);
            health.cancel(id);
            ContainerState.Health h = r.state().health() == null ? null
                    : new ContainerState.Health("unhealthy", r.state().health().failingStreak(), r.state().health().log());
            after = r.with(new ContainerState("exited", 0, 0, code, oom, error, r.state().startedAt(), now(), h));
            save(after);
            if (oom) publish(after, "oom");
            SortedMap<String, String> extra = new TreeMap<>(Map.of("exitCode", Integer.toString(code)));
            publish(after, "die", extra);
        }
        List<CompletableFuture<ContainerState>> w = exitWaiters.remove(id);
        if (w != null) w.forEach(f -> f.complete(after.state()));
        RestartPolicies.afterExit(this, after);
    }

    /** Restart after {@code delay} (restart policy): counts the restart and starts unless stopped meanwhile. */
    void scheduleRestart(String id, Duration delay) {
        updateState(id, s -> withStatus(s, "restarting"));
        scheduler.schedule(() -> {
            synchronized (lock(id)) {
                ContainerRecord r = records.get(id);
                if (r == null || !r.state().status().equals("restarting") || r.manuallyStopped() || closed) return;
                r = r.withRestarts(r.restartCount() + 1, false);
                try {
                    startLocked(r);
                } catch (ContainerException e) {
                    LOG.warning("restart of " + id.substring(0, 12) + " failed: " + e.getMessage());
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed;
    }

    ContainerRecord record(String id) {
        return records.get(id);
    }

    // ---- events ----

    void publish(ContainerRecord r, String action) {
        publish(r, action, new TreeMap<>());
    }

    void publish(ContainerRecord r, String action, SortedMap<String, String> extra) {
        SortedMap<String, String> attrs = new TreeMap<>(r.spec().labels());
        attrs.put("image", r.spec().image());
        attrs.put("name", r.name());
        attrs.putAll(extra);
        events.publish("container", action, r.id(), attrs);
    }

    static void quietly(IoAction a, String what) {
        try {
            a.run();
        } catch (Exception e) {
            LOG.log(Level.FINE, what + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws Exception;
    }

    /** Stops supervising (containers keep running under conmon; the next engine re-adopts them). */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        execs.close();
    }

    Optional<ContainerRecord> find(String id) {
        return Optional.ofNullable(records.get(id));
    }
}
