package io.jcompose.engine.api;

import io.jcompose.engine.container.ContainerJson;
import io.jcompose.engine.container.ContainerService;
import io.jcompose.engine.container.ExecService;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Docker's exec endpoints: create, start (hijacked, or detached), inspect. */
public final class ExecRoutes {
    private final ContainerService containers;

    private ExecRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public static void register(Routes routes, ContainerService containers) {
        ExecRoutes e = new ExecRoutes(containers);
        routes.post("/containers/{id}/exec", e::create)
                .post("/exec/{id}/start", e::start)
                .post("/exec/{id}/resize", e::resize)
                .get("/exec/{id}/json", e::inspect);
    }

    private void create(Request req, Response res) throws IOException {
        ExecService.ExecSpec spec;
        try {
            spec = ContainerJson.MAPPER.readValue(req.body().readAllBytes(), ExecService.ExecSpec.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiException.invalid("invalid JSON: " + e.getOriginalMessage());
        }
        ExecService.Session s = ContainerRoutes.call(() -> containers.execs().create(req.param("id"), spec));
        res.json(201, Map.of("Id", s.id));
    }

    record StartBody(Boolean detach, Boolean tty) {}

    private void start(Request req, Response res) throws Exception {
        byte[] raw = req.body().readAllBytes();
        StartBody body = raw.length == 0 ? new StartBody(false, false) : ContainerJson.MAPPER.readValue(raw, StartBody.class);
        ExecService.Session s = ContainerRoutes.call(() -> containers.execs().get(req.param("id")));
        // The session's own Tty decides (a terminal or pipes), and with it the stream format.
        boolean tty = Boolean.TRUE.equals(s.spec.tty());
        if (Boolean.TRUE.equals(body.detach())) {
            Thread t = new Thread(() -> {
                try {
                    containers.execs().run(s.id, null, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
                } catch (Exception ignored) {
                    // recorded in the session
                }
            }, "exec-detached");
            t.setDaemon(true);
            t.start();
            res.empty(200);
            return;
        }
        // Validate before hijacking, so a conflict is still an HTTP error.
        ContainerRoutes.call(() -> containers.get(s.containerId));
        Response.Hijacked h = res.hijack(tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
        OutputStream out = h.out();
        MultiplexedOutput mux = new MultiplexedOutput(out);
        OutputStream stdout = tty ? out : mux.stream(MultiplexedOutput.STDOUT);
        OutputStream stderr = tty ? out : mux.stream(MultiplexedOutput.STDERR);
        try {
            containers.execs().run(s.id, h.in(), stdout, stderr);
        } catch (io.jcompose.engine.container.ContainerException e) {
            byte[] m = (e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            stderr.write(m);
        }
        out.flush();
        h.closeWrite();
    }

    private void resize(Request req, Response res) throws IOException {
        TerminalSize size = TerminalSize.of(req);
        ContainerRoutes.call(() -> {
            containers.execs().resize(req.param("id"), size.height(), size.width());
            return null;
        });
        res.empty(200);
    }

    private void inspect(Request req, Response res) throws IOException {
        ExecService.Session s = ContainerRoutes.call(() -> containers.execs().get(req.param("id")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", s.id);
        m.put("ContainerID", s.containerId);
        m.put("Running", s.running());
        m.put("ExitCode", s.exitCode());
        m.put("Pid", s.pid());
        m.put("OpenStdin", Boolean.TRUE.equals(s.spec.attachStdin()));
        m.put("OpenStdout", !Boolean.FALSE.equals(s.spec.attachStdout()));
        m.put("OpenStderr", !Boolean.FALSE.equals(s.spec.attachStderr()));
        m.put("ProcessConfig", Map.of("tty", Boolean.TRUE.equals(s.spec.tty()), "entrypoint", s.spec.cmd().get(0),
                "arguments", s.spec.cmd().subList(1, s.spec.cmd().size()), "privileged", false));
        m.put("CanRemove", false);
        m.put("DetachKeys", s.spec.detachKeys() == null ? "" : s.spec.detachKeys());
        res.json(200, m);
    }
}
