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
 * is the process's. With a TTY, {@code runc exec --tty} makes the session's terminal inside the container, on a
 * terminal of the engine's ({@link PtyMaster}); the engine copies the client's input to it (up to the detach keys)
 * and its output to the client, and sets its size ({@link #resize}).
 */
public final class ExecService {
    private final ContainerService containers;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    ExecService(ContainerService containers) {
        this.containers = containers;
    }

    /** {@code POST /containers/{id}/exec}'s body, Docker-shaped. */
    public record ExecSpec(List<String> cmd, List<String> env, String user, String workingDir, Boolean tty,
                           Boolean attachStdin, Boolean attachStdout, Boolean attachStderr, Boolean privileged,
                           String detachKeys) {
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
        volatile PtyMaster pty;
        /** The last size asked for ({height, width}), applied when the terminal appears; null: none yet. */
        volatile int[] size;

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
        DetachKeys.parse(spec.detachKeys()); // as dockerd: bad keys fail the create
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
        if (Boolean.TRUE.equals(s.spec.tty())) return runWithTerminal(s, r, in, stdout);
        Process p = start(r, s.spec, null);
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

    /**
     * The TTY form of {@link #run}: one stream (the terminal's), input up to the detach keys. A detach returns at
     * once with -1 while the process runs on (its exit code is still recorded); otherwise returns the exit code once
     * the process ended and its output was copied. See {@link PtyMaster} for the two terminals.
     */
    private int runWithTerminal(Session s, ContainerRecord r, InputStream in, OutputStream out) throws IOException {
        PtyMaster pty;
        Process p;
        try {
            pty = PtyMaster.open();
        } catch (IOException e) {
            finish(s, r, 126);
            throw e;
        }
        int[] size = s.size;
        if (size != null) quietly(() -> pty.resize(size[0], size[1]));
        try {
            p = start(r, s.spec, pty.slave());
        } catch (IOException | RuntimeException e) {
            pty.close();
            finish(s, r, 126);
            throw e;
        }
        s.pty = pty;
        s.pid = p.pid();
        s.running = true;
        if (s.size != size && s.size != null) resize(s.id, s.size[0], s.size[1]); // asked while starting
        Thread output = new Thread(() -> pty.copyTo(out), "exec-tty-out");
        output.setDaemon(true);
        output.start();
        java.util.concurrent.CompletableFuture<Void> detached = new java.util.concurrent.CompletableFuture<>();
        if (Boolean.TRUE.equals(s.spec.attachStdin()) && in != null) {
            DetachKeys.Filter f = DetachKeys.parse(s.spec.detachKeys()).filter(in);
            Thread pump = new Thread(() -> {
                try {
                    pty.copyFrom(f);
                } catch (IOException ignored) {
                    // client or terminal gone
                }
                if (f.detached()) detached.complete(null);
            }, "exec-tty-in");
            pump.setDaemon(true);
            pump.start();
        }
        Thread waiter = new Thread(() -> {
            int code = waitQuietly(p);
            // The output ends (EIO) once runc, the slave's only holder, exited and its copy was read.
            join(output, 5000);
            pty.close();
            finish(s, r, code);
        }, "exec-tty-wait");
        waiter.setDaemon(true);
        waiter.start();
        while (waiter.isAlive() && !detached.isDone()) join(waiter, 50);
        if (detached.isDone() && waiter.isAlive()) return -1;
        join(waiter, 0);
        return s.exitCode;
    }

    /**
     * Sets the terminal size of session {@code execId} ({@code POST /exec/{id}/resize}); asked before the terminal
     * exists (the Docker CLI resizes right after the start), it is applied when it appears. No-op without a TTY.
     */
    public void resize(String execId, int height, int width) {
        Session s = get(execId);
        if (height <= 0 || width <= 0) throw ContainerException.invalid("invalid terminal size " + height + "x" + width);
        if (!Boolean.TRUE.equals(s.spec.tty())) return;
        s.size = new int[] {height, width};
        PtyMaster pty = s.pty;
        if (pty != null && s.running) {
            try {
                pty.resize(height, width);
            } catch (IOException e) {
                throw ContainerException.conflict("exec " + execId + ": " + e.getMessage());
            }
            Native.POSIX.kill((int) s.pid, 28 /* SIGWINCH: runc copies the size to the container's terminal */);
        }
    }

    private void finish(Session s, ContainerRecord r, int code) {
        synchronized (s) {
            if (!s.running && s.exitCode != null) return;
            s.exitCode = code;
            s.running = false;
        }
        containers.publish(r, "exec_die", new java.util.TreeMap<>(Map.of("execID", s.id, "exitCode", Integer.toString(code))));
    }

    private static int waitQuietly(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 126;
        }
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void quietly(IoAction a) {
        try {
            a.run();
        } catch (IOException ignored) {
            // best effort: the size is set again on the client's next resize
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

    /** {@code terminal} non-null: with a TTY, runc's stdio being that terminal (see {@link PtyMaster}). */
    Process start(ContainerRecord r, ExecSpec spec, java.nio.file.Path terminal) throws IOException {
        List<String> cmd = new ArrayList<>(containers.runtime().runtime("exec"));
        // As dockerd: a TTY session gets TERM=xterm unless the exec's own env sets it.
        if (terminal != null) cmd.addAll(List.of("--tty", "--env", "TERM=xterm"));
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
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (terminal != null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(terminal.toFile())).redirectOutput(ProcessBuilder.Redirect.appendTo(terminal.toFile()))
                    .redirectErrorStream(true);
        }
        return pb.start();
    }

    /** Runs {@code cmd} in the container with a deadline (health probes); output truncated to 4 KiB. */
    record Result(int code, String output) {}

    Result probe(ContainerRecord r, List<String> cmd, long timeoutMillis) throws IOException, InterruptedException {
        Process p = start(r, new ExecSpec(cmd, null, null, null, false, false, true, true, false, null), null);
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
