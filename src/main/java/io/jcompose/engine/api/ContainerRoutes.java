package io.jcompose.engine.api;

import io.jcompose.engine.container.ContainerException;
import io.jcompose.engine.container.ContainerJson;
import io.jcompose.engine.container.ContainerRecord;
import io.jcompose.engine.container.ContainerService;
import io.jcompose.engine.container.ContainerSpec;
import io.jcompose.engine.container.ContainerState;
import io.jcompose.engine.container.LogFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** Docker's container endpoints over {@link ContainerService}: create … remove, inspect, list, logs, attach, top. */
public final class ContainerRoutes {
    private final ContainerService containers;

    private ContainerRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public static void register(Routes routes, ContainerService containers) {
        ContainerRoutes c = new ContainerRoutes(containers);
        routes.post("/containers/create", c::create)
                .get("/containers/json", c::list)
                .get("/containers/{id}/json", c::inspect)
                .post("/containers/{id}/start", c::start)
                .post("/containers/{id}/stop", c::stop)
                .post("/containers/{id}/restart", c::restart)
                .post("/containers/{id}/kill", c::kill)
                .post("/containers/{id}/pause", c::pause)
                .post("/containers/{id}/unpause", c::unpause)
                .post("/containers/{id}/wait", c::await)
                .delete("/containers/{id}", c::remove)
                .get("/containers/{id}/logs", c::logs)
                .post("/containers/{id}/attach", c::attach)
                .post("/containers/{id}/resize", c::resize)
                .get("/containers/{id}/top", c::top)
                .get("/containers/{id}/stats", c::stats)
                .get("/containers/{id}/archive", c::archiveGet)
                .head("/containers/{id}/archive", c::archiveHead)
                .put("/containers/{id}/archive", c::archivePut);
    }

    /** Maps the container part's failure categories onto Docker's statuses. */
    static ApiException api(ContainerException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> ApiException.conflict(e.getMessage());
            case INVALID -> ApiException.invalid(e.getMessage());
            case INTERNAL -> new ApiException(500, e.getMessage(), e);
        };
    }

    interface Call<T> {
        T run();
    }

    static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (ContainerException e) {
            throw api(e);
        }
    }

    private void create(Request req, Response res) throws IOException {
        byte[] body = req.body().readAllBytes();
        ContainerSpec spec;
        try {
            spec = ContainerJson.MAPPER.readValue(body, ContainerSpec.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw ApiException.invalid(e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiException.invalid("invalid JSON: " + e.getOriginalMessage());
        }
        ContainerRecord r = call(() -> containers.create(req.queryParam("name").orElse(""), spec));
        res.json(201, Map.of("Id", r.id(), "Warnings", List.of()));
    }

    private void start(Request req, Response res) throws IOException {
        boolean started = call(() -> containers.start(req.param("id")));
        res.empty(started ? 204 : 304);
    }

    private static Integer timeout(Request req) {
        String t = req.queryParam("t").orElse(req.queryParam("timeout").orElse(""));
        if (t.isEmpty()) return null;
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("invalid value for t: " + t);
        }
    }

    private void stop(Request req, Response res) throws IOException {
        Integer t = timeout(req);
        boolean stopped = call(() -> containers.stop(req.param("id"), t));
        res.empty(stopped ? 204 : 304);
    }

    private void restart(Request req, Response res) throws IOException {
        Integer t = timeout(req);
        call(() -> {
            containers.restart(req.param("id"), t);
            return null;
        });
        res.empty(204);
    }

    private void kill(Request req, Response res) throws IOException {
        call(() -> {
            containers.kill(req.param("id"), req.queryParam("signal").orElse(""));
            return null;
        });
        res.empty(204);
    }

    private void pause(Request req, Response res) throws IOException {
        call(() -> {
            containers.pause(req.param("id"));
            return null;
        });
        res.empty(204);
    }

    private void unpause(Request req, Response res) throws IOException {
        call(() -> {
            containers.unpause(req.param("id"));
            return null;
        });
        res.empty(204);
    }

    private void remove(Request req, Response res) throws IOException {
        if (req.flag("link")) throw ApiException.invalid("links are not supported");
        call(() -> {
            containers.remove(req.param("id"), req.flag("force"), req.flag("v"));
            return null;
        });
        res.empty(204);
    }

    /** Docker's wait: answers 200 at once (headers), then the result when the condition is met. */
    private void await(Request req, Response res) throws Exception {
        ContainerRecord r = call(() -> containers.get(req.param("id")));
        String condition = req.queryParam("condition").orElse("not-running");
        CompletableFuture<?> done;
        switch (condition) {
            case "not-running", "" -> {
                CompletableFuture<ContainerState> f = containers.nextExit(r.id());
                ContainerRecord now = call(() -> containers.get(r.id()));
                if (!now.state().running() && !now.state().status().equals("restarting")) f.complete(now.state());
                done = f;
            }
            case "next-exit" -> done = containers.nextExit(r.id());
            case "removed" -> done = containers.removed(r.id());
            default -> throw ApiException.invalid("invalid condition: \"" + condition + "\"");
        }
        OutputStream out = res.stream(200, "application/json");
        out.flush();
        Object v = done.get();
        int code = v instanceof ContainerState s ? s.exitCode() : exitCodeOf(r.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("StatusCode", code);
        if (v instanceof ContainerState s && !s.error().isEmpty()) body.put("Error", Map.of("Message", s.error()));
        out.write(Json.MAPPER.writeValueAsBytes(body));
        out.write('\n');
        out.flush();
    }

    private int exitCodeOf(String id) {
        try {
            return containers.get(id).state().exitCode();
        } catch (ContainerException e) {
            return 0;
        }
    }

    // ---- inspect / list ----

    static String name(ContainerRecord r) {
        return "/" + r.name();
    }

    Map<String, Object> inspectBody(ContainerRecord r) {
        ContainerState s = r.state();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", s.status());
        state.put("Running", s.running());
        state.put("Paused", s.status().equals("paused"));
        state.put("Restarting", s.status().equals("restarting"));
        state.put("OOMKilled", s.oomKilled());
        state.put("Dead", s.status().equals("dead"));
        state.put("Pid", s.pid());
        state.put("ExitCode", s.exitCode());
        state.put("Error", s.error());
        state.put("StartedAt", s.startedAt());
        state.put("FinishedAt", s.finishedAt());
        if (s.health() != null) {
            List<Object> log = new ArrayList<>();
            for (ContainerState.HealthResult h : s.health().log()) {
                log.add(Map.of("Start", h.start(), "End", h.end(), "ExitCode", h.exitCode(), "Output", h.output()));
            }
            state.put("Health", Map.of("Status", s.health().status(), "FailingStreak", s.health().failingStreak(), "Log", log));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", r.created());
        m.put("Path", "");
        m.put("Args", List.of());
        m.put("State", state);
        m.put("Image", r.image().id());
        java.nio.file.Path bundle = containers.logPath(r.id()).getParent();
        m.put("ResolvConfPath", bundle.resolve("resolv.conf").toString());
        m.put("HostnamePath", bundle.resolve("hostname").toString());
        m.put("HostsPath", bundle.resolve("hosts").toString());
        m.put("LogPath", containers.logPath(r.id()).toString());
        m.put("Name", name(r));
        m.put("RestartCount", r.restartCount());
        m.put("Driver", "overlay2");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        ContainerSpec spec = r.spec();
        m.put("Config", config(r));
        Map<String, Object> host = ContainerJson.MAPPER.convertValue(spec.hostConfig(), Map.class);
        m.put("HostConfig", host);
        m.put("Mounts", mounts(r));
        m.put("NetworkSettings", networkSettings(r));
        return m;
    }

    /** inspect's {@code Config}: the create body's config with the image's defaults filled in (also what commit keeps). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> config(ContainerRecord r) {
        Map<String, Object> config = ContainerJson.MAPPER.convertValue(r.spec(), Map.class);
        config.remove("HostConfig");
        config.remove("NetworkingConfig");
        config.remove("JcomposeFiles");
        config.putIfAbsent("Hostname", r.id().substring(0, 12));
        config.putIfAbsent("Cmd", r.image().cmd());
        config.putIfAbsent("Entrypoint", r.image().entrypoint().isEmpty() ? null : r.image().entrypoint());
        config.putIfAbsent("User", "");
        config.putIfAbsent("WorkingDir", r.image().workingDir());
        config.put("Env", env(r));
        config.putIfAbsent("Tty", false);
        config.putIfAbsent("OpenStdin", false);
        config.putIfAbsent("StdinOnce", false);
        return config;
    }

    private static List<Object> mounts(ContainerRecord r) {
        List<Object> out = new ArrayList<>();
        for (io.jcompose.engine.volume.MountPoint mp : r.mounts()) out.add(Json.MAPPER.convertValue(mp, Map.class));
        return out;
    }

    /** The container's endpoints (only while it runs) keyed by network id. */
    private Map<String, io.jcompose.engine.network.EndpointRecord> endpoints(ContainerRecord r) {
        Map<String, io.jcompose.engine.network.EndpointRecord> out = new TreeMap<>();
        containers.networks().ifPresent(n -> n.endpointsOf(r.id()).forEach(e -> out.put(e.networkId(), e)));
        return out;
    }

    /** Published ports as Docker's NetworkSettings.Ports: "80/tcp" → [{HostIp, HostPort}], exposed-only → null. */
    private Map<String, Object> ports(ContainerRecord r, Map<String, io.jcompose.engine.network.EndpointRecord> eps) {
        Map<String, Object> ports = new TreeMap<>();
        if (!r.state().running()) return ports;
        for (String p : r.spec().exposedPorts().keySet()) ports.put(p.contains("/") ? p : p + "/tcp", null);
        for (String p : r.image().exposedPorts().keySet()) ports.putIfAbsent(p.contains("/") ? p : p + "/tcp", null);
        containers.networks().ifPresent(n -> {
            for (io.jcompose.engine.network.EndpointRecord e : eps.values()) {
                for (io.jcompose.engine.network.PortBinding b : n.published(e.id())) {
                    String key = b.containerPort() + "/" + b.protocol();
                    @SuppressWarnings("unchecked")
                    List<Object> l = ports.get(key) instanceof List<?> x ? (List<Object>) x : new ArrayList<>();
                    Map<String, Object> hb = new LinkedHashMap<>();
                    hb.put("HostIp", b.hostIp());
                    hb.put("HostPort", Integer.toString(b.hostPort()));
                    l.add(hb);
                    ports.put(key, l);
                }
            }
        });
        return ports;
    }

    private Map<String, Object> networkSettings(ContainerRecord r) {
        Map<String, io.jcompose.engine.network.EndpointRecord> eps = endpoints(r);
        Map<String, Object> net = new LinkedHashMap<>();
        String mode = r.spec().hostConfig().networkMode();
        String sandbox = r.state().running() && !mode.equals("host") ? "/run/netns/" + sandboxName(r) : "";
        net.put("Bridge", "");
        net.put("SandboxID", r.state().running() ? r.id() : "");
        net.put("HairpinMode", false);
        net.put("LinkLocalIPv6Address", "");
        net.put("LinkLocalIPv6PrefixLen", 0);
        net.put("Ports", ports(r, eps));
        net.put("SandboxKey", sandbox);
        net.put("SecondaryIPAddresses", null);
        net.put("SecondaryIPv6Addresses", null);
        Map<String, Object> networks = new TreeMap<>();
        if (mode.equals("host") || mode.equals("none")) {
            networks.put(mode, endpoint(containers.networks().map(n -> n.get(mode).id()).orElse(""), null, List.of()));
        }
        for (Map.Entry<String, ContainerRecord.NetworkConfig> e : r.networks().entrySet()) {
            List<String> aliases = new ArrayList<>(e.getValue().aliases());
            // Docker lists the short id among a user network's aliases; docker-compose 1.29 checks it to decide
            // whether a container is already connected (else it disconnects and reconnects it).
            if (!e.getKey().equals("bridge") && !aliases.contains(r.id().substring(0, 12))) aliases.add(r.id().substring(0, 12));
            Map<String, Object> ep = endpoint(e.getValue().networkId(), eps.get(e.getValue().networkId()), e.getKey().equals("bridge") ? null : aliases);
            if (!e.getValue().ipv4Address().isEmpty()) ep.put("IPAMConfig", Map.of("IPv4Address", e.getValue().ipv4Address()));
            networks.put(e.getKey(), ep);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> bridge = (Map<String, Object>) networks.get("bridge");
        for (String f : List.of("EndpointID", "Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen", "IPAddress", "IPPrefixLen", "IPv6Gateway", "MacAddress")) {
            Object v = bridge == null ? (f.endsWith("PrefixLen") ? 0 : "") : bridge.get(f);
            net.put(f, v);
        }
        net.put("Networks", networks);
        return net;
    }

    private String sandboxName(ContainerRecord r) {
        String mode = r.spec().hostConfig().networkMode();
        String id = r.id();
        if (mode.startsWith("container:")) {
            try {
                id = containers.get(mode.substring("container:".length())).id();
            } catch (ContainerException e) {
                return "";
            }
        }
        return "jc" + containers.rootId() + "-" + id.substring(0, 12);
    }

    private static Map<String, Object> endpoint(String networkId, io.jcompose.engine.network.EndpointRecord e, List<String> aliases) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("IPAMConfig", null);
        m.put("Links", null);
        m.put("Aliases", aliases);
        m.put("NetworkID", networkId);
        m.put("EndpointID", e == null ? "" : e.id());
        m.put("Gateway", e == null ? "" : e.gateway());
        m.put("IPAddress", e == null ? "" : e.ipv4());
        m.put("IPPrefixLen", e == null ? 0 : e.prefix());
        m.put("IPv6Gateway", "");
        m.put("GlobalIPv6Address", "");
        m.put("GlobalIPv6PrefixLen", 0);
        m.put("MacAddress", e == null ? "" : e.mac());
        m.put("DriverOpts", null);
        return m;
    }

    /** Docker's list form of ports: published ones with IP and PublicPort, exposed-only ones without. */
    private List<Object> listPorts(ContainerRecord r, Map<String, Object> ports) {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : ports.entrySet()) {
            String[] pp = e.getKey().split("/", 2);
            int priv = Integer.parseInt(pp[0]);
            String type = pp.length > 1 ? pp[1] : "tcp";
            if (e.getValue() instanceof List<?> l && !l.isEmpty()) {
                for (Object o : l) {
                    Map<?, ?> b = (Map<?, ?>) o;
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("IP", b.get("HostIp"));
                    p.put("PrivatePort", priv);
                    p.put("PublicPort", Integer.parseInt((String) b.get("HostPort")));
                    p.put("Type", type);
                    out.add(p);
                }
            } else {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("PrivatePort", priv);
                p.put("Type", type);
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> env(ContainerRecord r) {
        TreeMap<String, String> seen = new TreeMap<>();
        List<String> out = new ArrayList<>();
        for (String e : r.image().env()) seen.put(e.split("=", 2)[0], e);
        for (String e : r.spec().env()) seen.put(e.split("=", 2)[0], e);
        out.addAll(seen.values());
        return out;
    }

    private void inspect(Request req, Response res) throws IOException {
        ContainerRecord r = call(() -> containers.get(req.param("id")));
        res.json(200, inspectBody(r));
    }

    private void list(Request req, Response res) throws IOException {
        Filters f = Filters.of(req);
        boolean all = req.flag("all") || !f.get("status").isEmpty() || !f.get("exited").isEmpty();
        List<Object> out = new ArrayList<>();
        for (ContainerRecord r : containers.list()) {
            ContainerState s = r.state();
            if (!all && !s.running()) continue;
            if (!f.matchesLabels(r.spec().labels())) continue;
            if (!f.get("name").isEmpty() && f.get("name").stream().noneMatch(n -> r.name().matches(".*" + n.replaceFirst("^/", "") + ".*"))) continue;
            if (!f.get("id").isEmpty() && f.get("id").stream().noneMatch(r.id()::startsWith)) continue;
            if (!f.get("status").isEmpty() && !f.get("status").contains(s.status())) continue;
            if (!f.get("exited").isEmpty() && (s.running() || !f.get("exited").contains(Integer.toString(s.exitCode())))) continue;
            if (!f.get("health").isEmpty() && !f.get("health").contains(s.health() == null ? "none" : s.health().status())) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", r.id());
            m.put("Names", List.of(name(r)));
            m.put("Image", r.spec().image());
            m.put("ImageID", r.image().id());
            m.put("Command", String.join(" ", commandOf(r)));
            m.put("Created", Instant.parse(r.created()).getEpochSecond());
            Map<String, io.jcompose.engine.network.EndpointRecord> eps = endpoints(r);
            m.put("Ports", listPorts(r, ports(r, eps)));
            m.put("Labels", r.spec().labels());
            m.put("State", s.status());
            m.put("Status", statusText(s));
            m.put("HostConfig", Map.of("NetworkMode", r.spec().hostConfig().networkMode()));
            @SuppressWarnings("unchecked")
            Map<String, Object> nets = (Map<String, Object>) networkSettings(r).get("Networks");
            m.put("NetworkSettings", Map.of("Networks", nets));
            m.put("Mounts", mounts(r));
            out.add(m);
        }
        res.json(200, out);
    }

    private static List<String> commandOf(ContainerRecord r) {
        List<String> a = new ArrayList<>(r.spec().entrypoint() != null ? r.spec().entrypoint() : r.image().entrypoint());
        a.addAll(r.spec().cmd() != null ? r.spec().cmd() : r.image().cmd());
        return a;
    }

    /** Docker's human status: "Up 3 seconds (healthy)", "Exited (0) 2 minutes ago", "Created". */
    static String statusText(ContainerState s) {
        return switch (s.status()) {
            case "running", "paused" -> "Up " + ago(s.startedAt()) + (s.status().equals("paused") ? " (Paused)" : "")
                    + (s.health() == null ? "" : s.health().status().equals("starting") ? " (health: starting)" : " (" + s.health().status() + ")");
            case "exited" -> "Exited (" + s.exitCode() + ") " + ago(s.finishedAt()) + " ago";
            case "restarting" -> "Restarting (" + s.exitCode() + ") " + ago(s.finishedAt()) + " ago";
            case "created" -> "Created";
            default -> s.status();
        };
    }

    private static String ago(String t) {
        long sec;
        try {
            sec = Math.max(0, java.time.Duration.between(Instant.parse(t), Instant.now()).getSeconds());
        } catch (RuntimeException e) {
            return "";
        }
        if (sec < 1) return "Less than a second";
        if (sec < 60) return sec + " seconds";
        if (sec < 3600) return (sec / 60) + " minutes";
        return (sec / 3600) + " hours";
    }

    // ---- logs / attach ----

    private static long timeParam(Request req, String name) {
        String v = req.queryParam(name).orElse("");
        if (v.isEmpty() || v.equals("0")) return 0;
        try {
            double d = Double.parseDouble(v);
            return (long) (d * 1_000_000_000L);
        } catch (NumberFormatException e) {
            try {
                Instant i = Instant.parse(v);
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            } catch (RuntimeException x) {
                throw ApiException.invalid("invalid value for " + name + ": " + v);
            }
        }
    }

    private void logs(Request req, Response res) throws Exception {
        ContainerRecord r = call(() -> containers.get(req.param("id")));
        boolean stdout = req.flag("stdout");
        boolean stderr = req.flag("stderr");
        if (!stdout && !stderr) throw ApiException.invalid("Bad parameters: you must choose at least one stream");
        boolean follow = req.flag("follow");
        boolean timestamps = req.flag("timestamps");
        long since = timeParam(req, "since");
        long until = timeParam(req, "until");
        String tailParam = req.queryParam("tail").orElse("all");
        int tail = tailParam.equals("all") || tailParam.isEmpty() ? -1 : Integer.parseInt(tailParam);
        boolean tty = r.spec().isTty();
        OutputStream body = res.stream(200, tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
        MultiplexedOutput mux = new MultiplexedOutput(body);
        java.nio.file.Path path = containers.logPath(r.id());
        LogFile.Snapshot snap = LogFile.readAll(path);
        long offset = snap.offset();
        List<LogFile.Entry> entries = LogFile.parse(snap.lines());
        if (tail >= 0 && entries.size() > tail) entries = entries.subList(entries.size() - tail, entries.size());
        LogWriter w = new LogWriter(mux, body, tty, stdout, stderr, timestamps, since, until);
        for (LogFile.Entry e : entries) w.write(e);
        body.flush();
        if (!follow) return;
        follow(r.id(), path, offset, w, until, new CompletableFuture<>());
    }

    /** Streams new log lines until the container is no longer running (or {@code until} passes). */
    private void follow(String id, java.nio.file.Path path, long offset, LogWriter w, long until, CompletableFuture<?> stop) throws Exception {
        CompletableFuture<ContainerState> exit = containers.nextExit(id);
        try (LogFile.Follower f = new LogFile.Follower(path, offset)) {
            while (true) {
                ContainerRecord cur;
                try {
                    cur = containers.get(id);
                } catch (ContainerException e) {
                    cur = null;
                }
                boolean done = cur == null || (!cur.state().running() && !cur.state().status().equals("restarting")) || exit.isDone()
                        || stop.isDone();
                for (LogFile.Entry e : LogFile.parse(f.poll())) w.write(e);
                w.flush();
                if (done) return;
                if (until > 0 && System.currentTimeMillis() * 1_000_000L > until) return;
                try {
                    exit.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException ignored) {
                    // poll again
                }
            }
        }
    }

    /** Writes log entries as Docker does: frames (or raw for TTY), optional RFC3339Nano timestamps, since/until. */
    static final class LogWriter {
        private final MultiplexedOutput mux;
        private final OutputStream raw;
        private final boolean tty;
        private final boolean stdout;
        private final boolean stderr;
        private final boolean timestamps;
        private final long since;
        private final long until;

        LogWriter(MultiplexedOutput mux, OutputStream raw, boolean tty, boolean stdout, boolean stderr, boolean timestamps, long since, long until) {
            this.mux = mux;
            this.raw = raw;
            this.tty = tty;
            this.stdout = stdout;
            this.stderr = stderr;
            this.timestamps = timestamps;
            this.since = since;
            this.until = until;
        }

        void write(LogFile.Entry e) throws IOException {
            if (e.stream() == 1 && !stdout || e.stream() == 2 && !stderr) return;
            long t = e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano();
            if (since > 0 && t < since) return;
            if (until > 0 && t > until) return;
            String text = timestamps ? java.time.format.DateTimeFormatter.ISO_INSTANT.format(e.time()) + " " + e.text() : e.text();
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            if (tty) {
                raw.write(b);
            } else {
                mux.write(e.stream(), b, 0, b.length);
            }
        }

        void flush() throws IOException {
            raw.flush();
        }
    }

    private void resize(Request req, Response res) throws IOException {
        TerminalSize size = TerminalSize.of(req);
        call(() -> {
            containers.resize(req.param("id"), size.height(), size.width());
            return null;
        });
        res.empty(200);
    }

    /**
     * Attach: the container's output from now on, read from its log, until it exits — what {@code docker start -a},
     * {@code docker run} and {@code docker attach} need — and, with {@code stdin=1}, the client's input to the
     * container's stdin through conmon (see {@link ContainerService#forwardStdin}); the client's half-close ends it,
     * which closes a StdinOnce container's stdin ({@code echo x | docker run -i}). With a TTY, the detach keys
     * ({@code detachKeys}, default ctrl-p ctrl-q) in the input end the attach and leave the container running.
     */
    private void attach(Request req, Response res) throws Exception {
        ContainerRecord r = call(() -> containers.get(req.param("id")));
        boolean stdin = req.flag("stdin");
        boolean stream = req.flag("stream");
        boolean stdout = req.flag("stdout");
        boolean stderr = req.flag("stderr");
        java.nio.file.Path path = containers.logPath(r.id());
        long offset = Files.exists(path) ? Files.size(path) : 0;
        boolean tty = r.spec().isTty();
        // As dockerd: the detach keys apply to a TTY's input; bad ones fail before the hijack.
        io.jcompose.engine.container.DetachKeys keys = call(() -> io.jcompose.engine.container.DetachKeys.parse(req.queryParam("detachKeys").orElse("")));
        Response.Hijacked h = res.hijack(tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
        if (!stream) return;
        OutputStream out = h.out();
        LogWriter w = new LogWriter(new MultiplexedOutput(out), out, tty, stdout, stderr, false, 0, 0);
        // Wait for the start that usually follows the attach, then follow until exit. A short-lived container may
        // start and exit between two polls: a changed StartedAt says it ran, and its output is in the log from offset.
        String startedBefore = r.state().startedAt();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            ContainerRecord cur = call(() -> containers.get(r.id()));
            if (cur.state().running() || !cur.state().startedAt().equals(startedBefore)) break;
            if (System.currentTimeMillis() > deadline) return;
            Thread.sleep(20);
        }
        CompletableFuture<Void> detached = new CompletableFuture<>();
        if (stdin && containers.get(r.id()).state().running()) {
            java.io.InputStream input = tty ? keys.filter(h.in()) : h.in();
            Thread pump = new Thread(() -> {
                try {
                    containers.forwardStdin(r.id(), input);
                    // The detach keys end the attach; the container runs on.
                    if (input instanceof io.jcompose.engine.container.DetachKeys.Filter f && f.detached()) detached.complete(null);
                    // As dockerd: the client's end of input ends the attach too, unless it closed a StdinOnce
                    // container's stdin (then the output runs until the container exits).
                    if (r.spec().isOpenStdin() && (tty || !r.spec().isStdinOnce())) detached.complete(null);
                } catch (IOException | ContainerException e) {
                    // the client or the container went away: nothing more to feed
                }
            }, "attach-stdin");
            pump.setDaemon(true);
            pump.start();
        }
        follow(r.id(), path, offset, w, 0, detached);
        h.closeWrite();
    }

    private java.nio.file.Path rootfsOf(Request req) {
        ContainerRecord r = call(() -> containers.get(req.param("id")));
        if (r.rootfs().isEmpty()) throw ApiException.conflict("container " + r.id() + " has no root filesystem yet");
        return java.nio.file.Path.of(r.rootfs());
    }

    private static String pathParam(Request req) {
        String p = req.queryParam("path").orElse("");
        if (p.isEmpty()) throw ApiException.invalid("bad parameter: path cannot be empty");
        return p;
    }

    private void statHeader(java.nio.file.Path rootfs, String path, Response res) throws IOException {
        io.jcompose.engine.container.Archives.PathStat st;
        try {
            st = io.jcompose.engine.container.Archives.stat(rootfs, path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw ApiException.notFound("Could not find the file " + path + " in container");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", st.name());
        m.put("size", st.size());
        m.put("mode", st.mode());
        m.put("mtime", st.mtime());
        m.put("linkTarget", st.linkTarget());
        res.header("X-Docker-Container-Path-Stat", java.util.Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(m)));
    }

    private void archiveHead(Request req, Response res) throws IOException {
        statHeader(rootfsOf(req), pathParam(req), res);
        res.empty(200);
    }

    private void archiveGet(Request req, Response res) throws IOException {
        java.nio.file.Path rootfs = rootfsOf(req);
        String path = pathParam(req);
        statHeader(rootfs, path, res);
        OutputStream out = res.stream(200, "application/x-tar");
        io.jcompose.engine.container.Archives.write(rootfs, path, out);
    }

    private void archivePut(Request req, Response res) throws IOException {
        java.nio.file.Path rootfs = rootfsOf(req);
        String path = pathParam(req);
        try {
            io.jcompose.engine.container.Archives.extract(rootfs, path, req.body());
        } catch (java.nio.file.NotDirectoryException e) {
            throw ApiException.invalid("extraction point is not a directory: " + path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw ApiException.notFound("Could not find the file " + path + " in container");
        }
        res.empty(200);
    }

    private static Map<String, Object> cpu(io.jcompose.engine.container.Cgroups.Sample s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", s.cpuTotalNanos());
        usage.put("percpu_usage", s.perCpuNanos());
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_usage", usage);
        m.put("system_cpu_usage", s.systemNanos());
        m.put("online_cpus", s.onlineCpus());
        m.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return m;
    }

    /** Docker's stats (cgroup v1 fields the CLI reads): one sample, or one per second with stream=true. */
    private void stats(Request req, Response res) throws Exception {
        ContainerRecord r = call(() -> containers.get(req.param("id")));
        boolean stream = req.queryParam("stream").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(true);
        boolean oneShot = req.flag("one-shot");
        io.jcompose.engine.container.Cgroups.Sample pre = oneShot ? null : containers.stats(r.id());
        Instant preAt = Instant.now();
        if (!oneShot) Thread.sleep(stream ? 0 : 1000); // Docker's non-stream answer carries a one-second precpu window
        OutputStream out = res.stream(200, "application/json");
        while (true) {
            io.jcompose.engine.container.Cgroups.Sample now = call(() -> containers.stats(r.id()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("read", Instant.now().toString());
            m.put("preread", pre == null ? ContainerState.ZERO_TIME : preAt.toString());
            m.put("id", r.id());
            m.put("name", name(r));
            m.put("pids_stats", Map.of("current", now.pids()));
            m.put("cpu_stats", cpu(now));
            m.put("precpu_stats", pre == null ? cpu(new io.jcompose.engine.container.Cgroups.Sample(0, List.of(), 0, 0, 0, 0, 0, 0)) : cpu(pre));
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("usage", now.memoryUsage());
            mem.put("limit", now.memoryLimit());
            mem.put("stats", Map.of("total_inactive_file", now.memoryCache()));
            m.put("memory_stats", mem);
            m.put("blkio_stats", Map.of());
            out.write(Json.MAPPER.writeValueAsBytes(m));
            out.write('\n');
            out.flush();
            if (!stream || oneShot) return;
            pre = now;
            preAt = Instant.now();
            Thread.sleep(1000);
            if (!call(() -> containers.get(r.id())).state().running()) return;
        }
    }

    private void top(Request req, Response res) throws IOException {
        List<Long> pids = call(() -> containers.pids(req.param("id")));
        List<List<String>> procs = new ArrayList<>();
        for (long pid : pids) {
            String cmd = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
            procs.add(List.of("root", Long.toString(pid), cmd));
        }
        res.json(200, Map.of("Titles", List.of("UID", "PID", "CMD"), "Processes", procs));
    }
}
