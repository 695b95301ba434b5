package io.jcompose.engine.build;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One planned step of a stage, with every variable already substituted. {@code config} is the image config
 * after the step; {@code createdBy} is the history line dockerd's classic builder writes for it.
 */
public sealed interface Step {
    Instruction instruction();

    ContainerConfig config();

    String createdBy();

    /** Changes only the image config (ENV, LABEL, CMD, …): no layer. */
    record Meta(Instruction instruction, ContainerConfig config, String createdBy) implements Step {}

    /** A file to create from a heredoc ({@code COPY <<EOF /dest}). */
    record InlineFile(String name, String content) {}

    /**
     * COPY/ADD. {@code dest} is absolute; {@code destIsDir} when it ends with '/' or names the working
     * directory, so a single file source lands inside it. {@code from}: a stage (by name or index) or an image.
     */
    record CopyFiles(Instruction.Copy instruction, ContainerConfig config, String createdBy, List<String> sources,
                     List<InlineFile> inline, String dest, boolean destIsDir, Optional<String> from,
                     Optional<Ownership> chown, Optional<Integer> chmod, List<String> excludes) implements Step {
        public CopyFiles {
            sources = List.copyOf(sources);
            inline = List.copyOf(inline);
            excludes = List.copyOf(excludes);
        }
    }

    /**
     * Owner for copied files; names need the image's /etc/passwd and /etc/group, resolved when the layers are at
     * hand. An empty {@code group} means "the uid's number", as Docker does for {@code --chown=user}.
     */
    record Ownership(String user, String group) {
        public Optional<Integer> uid() {
            return user.matches("\\d+") ? Optional.of(Integer.parseInt(user)) : Optional.empty();
        }

        public Optional<Integer> gid() {
            return group.matches("\\d+") ? Optional.of(Integer.parseInt(group)) : Optional.empty();
        }
    }

    /**
     * RUN. {@code argv} is final (shell form already wrapped in the SHELL); {@code buildArgs} are the ARGs in
     * scope that reach the command's environment but not the image (and are part of the cache key).
     */
    record RunCommand(Instruction.Run instruction, ContainerConfig config, String createdBy, List<String> argv,
                      SortedMap<String, String> buildArgs, String network, List<Instruction.Mount> mounts,
                      List<Instruction.Heredoc> stdinHeredocs) implements Step {
        public RunCommand {
            argv = List.copyOf(argv);
            buildArgs = new TreeMap<>(buildArgs);
            mounts = List.copyOf(mounts);
            stdinHeredocs = List.copyOf(stdinHeredocs);
        }
    }
}
