package io.jcompose.engine.build;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile: the escape character in force, the ARGs before the first FROM (only those may be used in
 * FROM lines), the stages in order, and warnings (e.g. an ignored {@code # syntax=} directive).
 */
public record Dockerfile(char escape, List<Instruction.Arg> metaArgs, List<Stage> stages, List<String> warnings) {
    public Dockerfile {
        metaArgs = List.copyOf(metaArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
        if (stages.isEmpty()) throw new IllegalArgumentException("a Dockerfile has at least one stage");
    }

    /** One {@code FROM} and the instructions up to the next one. {@code name} is lower-cased, as Docker does. */
    public record Stage(int index, Optional<String> name, Instruction.From from, List<Instruction> commands) {
        public Stage {
            commands = List.copyOf(commands);
        }
    }

    /** The stage called {@code nameOrIndex} (a name, or a number counting from 0), if any. */
    public Optional<Stage> stage(String nameOrIndex) {
        String n = nameOrIndex.toLowerCase(java.util.Locale.ROOT);
        for (Stage s : stages) if (s.name().filter(n::equals).isPresent()) return Optional.of(s);
        if (n.matches("\\d{1,6}")) {
            int i = Integer.parseInt(n);
            if (i < stages.size()) return Optional.of(stages.get(i));
        }
        return Optional.empty();
    }
}
