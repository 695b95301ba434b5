package io.jcompose.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The OCI runtime (runc; crun where it works) driven through one conmon per container, as Podman does: conmon
 * double-forks, runs {@code runtime create}, reports the container's pid as {@code {"data": pid}} on its sync
 * pipe (fd 3, here a FIFO), keeps the container's stdio, writes the log ({@code k8s-file}) and, when the
 * container exits, its exit code to {@code <exitDir>/<id>}. The engine then runs {@code runtime start}.
 * Because conmon, not the engine, is the parent, the engine may die and restart without the container noticing.
 */
public final class OciRuntime {
    private static final Logger LOG = Logger.getLogger(OciRuntime.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;
    private final Path runtimeRoot;
    private final Path socketDir;
    private final String conmon;

    OciRuntime(Path binary, Path runtimeRoot, Path socketDir, String conmon) throws IOException {
        this.binary = binary;
        this.runtimeRoot = runtimeRoot;
        this.socketDir = socketDir;
        this.conmon = conmon;
        Files.createDirectories(runtimeRoot);
        Files.createDirectories(socketDir);
    }

    /**
     * Chooses the OCI runtime: crun if {@code crun run} of a trivial bundle works here (it refuses hybrid cgroup
     * hosts), else runc. Logs the choice and why. {@code forced}: a configured runtime path, used as it is.
     */
    static Path choose(Path scratch, String forced) {
        if (forced != null && !forced.isEmpty()) {
            LOG.info("OCI runtime: " + forced + " (configured)");
            return Path.of(forced);
        }
        Path runc = Path.of("/usr/sbin/runc");
        Path crun = Path.of("/usr/bin/crun");
        if (Files.isExecutable(crun)) {
            String why;
            try {
                // A real run of /bin/true with the host's root read-only: on hybrid hosts crun fails at cgroup set-up.
                Path bundle = scratch.resolve("crun-probe");
                Files.createDirectories(bundle);
                Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/bin/true\"],"
                        + "\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}},\"root\":{\"path\":\"/\",\"readonly\":true},\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}],"
                        + "\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"}]}}");
                Commands.Result r = Commands.exec(List.of(crun.toString(), "--root", bundle.resolve("state").toString(),
                        "run", "--bundle", bundle.toString(), "jc-probe-" + ProcessHandle.current().pid()));
                Trees.delete(bundle, scratch);
                if (r.code() == 0) {
                    LOG.info("OCI runtime: crun (probe run of /bin/true succeeded)");
                    return crun;
                }
                why = r.err().strip();
            } catch (IOException e) {
                why = e.getMessage();
            }
            LOG.info("OCI runtime: runc (crun does not work here: " + why.lines().findFirst().orElse(why) + ")");
        } else {
            LOG.info("OCI runtime: runc (crun not installed)");
        }
        return runc;
    }

    Path binary() {
        return binary;
    }

    /** The container's process as conmon reported it. */
    record Started(long pid, long conmonPid) {}

    /**
     * Creates the container under a new conmon and starts it. {@code bundle} holds config.json; logs go to
     * {@code logPath}; the exit code to {@code exitDir/<id>}.
     */
    Started createAndStart(String id, Path bundle, Path logPath, long logSizeMax, Path exitDir, boolean tty,
                           boolean stdin, boolean stdinOnce) throws IOException {
        Path fifo = bundle.resolve("sync.fifo");
        Files.deleteIfExists(fifo);
        if (Native.POSIX.mkfifo(fifo.toString(), 0600) != 0) {
            throw new IOException("mkfifo " + fifo + " failed (errno " + Native.POSIX.errno() + ")");
        }
        Files.deleteIfExists(bundle.resolve("conmon.pid"));
        Files.deleteIfExists(bundle.resolve("pidfile"));
        // 3<> (read-write) never blocks on a FIFO: with 3> the shell would wait for our reader forever if the engine
        // died between starting it and opening the FIFO, leaving a shell (and its root) behind. conmon holds the only
        // write end either way, so our reader still sees EOF when conmon goes.
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 3<>\"$JC_SYNC\"", "conmon", conmon,
                "--api-version", "1", "-c", id, "-u", id, "-n", id.substring(0, 12), "-r", binary.toString(),
                "-b", bundle.toString(), "-p", bundle.resolve("pidfile").toString(),
                "-P", bundle.resolve("conmon.pid").toString(), "--exit-dir", exitDir.toString(),
                "-l", "k8s-file:" + logPath, "--socket-dir-path", socketDir.toString(),
                "--runtime-arg", "--root=" + runtimeRoot, "--log-level=error"));
        if (logSizeMax > 0) cmd.addAll(List.of("--log-size-max", Long.toString(logSizeMax)));
        if (tty) cmd.add("-t");
        // -i: conmon holds a pipe (or the TTY) for stdin, fed through its attach socket. Without
        // --leave-stdin-open conmon closes the container's stdin when an attached client goes: StdinOnce. As dockerd,
        // never for a TTY: a client that detached (ctrl-p ctrl-q) leaves the terminal usable for the next attach.
        if (stdin) cmd.add("-i");
        if (stdin && (!stdinOnce || tty)) cmd.add("--leave-stdin-open");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(bundle.resolve("conmon.out").toFile());
        Map<String, String> env = pb.environment();
        env.put("JC_SYNC", fifo.toString());
        env.put("_OCI_SYNCPIPE", "3");
        Process p = pb.start();
        // If conmon dies before opening its end, our blocking open/read is released by a writer we open ourselves.
        p.onExit().thenRun(() -> {
            if (p.exitValue() != 0) unblock(fifo);
        });
        CompletableFuture<String> msg = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo);
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                StringBuilder sb = new StringBuilder();
                int c;
                // One JSON object: read to its closing brace (conmon keeps the pipe open afterwards).
                while ((c = r.read()) >= 0) {
                    sb.append((char) c);
                    if (c == '}') break;
                }
                return sb.toString();
            } catch (IOException e) {
                return "";
            }
        });
        String text;
        try {
            text = msg.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            unblock(fifo);
            throw new IOException("conmon did not report the container's pid within 60 s" + conmonOutput(bundle));
        } finally {
            Files.deleteIfExists(fifo);
        }
        if (text.isBlank()) throw new IOException("conmon failed before creating the container" + conmonOutput(bundle));
        JsonNode m = JSON.readTree(text);
        long pid = m.path("data").asLong(-1);
        if (pid <= 0) {
            String why = m.path("message").asText("");
            throw new IOException("runc create failed: " + (why.isEmpty() ? text : why.strip()));
        }
        long conmonPid = Long.parseLong(Files.readString(bundle.resolve("conmon.pid")).trim());
        Commands.Result start = Commands.exec(runtime("start", id));
        if (start.code() != 0) {
            exec("delete", "--force", id);
            throw new IOException("runc start failed: " + start.err().strip());
        }
        return new Started(pid, conmonPid);
    }

    private static void unblock(Path fifo) {
        try (OutputStream o = Files.newOutputStream(fifo)) {
            o.flush();
        } catch (IOException ignored) {
            // the fifo is gone: nobody is waiting
        }
    }

    private static String conmonOutput(Path bundle) {
        try {
            String s = Files.readString(bundle.resolve("conmon.out")).strip();
            return s.isEmpty() ? "" : ": " + s.lines().reduce((a, b) -> b).orElse(s);
        } catch (IOException e) {
            return "";
        }
    }

    List<String> runtime(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--root", runtimeRoot.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Commands.Result exec(String... args) throws IOException {
        return Commands.exec(runtime(args));
    }

    void kill(String id, String signal) throws IOException {
        Commands.Result r = exec("kill", id, signal);
        if (r.code() != 0 && !r.err().contains("not running") && !r.err().contains("does not exist")) {
            throw new IOException("runc kill " + signal + " failed: " + r.err().strip());
        }
    }

    /** runc's status of {@code id}: created, running, paused, stopped, or "" if it has no such container. */
    String status(String id) throws IOException {
        Commands.Result r = exec("state", id);
        if (r.code() != 0) return "";
        return JSON.readTree(r.out()).path("status").asText("");
    }

    void delete(String id) throws IOException {
        Commands.Result r = exec("delete", "--force", id);
        if (r.code() != 0 && !r.err().contains("does not exist")) throw new IOException("runc delete failed: " + r.err().strip());
    }
}
