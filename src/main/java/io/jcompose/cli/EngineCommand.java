package io.jcompose.cli;

import io.jcompose.engine.Engine;
import io.jcompose.engine.EngineConfig;
import io.jcompose.engine.EngineException;
import io.jcompose.engine.RegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose engine}: runs the built-in engine in the foreground until SIGTERM/SIGINT. */
@Command(name = "engine", description = "Run the built-in container engine (Docker Engine API on a unix socket) in the foreground")
final class EngineCommand implements Runnable {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--root", paramLabel = "DIR", description = "State root (default: $JCOMPOSE_ROOT or /var/lib/jcompose)")
    Path stateRoot;

    @Option(names = "--socket", paramLabel = "PATH", description = "API socket (default: /run/jcompose/engine.sock)")
    Path socket;

    @Option(names = "--group", paramLabel = "GROUP", description = "Group admitted to the socket besides root")
    String group;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", description = "debug, info, warn or error (default: info)")
    String logLevel = "info";

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", description = "How long to let requests in flight finish on shutdown (default: 5)")
    int shutdownTimeout = 5;

    @Option(names = "--registry-mirror", paramLabel = "[REGISTRY=]URL",
            description = "Pull REGISTRY's images (default docker.io) from this mirror first; repeatable. Also: registry-mirrors in <root>/engine.json")
    List<String> registryMirrors = new ArrayList<>();

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP to this registry (loopback registries always may); repeatable")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean help;

    @Option(names = "--detached", hidden = true, description = "Started by the CLI in the background: log to the engine log only")
    boolean detached;

    @Override
    public void run() {
        Path stateDir = stateRoot != null ? stateRoot : EngineConfig.rootFromEnv(root.context().env());
        Path sock = socket != null ? socket : EngineConfig.DEFAULT_SOCKET;
        EngineConfig config;
        try {
            config = new EngineConfig(root.context().cwd().resolve(stateDir), root.context().cwd().resolve(sock),
                    Optional.ofNullable(group), logLevel, !detached, Duration.ofSeconds(Math.max(0, shutdownTimeout)),
                    RegistrySettings.fromFlags(registryMirrors, insecureRegistries));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "engine: " + e.getMessage());
        }
        try {
            Engine.runForeground(config);
        } catch (EngineException e) {
            throw new CliException(ExitCodes.FAILURE, "jcompose engine: " + e.getMessage(), e);
        }
    }
}
