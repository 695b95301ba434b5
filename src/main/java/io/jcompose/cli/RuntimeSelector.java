package io.jcompose.cli;

import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <li>our engine's socket ({@code JCOMPOSE_ENGINE_SOCKET}, default {@value #ENGINE_SOCKET}) if it answers
 *     (auto-starting the engine when nothing answers is later work);</li>
 * <li>{@code /var/run/docker.sock};</li>
 * <li>Podman: {@code $XDG_RUNTIME_DIR/podman/podman.sock}, {@code /run/podman/podman.sock};</li>
 * <li>else a {@link CliException} (exit 1) listing every attempt and why it failed:
 *     {@code cannot reach an engine: DOCKER_HOST: not set; /var/run/docker.sock: no such socket; …}.</li>
 * </ol>
 * {@code builtin} tries only our engine; {@code docker} tries DOCKER_HOST, the Docker socket and Podman.
 */
final class RuntimeSelector {
    static final String ENGINE_SOCKET = "/run/jcompose/engine.sock";

    /** Connects to a host ({@code unix:///…}) and pings it; throws {@link EngineException} if it does not answer. */
    interface Connector {
        ContainerRuntime connect(DockerEndpoint endpoint);
    }

    /** The chosen runtime and, when the choice deserves a word, a note for stderr. */
    record Selection(ContainerRuntime runtime, Optional<String> note) {}

    private final Function<String, String> env;
    private final Connector connector;
    private final Function<Path, Boolean> exists;

    RuntimeSelector(Function<String, String> env, Connector connector, Function<Path, Boolean> exists) {
        this.env = env;
        this.connector = connector;
        this.exists = exists;
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
        }, p -> Files.exists(p));
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
