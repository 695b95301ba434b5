package io.jcompose.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;

/**
 * How to run an engine.
 *
 * @param root      the state root (default /var/lib/jcompose, env JCOMPOSE_ROOT)
 * @param socket    the API socket (default /run/jcompose/engine.sock)
 * @param group     the group admitted besides root (and the socket's group); empty: root only
 * @param logLevel  debug, info, warn or error (Docker's names)
 * @param logToStderr also log to stderr (foreground use); a detached engine logs to engine.log only
 * @param grace     how long shutdown waits for requests in flight before cutting them
 * @param registries mirrors and insecure registries from the command line; {@code <root>/engine.json} adds to them
 */
public record EngineConfig(Path root, Path socket, Optional<String> group, String logLevel, boolean logToStderr,
                           Duration grace, RegistrySettings registries) {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/jcompose");
    public static final Path DEFAULT_SOCKET = Path.of("/run/jcompose/engine.sock");

    public EngineConfig {
        root = root.toAbsolutePath().normalize();
        socket = socket.toAbsolutePath().normalize();
        logLevel = logLevel.toLowerCase(Locale.ROOT);
        julLevel(logLevel); // validates
        if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative");
        if (registries == null) registries = RegistrySettings.NONE;
    }

    /** Without registry flags (only {@code <root>/engine.json} configures registries). */
    public EngineConfig(Path root, Path socket, Optional<String> group, String logLevel, boolean logToStderr, Duration grace) {
        this(root, socket, group, logLevel, logToStderr, grace, RegistrySettings.NONE);
    }

    /** The state root: {@code JCOMPOSE_ROOT} if set and not blank, else {@link #DEFAULT_ROOT}. */
    public static Path rootFromEnv(java.util.function.Function<String, String> env) {
        String r = env.apply("JCOMPOSE_ROOT");
        return r != null && !r.isBlank() ? Path.of(r) : DEFAULT_ROOT;
    }

    public static EngineConfig defaults(Path root, Path socket) {
        return new EngineConfig(root, socket, Optional.empty(), "info", true, Duration.ofSeconds(5));
    }

    /** The java.util.logging level for one of Docker's --log-level names. */
    static Level julLevel(String name) {
        return switch (name) {
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARNING;
            case "error", "fatal" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("unknown log level \"" + name + "\" (use debug, info, warn or error)");
        };
    }
}
