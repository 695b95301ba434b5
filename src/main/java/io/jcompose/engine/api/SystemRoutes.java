package io.jcompose.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * /_ping, /version and /info: what clients call first to find and negotiate with an engine. The Docker CLI
 * reads {@code API-Version} from /_ping and lowers its own version to ours; docker-compose 1.29 calls /version.
 */
public final class SystemRoutes {
    private final EngineIdentity identity;
    private final Supplier<ObjectCounts> counts;
    /** runc/conmon versions: probed once in the background at start, so the first /version does not wait for them. */
    private final java.util.concurrent.CompletableFuture<List<VersionInfo.Component>> runtimeComponents;

    private final io.jcompose.engine.image.RegistryConfig registries;

    private SystemRoutes(EngineIdentity identity, Supplier<ObjectCounts> counts, io.jcompose.engine.image.RegistryConfig registries) {
        this.identity = identity;
        this.counts = counts;
        this.registries = registries;
        this.runtimeComponents = java.util.concurrent.CompletableFuture.supplyAsync(SystemRoutes::probeRuntimeComponents, r -> {
            Thread t = new Thread(r, "probe-runtimes");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Registers the system routes; {@code counts} is asked on every /info (keep it cheap). */
    public static void register(Routes routes, EngineIdentity identity, Supplier<ObjectCounts> counts) {
        register(routes, identity, counts, io.jcompose.engine.image.RegistryConfig.defaults());
    }

    /** As above; /info's RegistryConfig shows {@code registries}' mirrors and insecure hosts ({@code docker info}). */
    public static void register(Routes routes, EngineIdentity identity, Supplier<ObjectCounts> counts,
                                io.jcompose.engine.image.RegistryConfig registries) {
        SystemRoutes s = new SystemRoutes(identity, counts, registries);
        routes.get("/_ping", s::ping).get("/version", s::version).get("/info", s::info);
    }

    private void ping(Request req, Response res) throws IOException {
        res.header("Docker-Experimental", "false");
        res.header("Cache-Control", "no-cache, no-store, must-revalidate");
        res.header("Pragma", "no-cache");
        res.text(200, "text/plain; charset=utf-8", "OK");
    }

    private void version(Request req, Response res) throws IOException {
        String kernel = HostFacts.kernelVersion();
        String runtime = "java" + java.lang.Runtime.version();
        TreeMap<String, String> details = new TreeMap<>();
        details.put("ApiVersion", ApiVersion.MAX.toString());
        details.put("Arch", HostFacts.goArch());
        details.put("BuildTime", "");
        details.put("Experimental", "false");
        details.put("GitCommit", "");
        details.put("GoVersion", runtime);
        details.put("KernelVersion", kernel);
        details.put("MinAPIVersion", ApiVersion.MIN.toString());
        details.put("Os", "linux");
        List<VersionInfo.Component> components = new ArrayList<>();
        components.add(new VersionInfo.Component("Engine", identity.version(), details));
        components.addAll(runtimeComponents.join());
        res.json(200, new VersionInfo(new VersionInfo.Platform("jcompose engine"), components, identity.version(),
                ApiVersion.MAX.toString(), ApiVersion.MIN.toString(), "", runtime, "linux", HostFacts.goArch(), kernel,
                false, ""));
    }

    private static List<VersionInfo.Component> probeRuntimeComponents() {
        List<VersionInfo.Component> c = new ArrayList<>();
        for (String tool : List.of("runc", "conmon")) {
            String v = toolVersion(tool);
            if (v != null) c.add(new VersionInfo.Component(tool, v, new TreeMap<>(Map.of("GitCommit", ""))));
        }
        return List.copyOf(c);
    }

    /** The version word of {@code tool --version} ("runc version 1.1.5+ds1" → "1.1.5+ds1"), or null if absent. */
    static String toolVersion(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            String first = out.lines().findFirst().orElse("");
            int at = first.indexOf("version ");
            return at < 0 ? first.trim() : first.substring(at + 8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void info(Request req, Response res) throws IOException {
        ObjectCounts n = counts.get();
        boolean v2 = HostFacts.cgroupVersion().equals("2");
        var indexes = new TreeMap<String, SystemInfo.IndexInfo>();
        registries.mirrors().forEach((domain, urls) -> indexes.put(domain, new SystemInfo.IndexInfo(domain,
                urls.stream().map(java.net.URI::toString).toList(), true, domain.equals("docker.io"))));
        indexes.putIfAbsent("docker.io", new SystemInfo.IndexInfo("docker.io", List.of(), true, true));
        for (String host : registries.insecure()) {
            SystemInfo.IndexInfo i = indexes.get(host);
            indexes.put(host, new SystemInfo.IndexInfo(host, i == null ? List.of() : i.mirrors(), false, false));
        }
        var registry = new SystemInfo.RegistryConfig(List.of(), List.of(), List.of("127.0.0.0/8"), indexes,
                indexes.get("docker.io").mirrors());
        var runtimes = new TreeMap<String, SystemInfo.Runtime>(Map.of("runc", new SystemInfo.Runtime("runc")));
        res.json(200, new SystemInfo(
                identity.id(), n.containers(), n.running(), n.paused(), n.stopped(), n.images(),
                "overlay2", List.of(List.of("Backing Filesystem", "extfs"), List.of("Supports d_type", "true"),
                        List.of("Native Overlay Diff", "true"), List.of("userxattr", "false")),
                new SystemInfo.Plugins(List.of("local"), List.of("bridge", "host", "null"), null, List.of("json-file")),
                true, !v2, false, false, true, true, true, true, true,
                HostFacts.sysctlOn("/proc/sys/net/ipv4/ip_forward"),
                HostFacts.sysctlOn("/proc/sys/net/bridge/bridge-nf-call-iptables"),
                HostFacts.sysctlOn("/proc/sys/net/bridge/bridge-nf-call-ip6tables"),
                identity.debug(), HostFacts.openFiles(), false, Thread.activeCount(),
                DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC)),
                "json-file", "cgroupfs", HostFacts.cgroupVersion(), 0,
                HostFacts.kernelVersion(), HostFacts.osRelease("PRETTY_NAME", "Linux"), HostFacts.osRelease("VERSION_ID", ""),
                "linux", HostFacts.machine(), "https://index.docker.io/v1/", registry,
                java.lang.Runtime.getRuntime().availableProcessors(), HostFacts.memTotal(),
                identity.rootDir().toString(), "", "", "", identity.name(), identity.labels(), false,
                identity.version(), runtimes, "runc",
                new SystemInfo.Swarm("", "", "inactive", false, "", null),
                // Containers outlive the engine (conmon holds them) and are re-adopted on start.
                true, "", "", new SystemInfo.Commit("", ""), new SystemInfo.Commit("", ""), new SystemInfo.Commit("", ""),
                List.of(), null));
    }
}
