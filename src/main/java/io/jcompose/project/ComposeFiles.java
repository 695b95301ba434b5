package io.jcompose.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which Compose files a project is made of, as docker compose decides: {@code -f} values (repeatable, {@code -} for
 * stdin), else {@code COMPOSE_FILE} split on {@code COMPOSE_PATH_SEPARATOR} (default {@code :}), else the first of
 * {@link #DEFAULT_NAMES} found in the start directory or its nearest parent, plus the first of
 * {@link #OVERRIDE_NAMES} beside it. Relative {@code -f} and {@code COMPOSE_FILE} paths are relative to the working
 * directory.
 */
final class ComposeFiles {
    private ComposeFiles() {}

    static final List<String> DEFAULT_NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml");
    static final List<String> OVERRIDE_NAMES = List.of("compose.override.yml", "compose.override.yaml",
            "docker-compose.override.yml", "docker-compose.override.yaml");

    /**
     * @param explicit  {@code -f} values as typed
     * @param cwd       the process's working directory (absolute)
     * @param start     where discovery starts ({@code --project-directory}, else {@code cwd})
     * @param env       variables that may name files (process environment over {@code .env})
     */
    static List<ConfigFile> resolve(List<String> explicit, Path cwd, Path start, Function<String, Optional<String>> env,
                                    Consumer<Warning> warnings) {
        List<String> named = explicit;
        if (named.isEmpty()) {
            Optional<String> fromEnv = env.apply("COMPOSE_FILE").filter(s -> !s.isEmpty());
            if (fromEnv.isPresent()) {
                String sep = env.apply("COMPOSE_PATH_SEPARATOR").filter(s -> !s.isEmpty()).orElse(java.io.File.pathSeparator);
                named = new ArrayList<>();
                for (String part : fromEnv.get().split(java.util.regex.Pattern.quote(sep))) if (!part.isEmpty()) named.add(part);
            }
        }
        if (!named.isEmpty()) {
            List<ConfigFile> out = new ArrayList<>();
            for (String f : named) {
                if (f.equals("-")) {
                    out.add(new ConfigFile("-", Optional.empty()));
                    continue;
                }
                Path p = cwd.resolve(f).normalize();
                if (!Files.exists(p)) {
                    throw new ComposeFileNotFoundException("compose file not found: " + f + " (looked for " + p + "); check the -f or COMPOSE_FILE path");
                }
                if (Files.isDirectory(p)) {
                    throw new ComposeFileNotFoundException("compose file " + f + " is a directory; name a file inside it, e.g. " + f + "/compose.yaml");
                }
                out.add(new ConfigFile(f, Optional.of(p)));
            }
            return out;
        }
        return discover(cwd, start, warnings);
    }

    private static List<ConfigFile> discover(Path cwd, Path start, Consumer<Warning> warnings) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            List<Path> found = candidates(dir, DEFAULT_NAMES);
            if (found.isEmpty()) continue;
            if (found.size() > 1) {
                warnings.accept(new Warning(Location.NONE, "", "found multiple config files with supported names: "
                        + String.join(", ", found.stream().map(Path::toString).toList()) + "; using " + found.get(0)));
            }
            List<ConfigFile> out = new ArrayList<>();
            out.add(new ConfigFile(display(cwd, found.get(0)), Optional.of(found.get(0))));
            List<Path> overrides = candidates(dir, OVERRIDE_NAMES);
            if (overrides.size() > 1) {
                warnings.accept(new Warning(Location.NONE, "", "found multiple override files with supported names: "
                        + String.join(", ", overrides.stream().map(Path::toString).toList()) + "; using " + overrides.get(0)));
            }
            if (!overrides.isEmpty()) out.add(new ConfigFile(display(cwd, overrides.get(0)), Optional.of(overrides.get(0))));
            return out;
        }
        throw new ComposeFileNotFoundException("no configuration file provided: none of " + String.join(", ", DEFAULT_NAMES)
                + " in " + start + " or its parents; create compose.yaml or pass -f FILE");
    }

    private static List<Path> candidates(Path dir, List<String> names) {
        List<Path> out = new ArrayList<>();
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) out.add(p);
        }
        return out;
    }

    /** Relative to the working directory when the file is under it (short messages), else absolute. */
    static String display(Path cwd, Path file) {
        return file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
    }
}
