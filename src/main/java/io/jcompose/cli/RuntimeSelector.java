package io.jcompose.cli;

import io.jcompose.engine.EngineConfig;
import io.jcompose.engine.EngineLauncher;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the engine a command talks to (design.md §1, "Runtime selection"). First match wins:
 * <ol>
 * <li>{@code --runtime builtin|docker|auto} (global option), else {@code JCOMPOSE_RUNTIME}, else {@code auto};</li>
 * <li>{@code DOCKER_HOST} (with {@code DOCKER_TLS_VERIFY}/{@code DOCKER_CERT_PATH}), used as it is, whatever answers
 *     there — our engine included; if it does not answer, that is the error (no silent fallback);</li>
 * <li>our engine's socket ({@code JCOMPOSE_ENGINE_SOCKET}, default {@value #ENGINE_SOCKET}) if it answers;</li>
 * <li>auto-start of our engine ({@link Starter}): as root with runc on the PATH, a detached {@code jcompose engine}
 *     of this very jar on that socket with the state root {@code JCOMPOSE_ROOT} (default /var/lib/jcompose), waited
 *     for until it answers (a note on stderr names its pid and log);</li>
 * <li>{@code /var/run/docker.sock};</li>
 * <li>Podman: {@code $XDG_RUNTIME_DIR/podman/podman.sock}, {@code /run/podman/podman.sock};</li>
 * <li>else a {@link CliException} (exit 1) listing every attempt and why it failed:
 *     {@code cannot reach an engine: DOCKER_HOST: not set; /var/run/docker.sock: no such socket; …}.</li>
 * </ol>
 * {@code builtin} tries only our engine (and never starts one: asking for it by name means it should be running);
 * {@code docker} tries DOCKER_HOST, the Docker socket and Podman.
 */
final class RuntimeSelector {
    static final String ENGINE_SOCKET = "/run/jcompose/engine.sock";

    /** Connects to a host ({@code unix:///…}) and pings it; throws {@link EngineException} if it does not answer. */
    interface Connector {
        ContainerRuntime connect(DockerEndpoint endpoint);
    }

    /**
     * Starts our engine on {@code socket} with state in {@code root} and returns once it answers, with a note for
     * stderr; or returns the reason it did not try or failed (one line, for the attempts list) as a {@link Started#failure}.
     * Empty: this selector does not auto-start at all (no attempt is listed).
     */
    interface Starter {
        Optional<Started> start(Path root, Path socket);

        /** Never starts anything and adds no attempt: the fakes of other tests, which must not start engines. */
        Starter NONE = (root, socket) -> Optional.empty();
    }

    /** What a {@link Starter} did: exactly one of note (started, ready) and failure (why not) is set. */
    record Started(Optional<String> note, Optional<String> failure) {
        Started {
            if (note.isPresent() == failure.isPresent()) throw new IllegalArgumentException("exactly one of note and failure");
        }

        static Started ok(String note) {
            return new Started(Optional.of(note), Optional.empty());
        }

        static Started failed(String why) {
            return new Started(Optional.empty(), Optional.of(why));
        }
    }

    /** The chosen runtime and, when the choice deserves a word, a note for stderr. */
    record Selection(ContainerRuntime runtime, Optional<String> note) {}

    private final Function<String, String> env;
    private final Connector connector;
    private final Function<Path, Boolean> exists;
    private final Starter starter;

    RuntimeSelector(Function<String, String> env, Connector connector, Function<Path, Boolean> exists) {
        this(env, connector, exists, Starter.NONE);
    }

    RuntimeSelector(Function<String, String> env, Connector connector, Function<Path, Boolean> exists, Starter starter) {
        this.env = env;
        this.connector = connector;
        this.exists = exists;
        this.starter = starter;
    }

    /** The real thing: Docker API client over the JDK's sockets, credentials from ~/.docker. */
    static RuntimeSelector system(Function<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        return new RuntimeSelector(env, endpoint -> {
            DockerRuntime rt = DockerRuntime.connect(endpoint, env, home);
            try {
                rt.system().ping();
                return rt;
            } catch (RuntimeException e) {
                rt.close();
                throw e;
            }
        }, p -> Files.exists(p), RuntimeSelector::autoStart);
    }

    /** The real {@link Starter}: root and runc are checked first, so a user without them gets a reason, not a failed start. */
    static Optional<Started> autoStart(Path root, Path socket) {
        return Optional.of(tryStart(root, socket));
    }

    private static Started tryStart(Path root, Path socket) {
        if (!effectiveUidIsRoot()) return Started.failed("auto-start: not root (the built-in engine needs root; a rootless one is later work)");
        if (!onPath("runc")) return Started.failed("auto-start: runc not found on PATH");
        try {
            EngineLauncher.Launch l = EngineLauncher.ensureRunning(root, socket, Duration.ofSeconds(60));
            if (!l.started()) return Started.ok("using the built-in engine at " + socket);
            return Started.ok("started the built-in engine (pid " + l.pid().map(String::valueOf).orElse("?") + ", state " + root
                    + ", log " + root.resolve("engine.log") + ") in " + l.waited().toMillis() + " ms");
        } catch (RuntimeException e) {
            return Started.failed("auto-start in " + root + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static boolean effectiveUidIsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                // "Uid:\treal\teffective\tsaved\tfs"
                if (line.startsWith("Uid:")) return line.substring(4).trim().split("\\s+")[1].equals("0");
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or an odd /proc: fall back to the name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean onPath(String tool) {
        for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    Selection select(String flag) {
        String mode = flag != null && !flag.isEmpty() ? flag : Optional.ofNullable(env.apply("JCOMPOSE_RUNTIME")).filter(s -> !s.isEmpty()).orElse("auto");
        mode = mode.toLowerCase(Locale.ROOT);
        if (!List.of("auto", "builtin", "docker").contains(mode)) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "unknown runtime \"" + mode + "\" (use auto, builtin or docker)");
        }
        List<String> attempts = new ArrayList<>();
        Path engine = Path.of(Optional.ofNullable(env.apply("JCOMPOSE_ENGINE_SOCKET")).filter(s -> !s.isEmpty()).orElse(ENGINE_SOCKET));
        if (mode.equals("builtin")) {
            Optional<ContainerRuntime> rt = trySocket(engine, attempts);
            if (rt.isPresent()) return new Selection(rt.get(), Optional.empty());
            throw new CliException(ExitCodes.FAILURE, "cannot reach the engine at " + engine + " (" + attempts.get(0).replaceFirst("^[^:]*: ", "")
                    + "): run 'jcompose engine' or use --runtime docker");
        }
        String dockerHost = env.apply("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isEmpty()) {
            try {
                Path home = Path.of(System.getProperty("user.home"));
                return new Selection(connector.connect(DockerEndpoint.resolve(env, home)), Optional.empty());
            } catch (RuntimeException e) {
                // Set explicitly: silently talking to another engine instead would surprise (the docker CLI fails too).
                throw new CliException(ExitCodes.FAILURE, "cannot reach an engine: DOCKER_HOST=" + dockerHost + ": " + reason(e)
                        + " (unset DOCKER_HOST to try the default sockets)");
            }
        } else {
            attempts.add("DOCKER_HOST: not set");
        }
        if (mode.equals("auto")) {
            // The built-in engine runs networked stacks: when its socket answers, it wins (design.md §1).
            Optional<ContainerRuntime> rt = trySocket(engine, attempts);
            if (rt.isPresent()) return new Selection(rt.get(), Optional.empty());
            Optional<Started> started = starter.start(EngineConfig.rootFromEnv(env).toAbsolutePath(), engine.toAbsolutePath());
            started.flatMap(Started::failure).ifPresent(attempts::add);
            Optional<String> note = started.flatMap(Started::note);
            if (note.isPresent()) {
                try {
                    return new Selection(connector.connect(DockerEndpoint.unix(engine)), note);
                } catch (RuntimeException e) {
                    attempts.add("auto-started engine at " + engine + ": " + reason(e));
                }
            }
        }
        List<Path> sockets = new ArrayList<>();
        sockets.add(Path.of("/var/run/docker.sock"));
        String xdg = env.apply("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) sockets.add(Path.of(xdg, "podman", "podman.sock"));
        sockets.add(Path.of("/run/podman/podman.sock"));
        for (Path s : sockets) {
            Optional<ContainerRuntime> rt = trySocket(s, attempts);
            if (rt.isPresent()) return new Selection(rt.get(), Optional.empty());
        }
        throw new CliException(ExitCodes.FAILURE, "cannot reach an engine: " + String.join("; ", attempts));
    }

    private Optional<ContainerRuntime> trySocket(Path socket, List<String> attempts) {
        if (!exists.apply(socket)) {
            attempts.add(socket + ": no such socket");
            return Optional.empty();
        }
        try {
            return Optional.of(connector.connect(DockerEndpoint.unix(socket)));
        } catch (RuntimeException e) {
            attempts.add(socket + ": " + reason(e));
            return Optional.empty();
        }
    }

    private static String reason(RuntimeException e) {
        String m = e instanceof EngineException ee && !ee.engineMessage().isEmpty() ? ee.engineMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
