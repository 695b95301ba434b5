package io.jcompose.reconcile;

import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.ContainerState;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.Containers;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.EngineInfo;
import io.jcompose.runtime.Event;
import io.jcompose.runtime.EventFilter;
import io.jcompose.runtime.Events;
import io.jcompose.runtime.Feed;
import io.jcompose.runtime.Health;
import io.jcompose.runtime.ImageInfo;
import io.jcompose.runtime.Images;
import io.jcompose.runtime.LogFrame;
import io.jcompose.runtime.LogOptions;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.NetworkInfo;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.Networks;
import io.jcompose.runtime.PullProgress;
import io.jcompose.runtime.RegistryAuth;
import io.jcompose.runtime.SystemService;
import io.jcompose.runtime.VersionInfo;
import io.jcompose.runtime.VolumeInfo;
import io.jcompose.runtime.VolumeSpec;
import io.jcompose.runtime.Volumes;
import io.jcompose.runtime.WaitCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A hand-written in-memory engine: enough state for the reconciler and executor, and a record of every call
 * ({@code "create container demo-web-1"}, {@code "inspect container demo-web-1"}) so tests can prove which
 * calls were (not) made. A started container with a health check turns {@link #healthOnStart} (default healthy)
 * at once; {@link #exitOnStart} makes a container exit with a code as soon as it starts.
 */
public final class FakeRuntime implements ContainerRuntime {
    /** Calls in order: {@code "<verb> <kind> <name>"}. Reads use the verbs list and inspect. */
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, FakeContainer> containers = Collections.synchronizedMap(new TreeMap<>());
    public final Map<String, NetworkInfo> networks = Collections.synchronizedMap(new TreeMap<>());
    public final Map<String, VolumeInfo> volumes = Collections.synchronizedMap(new TreeMap<>());
    /** normalised reference → image id */
    public final Map<String, String> images = Collections.synchronizedMap(new TreeMap<>());
    /** container name → health status it reports once started ({@code healthy} when absent). */
    public final Map<String, String> healthOnStart = Collections.synchronizedMap(new TreeMap<>());
    /** container name → exit code it exits with as soon as it starts. */
    public final Map<String, Integer> exitOnStart = Collections.synchronizedMap(new TreeMap<>());
    private int ids;

    /** A container in the fake. */
    public static final class FakeContainer {
        public final String id;
        public String name;
        public final ContainerSpec spec;
        public final String imageId;
        public String status = "created";
        public int exitCode;
        public String health = "";
        public String healthOutput = "";

        FakeContainer(String id, String name, ContainerSpec spec, String imageId) {
            this.id = id;
            this.name = name;
            this.spec = spec;
            this.imageId = imageId;
        }
    }

    private synchronized String nextId() {
        return String.format("%064x", ++ids);
    }

    /** The calls that change state (everything but list/inspect/events/ping). */
    public List<String> mutatingCalls() {
        synchronized (calls) {
            return calls.stream().filter(c -> !c.startsWith("list ") && !c.startsWith("inspect ")
                    && !c.startsWith("events ") && !c.startsWith("ping")).toList();
        }
    }

    /** Adds a container as if created earlier (observed-state fixtures). */
    public FakeContainer put(ContainerSpec spec, String status, String imageId) {
        FakeContainer c = new FakeContainer(nextId(), spec.name(), spec, imageId);
        c.status = status;
        containers.put(c.name, c);
        return c;
    }

    private FakeContainer find(String ref) {
        synchronized (containers) {
            FakeContainer c = containers.get(ref);
            if (c != null) return c;
            for (FakeContainer x : containers.values()) if (x.id.startsWith(ref)) return x;
        }
        throw new EngineException(EngineException.Category.NOT_FOUND, "No such container: " + ref);
    }

    private static boolean matches(Map<String, String> labels, List<String> filters) {
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq < 0 ? !labels.containsKey(f) : !f.substring(eq + 1).equals(labels.get(f.substring(0, eq)))) return false;
        }
        return true;
    }

    private final Containers containerApi = new Containers() {
        public String create(ContainerSpec spec) {
            calls.add("create container " + spec.name());
            if (containers.containsKey(spec.name())) throw new EngineException(EngineException.Category.CONFLICT, "name in use: " + spec.name());
            String img = images.get(Observed.normalise(spec.image()));
            if (img == null) throw new EngineException(EngineException.Category.NOT_FOUND, "No such image: " + spec.image());
            for (String n : spec.networks().keySet()) {
                if (!networks.containsKey(n)) throw new EngineException(EngineException.Category.NOT_FOUND, "network " + n + " not found");
            }
            FakeContainer c = new FakeContainer(nextId(), spec.name(), spec, img);
            containers.put(c.name, c);
            return c.id;
        }

        public void start(String container) {
            calls.add("start container " + container);
            FakeContainer c = find(container);
            Integer exit = exitOnStart.get(c.name);
            if (exit != null) {
                c.status = "exited";
                c.exitCode = exit;
                return;
            }
            c.status = "running";
            if (c.spec.healthcheck().isPresent() && !c.spec.healthcheck().get().test().equals(List.of("NONE"))) {
                c.health = healthOnStart.getOrDefault(c.name, "healthy");
                c.healthOutput = c.health.equals("unhealthy") ? "probe failed: connection refused" : "ok";
            }
        }

        public void stop(String container, Duration timeout) {
            calls.add("stop container " + container);
            FakeContainer c = find(container);
            if (c.status.equals("running")) {
                c.status = "exited";
                c.exitCode = 137;
            }
        }

        public void kill(String container, String signal) {
            calls.add("kill container " + container);
            find(container).status = "exited";
        }

        public void restart(String container, Duration timeout) {
            calls.add("restart container " + container);
            find(container).status = "running";
        }

        public void pause(String container) {
            calls.add("pause container " + container);
        }

        public void unpause(String container) {
            calls.add("unpause container " + container);
        }

        public void rename(String container, String newName) {
            calls.add("rename container " + container + " " + newName);
            FakeContainer c = find(container);
            containers.remove(c.name);
            c.name = newName;
            containers.put(newName, c);
        }

        public void remove(String container, boolean force, boolean volumes) {
            calls.add("remove container " + container);
            FakeContainer c = find(container);
            if (!force && c.status.equals("running")) throw new EngineException(EngineException.Category.CONFLICT, "running");
            containers.remove(c.name);
        }

        public ContainerInfo inspect(String container) {
            calls.add("inspect container " + container);
            FakeContainer c = find(container);
            Optional<Health> health = c.health.isEmpty() ? Optional.empty() : Optional.of(new Health(c.health, 0,
                    List.of(new Health.Probe(Instant.EPOCH, Instant.EPOCH, c.health.equals("healthy") ? 0 : 1, c.healthOutput))));
            ContainerState st = new ContainerState(c.status, c.status.equals("running"), false, false, false, false, 0,
                    c.exitCode, "", null, null, health);
            TreeMap<String, ContainerInfo.EndpointInfo> nets = new TreeMap<>();
            c.spec.networks().keySet().forEach(n -> nets.put(n, new ContainerInfo.EndpointInfo("", "", "", "", List.of())));
            if (nets.isEmpty() && !c.spec.networkMode().isEmpty()) nets.put(c.spec.networkMode(), new ContainerInfo.EndpointInfo("", "", "", "", List.of()));
            return new ContainerInfo(c.id, c.name, c.spec.image(), c.imageId, Instant.EPOCH, c.spec.labels(), c.spec.env(),
                    st, nets, List.of(), List.of(), 0, false);
        }

        public List<ContainerSummary> list(List<String> labelFilters, boolean all) {
            calls.add("list containers");
            List<ContainerSummary> out = new ArrayList<>();
            synchronized (containers) {
                for (FakeContainer c : containers.values()) {
                    if (!all && !c.status.equals("running")) continue;
                    if (matches(c.spec.labels(), labelFilters)) {
                        out.add(new ContainerSummary(c.id, c.name, c.spec.image(), c.imageId, c.spec.labels(), c.status, c.status, Instant.EPOCH));
                    }
                }
            }
            return out;
        }

        public Feed<LogFrame> logs(String container, LogOptions options) {
            calls.add("logs container " + container);
            return feed(List.of(new LogFrame(LogFrame.Stream.STDOUT, ("hello from " + container + "\n").getBytes())));
        }

        public io.jcompose.runtime.ExecResult exec(String container, io.jcompose.runtime.ExecSpec spec) {
            calls.add("exec container " + container);
            find(container);
            return new io.jcompose.runtime.ExecResult(0, new byte[0], new byte[0]);
        }

        public int wait(String container, WaitCondition condition) {
            calls.add("wait container " + container);
            return find(container).exitCode;
        }
    };

    private final Networks networkApi = new Networks() {
        public String create(NetworkSpec spec) {
            calls.add("create network " + spec.name());
            if (networks.containsKey(spec.name())) throw new EngineException(EngineException.Category.CONFLICT, "network exists");
            String id = nextId();
            networks.put(spec.name(), new NetworkInfo(id, spec.name(), "bridge", "local", spec.labels(), spec.internal(),
                    spec.attachable(), spec.enableIpv6(), spec.ipamPools(), spec.options(), null, Instant.EPOCH));
            return id;
        }

        public NetworkInfo inspect(String network) {
            calls.add("inspect network " + network);
            NetworkInfo n = networks.get(network);
            if (n == null) throw new EngineException(EngineException.Category.NOT_FOUND, "network " + network + " not found");
            return n;
        }

        public List<NetworkInfo> list(List<String> labelFilters) {
            calls.add("list networks");
            synchronized (networks) {
                return networks.values().stream().filter(n -> matches(n.labels(), labelFilters)).toList();
            }
        }

        public void remove(String network) {
            calls.add("remove network " + network);
            if (networks.remove(network) == null) throw new EngineException(EngineException.Category.NOT_FOUND, "network " + network + " not found");
        }

        public void connect(String network, String container, NetworkAttachment attachment) {
            calls.add("connect network " + network + " " + container);
        }

        public void disconnect(String network, String container, boolean force) {
            calls.add("disconnect network " + network + " " + container);
        }
    };

    private final Volumes volumeApi = new Volumes() {
        public VolumeInfo create(VolumeSpec spec) {
            calls.add("create volume " + spec.name());
            return volumes.computeIfAbsent(spec.name(), n -> new VolumeInfo(n, "local", "/fake/" + n, spec.labels(), spec.driverOptions(), "local", Instant.EPOCH));
        }

        public VolumeInfo inspect(String name) {
            calls.add("inspect volume " + name);
            VolumeInfo v = volumes.get(name);
            if (v == null) throw new EngineException(EngineException.Category.NOT_FOUND, "volume " + name + " not found");
            return v;
        }

        public List<VolumeInfo> list(List<String> labelFilters) {
            calls.add("list volumes");
            synchronized (volumes) {
                return volumes.values().stream().filter(v -> matches(v.labels(), labelFilters)).toList();
            }
        }

        public void remove(String name, boolean force) {
            calls.add("remove volume " + name);
            if (volumes.remove(name) == null) throw new EngineException(EngineException.Category.NOT_FOUND, "volume " + name + " not found");
        }
    };

    private final Images imageApi = new Images() {
        public void pull(String reference, Optional<RegistryAuth> auth, Consumer<PullProgress> progress) {
            calls.add("pull image " + reference);
            images.putIfAbsent(Observed.normalise(reference), "sha256:" + String.format("%064x", reference.hashCode() & 0xffffffffL));
        }

        public ImageInfo inspect(String reference) {
            calls.add("inspect image " + reference);
            String id = images.get(Observed.normalise(reference));
            if (id == null) throw new EngineException(EngineException.Category.NOT_FOUND, "No such image: " + reference);
            return new ImageInfo(id, List.of(Observed.normalise(reference)), List.of(), Instant.EPOCH, 0, null, null, null, null, "", "", null);
        }

        public List<ImageInfo> list(List<String> labelFilters) {
            calls.add("list images");
            synchronized (images) {
                return images.entrySet().stream().map(e -> new ImageInfo(e.getValue(), List.of(e.getKey()), List.of(),
                        Instant.EPOCH, 0, null, null, null, null, "", "", null)).toList();
            }
        }

        public void remove(String reference, boolean force) {
            calls.add("remove image " + reference);
            if (images.remove(Observed.normalise(reference)) == null) throw new EngineException(EngineException.Category.NOT_FOUND, "No such image: " + reference);
        }

        public void tag(String source, String target) {
            calls.add("tag image " + source + " " + target);
        }

        /** The id is {@link #buildIds}' entry for the image, else derived from the spec; {@link #buildFailures} fail. */
        public String build(io.jcompose.runtime.BuildSpec spec, Consumer<io.jcompose.runtime.BuildProgress> progress) {
            calls.add("build image " + String.join(" ", spec.tags()));
            progress.accept(new io.jcompose.runtime.BuildProgress("Step 1/1 : FROM busybox"));
            String failure = buildFailures.get(spec.image());
            if (failure != null) throw new EngineException(EngineException.Category.OTHER, "build " + spec.image() + ": " + failure, failure, null);
            String id = buildIds.getOrDefault(spec.image(), "sha256:" + String.format("%064x", spec.toString().hashCode() & 0xffffffffL));
            for (String t : spec.tags()) images.put(Observed.normalise(t), id);
            return id;
        }
    };
    /** Image (first tag) → the id its next build gives. */
    public final Map<String, String> buildIds = Collections.synchronizedMap(new TreeMap<>());
    /** Image (first tag) → the message its build fails with. */
    public final Map<String, String> buildFailures = Collections.synchronizedMap(new TreeMap<>());

    @Override
    public Containers containers() {
        return containerApi;
    }

    @Override
    public Images images() {
        return imageApi;
    }

    @Override
    public Networks networks() {
        return networkApi;
    }

    @Override
    public Volumes volumes() {
        return volumeApi;
    }

    @Override
    public Events events() {
        return (EventFilter filter) -> {
            calls.add("events stream");
            return feed(List.<Event>of());
        };
    }

    @Override
    public SystemService system() {
        return new SystemService() {
            public String ping() {
                calls.add("ping");
                return "1.41";
            }

            public VersionInfo version() {
                throw new UnsupportedOperationException("not needed by the composer");
            }

            public EngineInfo info() {
                return new EngineInfo("fake", "fake", "0", 0, 0, 0, "", "", "", 1, 0);
            }
        };
    }

    @Override
    public String endpoint() {
        return "fake://";
    }

    @Override
    public long apiCalls() {
        return calls.size();
    }

    @Override
    public void close() {
    }

    static <T> Feed<T> feed(List<T> items) {
        java.util.Iterator<T> it = items.iterator();
        return new Feed<>() {
            public boolean hasNext() {
                return it.hasNext();
            }

            public T next() {
                return it.next();
            }

            public void close() {
            }
        };
    }
}
