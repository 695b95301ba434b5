package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.DockerApi.query;
import static io.jcompose.runtime.docker.DockerApi.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.Containers;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.ExecResult;
import io.jcompose.runtime.ExecSpec;
import io.jcompose.runtime.FileSpec;
import io.jcompose.runtime.Feed;
import io.jcompose.runtime.LogFrame;
import io.jcompose.runtime.LogOptions;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.WaitCondition;
import io.jcompose.runtime.Stdio;
import io.jcompose.runtime.Attachment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

final class DockerContainers implements Containers {
    private final DockerApi api;
    private final DockerNetworks networks;

    DockerContainers(DockerApi api, DockerNetworks networks) {
        this.api = api;
        this.networks = networks;
    }

    @Override
    public String create(ContainerSpec spec) {
        String label = spec.name().isEmpty() ? spec.image() : spec.name();
        ObjectNode body = SpecJson.containerCreate(spec, api.version());
        boolean ours = !spec.files().isEmpty() && api.isJcomposeEngine();
        List<FileSpec> copies = new ArrayList<>();
        if (ours) {
            SpecJson.jcomposeFiles(body, spec.files());
        } else {
            // docker compose v2's way on any other engine: host files bound read-only, the rest copied in below.
            // A host file with its own uid/gid/mode is copied too: a bind could only show the host file's (docker
            // compose ignores them with a warning).
            for (FileSpec f : spec.files()) {
                boolean defaults = f.uid().equals("0") && f.gid().equals("0") && f.mode() == 0444;
                if (f.hostPath().isEmpty() || !defaults) copies.add(f);
                else body.with("HostConfig").withArray("Binds").add(f.hostPath() + ":" + f.target() + ":ro");
            }
        }
        JsonNode r = api.post("/containers/create", query("name", spec.name().isEmpty() ? null : spec.name()), body,
                "create container " + label);
        String id = r.path("Id").asText();
        String primary = spec.primaryNetwork().orElse("");
        // API 1.41 creates with one endpoint: join the other networks now, or undo the create. Secrets and
        // configs without a host file are copied in here, before anyone can start the container.
        try {
            for (Map.Entry<String, NetworkAttachment> e : spec.networks().entrySet()) {
                if (!e.getKey().equals(primary)) networks.connect(e.getKey(), id, e.getValue());
            }
            long now = Instant.now().getEpochSecond();
            for (FileSpec f : copies) copyIn(id, label, f, now);
        } catch (EngineException e) {
            try {
                remove(id, true, true);
            } catch (EngineException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return id;
    }

    /** One secret/config into a created container; the owner is kept only when one was asked for (as Compose). */
    private void copyIn(String id, String label, FileSpec f, long mtime) {
        String what = "create container " + label + ": copy " + f.kind().word() + " " + f.name() + " to " + f.target();
        boolean owner = !f.uid().equals("0") || !f.gid().equals("0");
        HttpRequest req = HttpRequest.of("PUT", api.path("/containers/" + seg(id) + "/archive",
                query("path", "/", "copyUIDGID", owner ? "true" : null))).withBodyStream(
                new java.io.ByteArrayInputStream(FileTar.of(f, mtime)), "application/x-tar");
        try (HttpResponse resp = api.http().execute(req)) {
            byte[] b = resp.bytes();
            if (resp.status() >= 300) throw api.error(resp.status(), b, what);
        } catch (java.io.IOException e) {
            throw api.unreachable(e);
        }
    }

    @Override
    public void start(String c) {
        api.post("/containers/" + seg(c) + "/start", null, null, "start container " + c, 304);
    }

    @Override
    public void stop(String c, Duration timeout) {
        api.post("/containers/" + seg(c) + "/stop", query("t", timeout == null ? null : timeout.toSeconds()), null,
                "stop container " + c, 304);
    }

    @Override
    public void kill(String c, String signal) {
        api.post("/containers/" + seg(c) + "/kill", query("signal", signal), null, "kill container " + c);
    }

    @Override
    public void restart(String c, Duration timeout) {
        api.post("/containers/" + seg(c) + "/restart", query("t", timeout == null ? null : timeout.toSeconds()), null,
                "restart container " + c);
    }

    @Override
    public void pause(String c) {
        api.post("/containers/" + seg(c) + "/pause", null, null, "pause container " + c);
    }

    @Override
    public void unpause(String c) {
        api.post("/containers/" + seg(c) + "/unpause", null, null, "unpause container " + c);
    }

    @Override
    public void rename(String c, String newName) {
        api.post("/containers/" + seg(c) + "/rename", query("name", newName), null,
                "rename container " + c + " to " + newName);
    }

    @Override
    public void remove(String c, boolean force, boolean volumes) {
        api.delete("/containers/" + seg(c), query("force", force, "v", volumes), "remove container " + c);
    }

    @Override
    public ContainerInfo inspect(String c) {
        return InfoJson.container(api.get("/containers/" + seg(c) + "/json", null, "inspect container " + c));
    }

    @Override
    public List<ContainerSummary> list(List<String> labelFilters, boolean all) {
        JsonNode r = api.get("/containers/json", query("all", all,
                "filters", labelFilters.isEmpty() ? null : SpecJson.filters(Map.of("label", labelFilters))),
                "list containers");
        List<ContainerSummary> out = new ArrayList<>();
        r.forEach(n -> out.add(InfoJson.containerSummary(n)));
        out.sort(Comparator.comparing(ContainerSummary::name));
        return out;
    }

    @Override
    public Feed<LogFrame> logs(String c, LogOptions o) {
        // API < 1.42 does not say in Content-Type whether the stream is multiplexed: ask whether it is a TTY.
        boolean tty = DockerApi.compare(api.version(), "1.42") < 0 && inspect(c).tty();
        String target = api.path("/containers/" + seg(c) + "/logs", query("stdout", o.stdout(), "stderr", o.stderr(),
                "follow", o.follow(), "tail", o.tail() < 0 ? "all" : Integer.toString(o.tail()),
                "since", seconds(o.since()), "until", seconds(o.until()), "timestamps", o.timestamps()));
        HttpResponse r = api.stream(HttpRequest.of("GET", target), "logs of container " + c);
        String ct = r.header("Content-Type");
        boolean multiplexed;
        if (ct != null && ct.contains("multiplexed")) multiplexed = true;
        else if (DockerApi.compare(api.version(), "1.42") >= 0) multiplexed = false; // raw-stream: a TTY
        else multiplexed = !tty;
        FrameReader frames = new FrameReader(r.body(), multiplexed);
        return new StreamFeed<>(r, frames::next, "logs of container " + c);
    }

    @Override
    public int wait(String c, WaitCondition condition) {
        String cond = switch (condition) {
            case NOT_RUNNING -> "not-running";
            case NEXT_EXIT -> "next-exit";
            case REMOVED -> "removed";
        };
        JsonNode r = api.post("/containers/" + seg(c) + "/wait", query("condition", cond), null,
                "wait for container " + c);
        String err = r.path("Error").path("Message").asText("");
        if (!err.isEmpty()) {
            throw new EngineException(EngineException.Category.OTHER, "wait for container " + c + ": " + err);
        }
        return r.path("StatusCode").asInt();
    }

    @Override
    public ExecResult exec(String c, ExecSpec spec) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = execAttached(c, spec, new Stdio(java.util.Optional.empty(), out, err));
        return new ExecResult(code, out.toByteArray(), err.toByteArray());
    }

    private String createExec(String c, ExecSpec spec, boolean stdin, boolean output) {
        ObjectNode create = api.json.createObjectNode();
        create.put("AttachStdin", stdin).put("AttachStdout", output).put("AttachStderr", output)
                .put("Tty", spec.tty()).put("Privileged", spec.privileged());
        spec.command().forEach(create.putArray("Cmd")::add);
        if (!spec.env().isEmpty()) {
            var env = create.putArray("Env");
            spec.env().forEach((k, v) -> env.add(k + "=" + v));
        }
        if (!spec.user().isEmpty()) create.put("User", spec.user());
        if (!spec.workingDir().isEmpty()) create.put("WorkingDir", spec.workingDir());
        return api.post("/containers/" + seg(c) + "/exec", null, create, "exec in container " + c).path("Id").asText();
    }

    @Override
    public void execDetached(String c, ExecSpec spec) {
        String execId = createExec(c, spec, false, false);
        ObjectNode start = api.json.createObjectNode().put("Detach", true).put("Tty", spec.tty());
        api.post("/exec/" + seg(execId) + "/start", null, start, "exec in container " + c);
    }

    @Override
    public int execAttached(String c, ExecSpec spec, Stdio io) {
        String what = "exec in container " + c;
        String execId = createExec(c, spec, io.stdin().isPresent(), true);
        ObjectNode start = api.json.createObjectNode().put("Detach", false).put("Tty", spec.tty());
        HttpRequest req = HttpRequest.of("POST", api.path("/exec/" + seg(execId) + "/start", null))
                .json(api.bytes(start));
        // Hijacked like the Docker CLI does, so output streams until the process ends and stdin can flow in.
        try (HttpResponse r = api.http().upgrade(req)) {
            if (r.status() >= 300) throw api.error(r.status(), r.bytes(), what);
            try (Connection raw = r.hijack()) {
                if (spec.tty()) io.ttySize().ifPresent(z -> resize("/exec/" + seg(execId) + "/resize", z, what));
                pump(raw, io, !spec.tty(), what);
            }
        } catch (java.io.IOException e) {
            throw api.unreachable(e);
        }
        JsonNode info = api.get("/exec/" + seg(execId) + "/json", null, what);
        // The stream can end a moment before the engine records the exit code: look again briefly.
        for (int i = 0; i < 100 && info.path("Running").asBoolean(false); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(EngineException.Category.OTHER, what + ": interrupted");
            }
            info = api.get("/exec/" + seg(execId) + "/json", null, what);
        }
        return info.path("ExitCode").asInt();
    }

    /**
     * Copies stdin (on a daemon thread: a blocked read of a terminal cannot be interrupted) into the hijacked
     * connection, half-closing it at EOF so the process sees EOF, and the output frames out until the stream ends.
     */
    private static void pump(Connection raw, Stdio io, boolean multiplexed, String what) throws java.io.IOException {
        io.stdin().ifPresent(in -> {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        raw.out().write(buf, 0, n);
                        raw.out().flush();
                    }
                    raw.shutdownOutput();
                } catch (java.io.IOException e) {
                    // The process ended (connection closed) while we were still copying input: nothing to do.
                }
            }, "jcompose-stdin " + what);
            t.setDaemon(true);
            t.start();
        });
        FrameReader frames = new FrameReader(raw.in(), multiplexed);
        LogFrame f;
        while ((f = frames.next()) != null) {
            java.io.OutputStream o = f.stream() == LogFrame.Stream.STDERR ? io.stderr() : io.stdout();
            o.write(f.payload());
            o.flush();
        }
    }

    @Override
    public Attachment attach(String c, Stdio io, boolean tty) {
        String what = "attach to container " + c;
        HttpRequest req = HttpRequest.of("POST", api.path("/containers/" + seg(c) + "/attach",
                query("stream", true, "stdin", io.stdin().isPresent(), "stdout", true, "stderr", true)));
        HttpResponse r;
        try {
            r = api.http().upgrade(req);
            if (r.status() >= 300) {
                byte[] b = r.bytes();
                r.close();
                throw api.error(r.status(), b, what);
            }
        } catch (java.io.IOException e) {
            throw api.unreachable(e);
        }
        Connection raw = r.hijack();
        // Before start the container has no TTY to resize: that happens in await(), once it runs.
        return new Attachment() {
            @Override
            public void await() {
                try {
                    if (tty) io.ttySize().ifPresent(z -> resize("/containers/" + seg(c) + "/resize", z, what));
                    pump(raw, io, !tty, what);
                } catch (java.io.IOException e) {
                    if (!raw.isClosed()) throw api.unreachable(e);
                } finally {
                    close();
                }
            }

            @Override
            public void close() {
                raw.close();
                r.close();
            }
        };
    }

    @Override
    public io.jcompose.runtime.ProcessList top(String c) {
        JsonNode r = api.get("/containers/" + seg(c) + "/top", null, "list processes of container " + c);
        List<String> titles = new ArrayList<>();
        r.path("Titles").forEach(t -> titles.add(t.asText()));
        List<List<String>> rows = new ArrayList<>();
        r.path("Processes").forEach(row -> {
            List<String> cells = new ArrayList<>();
            row.forEach(x -> cells.add(x.asText()));
            rows.add(cells);
        });
        return new io.jcompose.runtime.ProcessList(titles, rows);
    }

    @Override
    public io.jcompose.runtime.ContainerStats stats(String c) {
        JsonNode r = api.get("/containers/" + seg(c) + "/stats", query("stream", false), "read stats of container " + c);
        JsonNode cpu = r.path("cpu_stats");
        JsonNode pre = r.path("precpu_stats");
        JsonNode mem = r.path("memory_stats");
        // docker stats subtracts the page cache: total_inactive_file (cgroup v1) or inactive_file (v2).
        long cache = mem.path("stats").path("total_inactive_file").asLong(mem.path("stats").path("inactive_file").asLong(0));
        long rx = 0;
        long tx = 0;
        for (JsonNode n : r.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        long read = 0;
        long write = 0;
        for (JsonNode e : r.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asText().toLowerCase(java.util.Locale.ROOT);
            if (op.equals("read")) read += e.path("value").asLong();
            if (op.equals("write")) write += e.path("value").asLong();
        }
        int cpus = cpu.path("online_cpus").asInt(0);
        if (cpus == 0) cpus = cpu.path("cpu_usage").path("percpu_usage").size();
        return new io.jcompose.runtime.ContainerStats(cpu.path("cpu_usage").path("total_usage").asLong(),
                pre.path("cpu_usage").path("total_usage").asLong(), cpu.path("system_cpu_usage").asLong(),
                pre.path("system_cpu_usage").asLong(), cpus, Math.max(0, mem.path("usage").asLong() - cache),
                mem.path("limit").asLong(), rx, tx, read, write, r.path("pids_stats").path("current").asLong());
    }

    @Override
    public java.io.InputStream archive(String c, String path) {
        HttpResponse r = api.stream(HttpRequest.of("GET", api.path("/containers/" + seg(c) + "/archive", query("path", path))),
                "copy " + path + " from container " + c);
        return new java.io.FilterInputStream(r.body()) {
            @Override
            public void close() {
                r.close();
            }
        };
    }

    @Override
    public void extract(String c, String dir, java.io.InputStream tar) {
        String what = "copy to " + dir + " in container " + c;
        HttpRequest req = HttpRequest.of("PUT", api.path("/containers/" + seg(c) + "/archive", query("path", dir)))
                .withBodyStream(tar, "application/x-tar");
        try (HttpResponse r = api.http().execute(req)) {
            byte[] b = r.bytes();
            if (r.status() >= 300) throw api.error(r.status(), b, what);
        } catch (java.io.IOException e) {
            throw api.unreachable(e);
        }
    }

    @Override
    public java.util.Optional<Boolean> isDirectory(String c, String path) {
        String what = "stat " + path + " in container " + c;
        try (HttpResponse r = api.http().execute(HttpRequest.of("HEAD", api.path("/containers/" + seg(c) + "/archive", query("path", path))))) {
            if (r.status() == 404) return java.util.Optional.empty();
            if (r.status() >= 300) throw api.error(r.status(), new byte[0], what);
            String stat = r.header("X-Docker-Container-Path-Stat");
            if (stat == null) return java.util.Optional.of(false);
            JsonNode n = api.json.readTree(java.util.Base64.getDecoder().decode(stat.strip()));
            // Go's os.FileMode: the directory bit is 1 << 31.
            return java.util.Optional.of((n.path("mode").asLong() & (1L << 31)) != 0);
        } catch (java.io.IOException e) {
            throw api.unreachable(e);
        }
    }

    /** Sets a TTY's size; a failure only costs the layout, so it is not fatal. */
    private void resize(String path, io.jcompose.runtime.Stdio.Size z, String what) {
        try {
            api.post(path, query("h", z.rows(), "w", z.columns()), null, what + ": resize");
        } catch (EngineException ignored) {
            // e.g. the process already ended
        }
    }

    private static String seconds(Instant t) {
        if (t == null) return null;
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }
}
