package io.jcompose.engine.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The seam through which the builder runs a RUN step as a container (implemented by the engine's container
 * part; the builder itself never mounts or forks).
 *
 * <p>Contract: the executor makes a root file system from {@code layers} (bottom first) plus the empty,
 * builder-owned {@code upperDir} as overlayfs's upper directory, runs {@code argv} in it to completion with the
 * given environment, user, working directory (created if missing) and network, applies the {@code --mount}s,
 * and unmounts. Afterwards {@code upperDir} holds exactly the step's changes in overlayfs form — deleted paths
 * as character devices 0/0, replaced directories with the {@code trusted.overlay.opaque=y} xattr — which the
 * builder turns into a layer ({@link UpperDirDiff}). Output lines go to {@code output} as they come.
 * A non-zero exit is a {@link BuildException} with Docker's message:
 * {@code The command '/bin/sh -c false' returned a non-zero code: 1}.
 */
public interface RunExecutor {
    /**
     * @param secrets    id → file, for {@code --mount=type=secret,id=…} (compose's build secrets)
     * @param stdin      the heredoc bodies a command reads ({@code RUN cat <<EOF}), concatenated; empty: no stdin
     * @param network    "default" (the build network), "none" or "host"
     * @param bindRoots  for each {@code --mount=type=bind} (by its index in {@code mounts}): the directory its
     *                   {@code source} is relative to — the build context, or the root of the stage or image
     *                   named by {@code from}
     */
    record RunSpec(List<LayerRef> layers, Path upperDir, List<String> argv, List<String> env, String user,
                   String workdir, String network, List<Instruction.Mount> mounts, SortedMap<String, Path> secrets,
                   Optional<String> stdin, Platform platform, SortedMap<Integer, Path> bindRoots) {
        public RunSpec {
            layers = List.copyOf(layers);
            argv = List.copyOf(argv);
            env = List.copyOf(env);
            mounts = List.copyOf(mounts);
            secrets = new TreeMap<>(secrets);
            bindRoots = new TreeMap<>(bindRoots);
        }

        public RunSpec withSecrets(SortedMap<String, Path> s) {
            return new RunSpec(layers, upperDir, argv, env, user, workdir, network, mounts, s, stdin, platform, bindRoots);
        }
    }

    void run(RunSpec spec, Consumer<String> output) throws BuildException, IOException;

    /** Until the engine can run containers: every RUN fails with a clear message. */
    static RunExecutor unsupported() {
        return (spec, output) -> {
            throw new BuildException("RUN is not available: this engine cannot run build containers yet ("
                    + String.join(" ", spec.argv()) + ")");
        };
    }

    /** For tests and tools: environment as Docker passes it, {@code K=V}. */
    static List<String> env(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
