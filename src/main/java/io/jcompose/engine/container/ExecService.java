package io.jcompose.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Exec sessions ({@code docker exec}): each runs as {@code runc exec} in the container, based on the container's
 * own process spec (env, cwd, user, capabilities) with the session's additions. The exit code is runc exec's, which
 * is the process's. Without a TTY only: a TTY request runs without one (documented gap).
 */
public final class ExecService {
    private final ContainerService containers;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    ExecService(ContainerService containers) {
        this.containers = containers;
    }

    /** {@code POST /containers/{id}/exec}'s body, Docker-shaped. */
    public record ExecSpec(List<String> cmd, List<String> env, String user, String workingDir, Boolean tty,
                           Boolean attachStdin, Boolean attachStdout, Boolean attachStderr, Boolean privileged) {
        public ExecSpec {
            cmd = cmd == null ? List.of() : List.copyOf(cmd);
            env = env == null ? List.of() : List.copyOf(env);
        }
    }

    /** One session; {@code exitCode} null until it ended. */
    public static final class Session {
        public final String id;
        public final String containerId;
        public final ExecSpec spec;
        volatile boolean running;
        volatile Integer exitCode;
        volatile long pid;
        volatile boolean started;

        Session(String id, String containerId, ExecSpec spec) {
            this.id = id;
            this.containerId = containerId;
            this.spec = spec;
        }

        public boolean running() {
            return running;
        }

        public Integer exitCode() {
            return exitCode;
        }

        public long pid() {
            return pid;
        }
    }

    public ExecService self() {
        return this;
    }

    public Session create(String containerRef, ExecSpec spec) {
        ContainerRecord r = containers.get(containerRef);
        if (!r.state().status().equals("running")) throw ContainerException.conflict("Container " + r.id() + " is not running");
        if (spec.cmd().isEmpty()) throw ContainerException.invalid("No exec command specified");
        Session s = new Session(Hashes.newId(), r.id(), spec);
        sessions.put(s.id, s);
        return s;
    }

    public Session get(String id) {
        Session s = sessions.get(id);
        if (s == null) throw new ContainerException(ContainerException.Kind.NOT_FOUND, "No such exec instance: " + id);
        return s;
    }

    /**
     * Runs the session to its end: stdin from {@code in} (if attached), output to {@code stdout}/{@code stderr}.
     * Returns the exit code.
     */
    public int run(String execId, InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        Session s = get(execId);
        synchronized (s) {
            if (s.started) throw ContainerException.conflict("Exec " + execId + " has already been started");
            s.started = true;
        }
        ContainerRecord r = containers.get(s.containerId);
        if (!r.state().status().equals("running")) throw ContainerException.conflict("Container " + r.id() + " is not running");
        containers.publish(r, "exec_start: " + String.join(" ", s.spec.cmd()));
        Process p = start(r, s.spec);
        s.pid = p.pid();
        s.running = true;
        try {
            Thread pump = null;
            if (Boolean.TRUE.equals(s.spec.attachStdin()) && in != null) {
                pump = new Thread(() -> {
                    try (OutputStream o = p.getOutputStream()) {
                        in.transferTo(o);
                    } catch (IOException ignored) {
                        // client went away or the process closed stdin
                    }
                }, "exec-stdin");
                pump.setDaemon(true);
                pump.start();
            } else {
                p.getOutputStream().close();
            }
            Thread err = new Thread(() -> copy(p.getErrorStream(), stderr), "exec-stderr");
            err.start();
            copy(p.getInputStream(), stdout);
            err.join();
            int code = p.waitFor();
            s.exitCode = code;
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("exec interrupted", e);
        } finally {
            s.running = false;
            if (s.exitCode == null) s.exitCode = 126;
            containers.publish(r, "exec_die", new java.util.TreeMap<>(Map.of("execID", s.id, "exitCode", Integer.toString(s.exitCode))));
        }
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] b = new byte[8192];
        int n;
        try {
            while ((n = in.read(b)) > 0) {
                if (out != null) {
                    try {
                        out.write(b, 0, n);
                        out.flush();
                    } catch (IOException e) {
                        out = null; // client gone: keep draining so the process is not blocked
                    }
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    Process start(ContainerRecord r, ExecSpec spec) throws IOException {
        List<String> cmd = new ArrayList<>(containers.runtime().runtime("exec"));
        for (String e : spec.env()) cmd.addAll(List.of("--env", e));
        if (spec.workingDir() != null && !spec.workingDir().isEmpty()) cmd.addAll(List.of("--cwd", spec.workingDir()));
        if (spec.user() != null && !spec.user().isEmpty()) {
            UserLookup u;
            try {
                u = UserLookup.resolve(java.nio.file.Path.of(r.rootfs()), spec.user(), List.of());
            } catch (IllegalArgumentException e) {
                throw ContainerException.invalid(e.getMessage());
            }
            cmd.addAll(List.of("--user", u.uid() + ":" + u.gid()));
        }
        cmd.add(r.id());
        cmd.addAll(spec.cmd());
        return new ProcessBuilder(cmd).start();
    }

    /** Runs {@code cmd} in the container with a deadline (health probes); output truncated to 4 KiB. */
    record Result(int code, String output) {}

    Result probe(ContainerRecord r, List<String> cmd, long timeoutMillis) throws IOException, InterruptedException {
        Process p = start(r, new ExecSpec(cmd, null, null, null, false, false, true, true, false));
        p.getOutputStream().close();
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        Thread t = new Thread(() -> copy(p.getInputStream(), buf), "probe-out");
        Thread e = new Thread(() -> copy(p.getErrorStream(), buf), "probe-err");
        t.start();
        e.start();
        if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "Health check exceeded timeout (" + timeoutMillis + "ms)");
        }
        t.join(1000);
        e.join(1000);
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out.length() > 4096 ? out.substring(0, 4096) : out);
    }

    /** Forgets the sessions of a removed container. */
    void forget(String containerId) {
        sessions.values().removeIf(s -> s.containerId.equals(containerId));
    }

    void close() {
        sessions.clear();
    }
}
