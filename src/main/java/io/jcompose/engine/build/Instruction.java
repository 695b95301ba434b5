package io.jcompose.engine.build;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One parsed Dockerfile instruction, as moby/buildkit's {@code instructions} package models it. Values are
 * raw (not yet variable-expanded): which words are expanded, and when, is the {@link StageBuilder}'s business,
 * because ARG/ENV scoping decides the environment.
 *
 * <p>{@code line} is the 1-based line the instruction starts on, {@code text} its source text with continuations
 * joined (what {@code docker build} prints after "Step n/m :").
 */
public sealed interface Instruction {
    int line();

    String text();

    /** The instruction keyword in upper case: "RUN", "COPY", … */
    default String keyword() {
        return text().strip().split("[\\t\\u000b\\f\\r ]+", 2)[0].toUpperCase(java.util.Locale.ROOT);
    }

    /** Exec form ({@code ["a","b"]}) or shell form (one element: the command line as written). */
    record Command(List<String> args, boolean shellForm) {
        public Command {
            args = List.copyOf(args);
            if (shellForm && args.size() != 1) throw new IllegalArgumentException("shell form is one string");
        }
    }

    /** {@code <<EOF … EOF}: content already has the trailing newline of each line; {@code <<-} tabs stripped. */
    record Heredoc(String name, String content, boolean expand, boolean chomp) {}

    record KeyValue(String key, String value) {}

    /** {@code RUN --mount=type=cache,target=/x,…}: type is bind (the default), cache, tmpfs, secret or ssh. */
    record Mount(String type, Optional<String> target, SortedMap<String, String> options) {
        public Mount {
            options = new TreeMap<>(options);
        }
    }

    record From(int line, String text, String image, Optional<String> stageName, Optional<String> platform)
            implements Instruction {}

    record Run(int line, String text, Command command, List<Mount> mounts, Optional<String> network,
               Optional<String> security, List<Heredoc> heredocs) implements Instruction {
        public Run {
            mounts = List.copyOf(mounts);
            heredocs = List.copyOf(heredocs);
        }
    }

    /** COPY and ADD. Sources that name a heredoc ({@code <<EOF}) are in {@code heredocs}, not in {@code sources}. */
    record Copy(int line, String text, boolean add, List<String> sources, String dest, Optional<String> from,
                Optional<String> chown, Optional<String> chmod, boolean link, Optional<String> checksum,
                boolean keepGitDir, boolean parents, List<String> excludes, List<Heredoc> heredocs)
            implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            excludes = List.copyOf(excludes);
            heredocs = List.copyOf(heredocs);
        }
    }

    record Env(int line, String text, List<KeyValue> vars) implements Instruction {
        public Env {
            vars = List.copyOf(vars);
        }
    }

    /** One {@code ARG name[=default]}; an ARG line with several names gives several definitions. */
    record ArgDef(String name, Optional<String> defaultValue) {}

    record Arg(int line, String text, List<ArgDef> args) implements Instruction {
        public Arg {
            args = List.copyOf(args);
        }
    }

    record Label(int line, String text, List<KeyValue> labels) implements Instruction {
        public Label {
            labels = List.copyOf(labels);
        }
    }

    record Cmd(int line, String text, Command command) implements Instruction {}

    record Entrypoint(int line, String text, Command command) implements Instruction {}

    record Shell(int line, String text, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    record Workdir(int line, String text, String path) implements Instruction {}

    record User(int line, String text, String user) implements Instruction {}

    record Expose(int line, String text, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }
    }

    record Volume(int line, String text, List<String> paths) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }
    }

    record StopSignal(int line, String text, String signal) implements Instruction {}

    /**
     * {@code HEALTHCHECK NONE} (test = ["NONE"]) or {@code HEALTHCHECK [opts] CMD …} (test = ["CMD", …] for exec
     * form, ["CMD-SHELL", line] for shell form). Absent durations are zero, as Docker stores them.
     */
    record Healthcheck(int line, String text, List<String> test, Duration interval, Duration timeout,
                       Duration startPeriod, Duration startInterval, int retries) implements Instruction {
        public Healthcheck {
            test = List.copyOf(test);
        }
    }

    record Maintainer(int line, String text, String maintainer) implements Instruction {}

    /** {@code ONBUILD <instruction>}: stored in the image config's OnBuild list as written. */
    record Onbuild(int line, String text, String expression) implements Instruction {}

    /** Keyword → whether its arguments are variable-expanded (moby's instructions that implement SupportsSingleWordExpansion). */
    Map<String, Boolean> EXPANDS = Map.ofEntries(
            Map.entry("ADD", true), Map.entry("COPY", true), Map.entry("ENV", true), Map.entry("EXPOSE", true),
            Map.entry("FROM", true), Map.entry("LABEL", true), Map.entry("STOPSIGNAL", true),
            Map.entry("USER", true), Map.entry("VOLUME", true), Map.entry("WORKDIR", true), Map.entry("ARG", true),
            Map.entry("RUN", false), Map.entry("CMD", false), Map.entry("ENTRYPOINT", false),
            Map.entry("SHELL", false), Map.entry("HEALTHCHECK", false), Map.entry("MAINTAINER", false),
            Map.entry("ONBUILD", false));
}
