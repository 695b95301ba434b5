package io.jcompose.engine;

import io.jcompose.engine.api.ApiServer;
import io.jcompose.engine.api.AuthRoutes;
import io.jcompose.engine.api.BuildRoutes;
import io.jcompose.engine.api.CommitRoutes;
import io.jcompose.engine.api.EngineIdentity;
import io.jcompose.engine.api.ImageRoutes;
import io.jcompose.engine.api.ObjectCounts;
import io.jcompose.engine.api.NetworkRoutes;
import io.jcompose.engine.api.Routes;
import io.jcompose.engine.network.Networks;
import io.jcompose.engine.api.SystemRoutes;
import io.jcompose.engine.api.ContainerRoutes;
import io.jcompose.engine.api.EventRoutes;
import io.jcompose.engine.api.ExecRoutes;
import io.jcompose.engine.container.ContainerService;
import io.jcompose.engine.container.SnapshotRootfsProvider;
import io.jcompose.engine.container.EventBus;
import io.jcompose.engine.api.VolumeRoutes;
import io.jcompose.engine.image.ImageService;
import io.jcompose.engine.image.RegistryClient;
import io.jcompose.engine.snapshot.Snapshotter;
import io.jcompose.engine.state.AtomicFile;
import io.jcompose.engine.state.StateException;
import io.jcompose.engine.state.StateFormat;
import io.jcompose.engine.volume.Volumes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine daemon: takes the state root's lock, checks its format, opens its log, wires the API routes of every
 * part and serves them on the socket. {@link #close()} stops accepting, lets requests in flight finish (up to the
 * grace period), removes the socket and releases the lock; containers keep running (conmon holds them) and are
 * re-adopted by the next start.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());
    static final String ID_FILE = "engine-id";

    private final EngineConfig config;
    private final StateRoot root;
    private final RootLock lock;
    private final EngineLog log;
    private final Routes routes;
    private final ApiServer server;
    private final Parts parts;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    private Engine(EngineConfig config, StateRoot root, RootLock lock, EngineLog log, Routes routes, ApiServer server, Parts parts) {
        this.parts = parts;
        this.config = config;
        this.root = root;
        this.lock = lock;
        this.log = log;
        this.routes = routes;
        this.server = server;
    }

    /** Starts an engine and returns once its socket accepts requests; failures are {@link EngineException}s. */
    public static Engine start(EngineConfig config) {
        long t0 = System.nanoTime();
        StateRoot root;
        RootLock lock = null;
        EngineLog log = null;
        Parts parts = null;
        try {
            root = StateRoot.open(config.root());
            lock = RootLock.acquire(root.path());
            log = EngineLog.open(root.path(), EngineConfig.julLevel(config.logLevel()), config.logToStderr());
            StateFormat.check(root.path());
            EngineIdentity identity = new EngineIdentity(engineId(root), hostName(), version(), root.path(), root.id(),
                    config.logLevel().equals("debug"), List.of("io.jcompose.root-id=" + root.id()));
            parts = Parts.open(root, config);
            Routes routes = new Routes();
            wire(routes, identity, parts);
            LOG.fine(() -> "routes: " + routes.describe());
            ApiServer server = ApiServer.start(new ApiServer.Options(config.socket(), config.group(), 256, config.grace(),
                    "jcompose-engine/" + identity.version() + " (linux)", ApiServer.Options.DEFAULT_IDLE_TIMEOUT), routes);
            LOG.info(String.format("engine %s started in %d ms, %d ms after JVM start (pid %d, root %s, root id %s, socket %s)", identity.version(),
                    (System.nanoTime() - t0) / 1_000_000, uptimeMillis(), ProcessHandle.current().pid(), root.path(), root.id(), config.socket()));
            return new Engine(config, root, lock, log, routes, server, parts);
        } catch (EngineException | StateException e) {
            if (parts != null) parts.close();
            cleanup(log, lock);
            throw e instanceof EngineException ee ? ee : new EngineException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (log != null) LOG.log(Level.SEVERE, "engine failed to start", e);
            if (parts != null) parts.close();
            cleanup(log, lock);
            throw new EngineException("engine failed to start: " + describe(e), e);
        }
    }

    /**
     * Every part's routes, in one place. Parts register through {@link Routes}, e.g.
     * {@code ImageRoutes.register(routes, images)}; counts for /info come from the parts that own the objects.
     */
    static void wire(Routes routes, EngineIdentity identity, Parts parts) {
        ContainerService containers = parts.containers();
        SystemRoutes.register(routes, identity, () -> counts(containers, parts.images()), parts.registry().config());
        // An image a container was created from (running or not) is in use, as in Docker.
        ImageRoutes.register(routes, parts.images(),
                imageId -> containers.list().stream().anyMatch(c -> c.image() != null && imageId.equals(c.image().id())));
        AuthRoutes.register(routes, parts.registry());
        NetworkRoutes.register(routes, parts.networks(), containers.endpointHost());
        VolumeRoutes.register(routes, parts.volumes());
        ContainerRoutes.register(routes, containers);
        ExecRoutes.register(routes, containers);
        EventRoutes.register(routes, containers.events());
        try {
            BuildRoutes.register(routes, parts.images(), identity.rootDir().resolve("build"), identity.rootId());
            CommitRoutes.register(routes, containers, parts.images(), identity.rootDir().resolve("commit"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("preparing the builder's directories", e);
        }
    }

    private static ObjectCounts counts(ContainerService containers, ImageService images) {
        int running = 0, paused = 0, stopped = 0;
        for (var c : containers.list()) {
            switch (c.state().status()) {
                case "running", "restarting" -> running++;
                case "paused" -> paused++;
                default -> stopped++;
            }
        }
        return new ObjectCounts(running, paused, stopped, ImageRoutes.count(images));
    }

    /**
     * The engine's parts, built once at start from the state root and the configuration. Layout under the root:
     * {@code image/} (content store, unpacked layers, image records), {@code snapshot/} (overlay snapshots).
     */
    record Parts(RegistryClient registry, ImageService images, Snapshotter snapshots, Networks networks, Volumes volumes,
                 ContainerService containers) implements AutoCloseable {
        static Parts open(StateRoot root, EngineConfig config) throws IOException {
            RegistrySettings settings;
            try {
                settings = RegistrySettings.load(root.path()).plus(config.registries());
            } catch (IllegalArgumentException e) {
                throw new EngineException("registry configuration: " + e.getMessage() + "; fix it or remove the file", e);
            }
            if (!settings.mirrors().isEmpty() || !settings.insecure().isEmpty()) {
                LOG.info("registry mirrors " + settings.mirrors() + ", insecure registries " + settings.insecure());
            }
            Snapshotter snapshots = new Snapshotter(root.resolve("snapshot"));
            RegistryClient registry = new RegistryClient(settings.toRegistryConfig());
            ImageService images = new ImageService(root.resolve("image"), registry, snapshots::layerInUse);
            try {
                // Before serving: no pull can be in flight, so anything unreferenced is a crash's leftover.
                long freed = images.collectGarbage();
                if (freed > 0) LOG.info("image store: removed " + freed + " bytes left behind by an interrupted operation");
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "image store garbage collection failed; continuing", e);
            }
            Networks networks = Networks.open(root.resolve("network"), root.id(), Networks.Options.defaults());
            Volumes volumes;
            ContainerService containers;
            try {
                volumes = Volumes.open(root.resolve("volumes"), java.time.Clock.systemUTC());
                // Container root file systems are overlay snapshots of pulled images' layers.
                containers = ContainerService.open(new ContainerService.Settings(root.path(), root.id(), "", dockerHealthTiming(root.path())),
                        new SnapshotRootfsProvider(images, snapshots, root.resolve("mounts")), new EventBus(), networks, volumes);
            } catch (IOException | RuntimeException e) {
                networks.close();
                images.close();
                throw e;
            }
            return new Parts(registry, images, snapshots, networks, volumes, containers);
        }

        /**
         * {@code "health-timing": "docker"} in {@code <root>/engine.json} turns off the fast first probes (Docker's
         * timing: the first probe one interval after start), e.g. for the benchmark's comparison row. Default "fast".
         */
        static boolean dockerHealthTiming(java.nio.file.Path root) throws IOException {
            java.nio.file.Path f = root.resolve(RegistrySettings.FILE);
            if (!java.nio.file.Files.isRegularFile(f)) return false;
            com.fasterxml.jackson.databind.JsonNode n;
            try {
                n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                return false; // RegistrySettings.load has already reported a malformed file
            }
            String t = n == null ? "fast" : n.path("health-timing").asText("fast");
            return switch (t) {
                case "fast" -> false;
                case "docker" -> true;
                default -> throw new EngineException(f + ": health-timing must be \"fast\" or \"docker\", got \"" + t + "\"", null);
            };
        }

        @Override
        public void close() {
            // Containers' supervisors stop first (the containers keep running), then the networks they may use
            // (DNS responders, port proxies), then the image store.
            try {
                containers.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing containers failed", e);
            }
            try {
                networks.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing networks failed", e);
            }
            images.close();
        }
    }

    /** Runs until SIGTERM or SIGINT, then shuts down cleanly; returns the exit code (0). */
    public static int runForeground(EngineConfig config) {
        // Handlers go in before the socket exists: a client that saw /_ping answer may signal us at once, and the
        // JVM's default action would exit 143 without removing the socket.
        CountDownLatch signalled = new CountDownLatch(1);
        Signals.onTermination(sig -> {
            LOG.info("received SIG" + sig + ", shutting down");
            signalled.countDown();
        });
        Engine engine = start(config);
        Thread hook = new Thread(engine::close, "engine-shutdown");
        // A hook covers the ways out that skip our signal handlers (SIGHUP, System.exit elsewhere).
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            signalled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs close() again, which is a no-op
        }
        return 0;
    }

    /** Blocks until {@link #requestStop()} or {@link #close()} (for engines embedded in tests or other programs). */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void requestStop() {
        stopped.countDown();
    }

    public StateRoot root() {
        return root;
    }

    public Path socket() {
        return server.socket();
    }

    /** The live route table: parts started after the engine may still register here. */
    public Routes routes() {
        return routes;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopped.countDown();
        LOG.info("stopping: no new connections; waiting up to " + config.grace().toMillis() + " ms for requests in flight");
        server.close();
        parts.close();
        LOG.info("engine stopped (containers keep running)");
        cleanup(log, lock);
    }

    private static void cleanup(EngineLog log, RootLock lock) {
        if (log != null) log.close();
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                // The lock goes with the process anyway.
            }
        }
    }

    /** The engine's persistent ID (/info's ID): made once per state root. */
    static String engineId(StateRoot root) throws IOException {
        Path f = root.resolve(ID_FILE);
        if (Files.exists(f)) {
            String id = Files.readString(f, StandardCharsets.US_ASCII).trim();
            if (!id.isEmpty()) return id;
        }
        String id = UUID.randomUUID().toString();
        AtomicFile.write(f, (id + "\n").getBytes(StandardCharsets.US_ASCII));
        return id;
    }

    static String hostName() {
        for (String p : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
            try {
                String h = Files.readString(Path.of(p)).trim();
                if (!h.isEmpty()) return h;
            } catch (IOException e) {
                // next
            }
        }
        return "localhost";
    }

    static String version() {
        try (InputStream in = Engine.class.getResourceAsStream("/io/jcompose/version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }

    /** JVM start to now, for the start-up log line of a detached engine. */
    static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }
}
