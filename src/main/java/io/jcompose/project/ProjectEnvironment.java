package io.jcompose.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The variables a project is interpolated with: env files, then the process environment on top (it always wins).
 * Env files are {@code --env-file} values (repeatable, relative to the working directory), else
 * {@code COMPOSE_ENV_FILES} (comma-separated), else {@code .env} in the project directory unless
 * {@code COMPOSE_DISABLE_ENV_FILE} is true. Later files override earlier ones; each file's own
 * {@code ${VAR}} sees the process environment and the files read before it.
 *
 * @param variables everything, sorted (printed by {@code config --environment})
 * @param envFiles  the files read, absolute
 * @param process   the process environment, consulted first on every lookup
 */
record ProjectEnvironment(SortedMap<String, String> variables, List<Path> envFiles, Function<String, String> process) {
    public ProjectEnvironment {
        variables = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(variables));
        envFiles = List.copyOf(envFiles);
    }

    /** The process environment first (it may hold names {@link #variables} cannot list), then the env files. */
    public Optional<String> get(String name) {
        String v = process.apply(name);
        return v != null ? Optional.of(v) : Optional.ofNullable(variables.get(name));
    }

    String getOrNull(String name) {
        return get(name).orElse(null);
    }

    public Function<String, Optional<String>> lookup() {
        return this::get;
    }

    /**
     * @param process   the process environment (null = unset); listed in {@link #variables} if it is an
     *                  {@link EnvironmentVariables}
     * @param explicit  {@code --env-file} values as typed
     */
    static ProjectEnvironment resolve(Function<String, String> process, List<String> explicit, Path cwd, Path projectDirectory) {
        List<Path> files = new ArrayList<>();
        boolean required;
        if (!explicit.isEmpty()) {
            for (String f : explicit) files.add(cwd.resolve(f).normalize());
            required = true;
        } else if (process.apply("COMPOSE_ENV_FILES") != null && !process.apply("COMPOSE_ENV_FILES").isEmpty()) {
            for (String f : process.apply("COMPOSE_ENV_FILES").split(",")) if (!f.isBlank()) files.add(cwd.resolve(f.trim()).normalize());
            required = true;
        } else {
            required = false;
            if (!isTrue(process.apply("COMPOSE_DISABLE_ENV_FILE"))) {
                Path dotEnv = projectDirectory.resolve(".env");
                if (Files.isRegularFile(dotEnv)) files.add(dotEnv);
            }
        }
        TreeMap<String, String> fromFiles = new TreeMap<>();
        List<Path> read = new ArrayList<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                if (required) throw new ComposeFileNotFoundException("env file not found: " + f + "; check --env-file or COMPOSE_ENV_FILES");
                continue;
            }
            if (Files.isDirectory(f)) throw new ComposeFileNotFoundException("env file " + f + " is a directory");
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ComposeFileException(new Location(f.toString(), 1, 1), "", "cannot read env file: " + e.getMessage());
            }
            Map<String, String> parsed = DotEnv.parse(ComposeFiles.display(cwd, f), text, k -> {
                String v = process.apply(k);
                return v != null ? Optional.of(v) : Optional.ofNullable(fromFiles.get(k));
            });
            fromFiles.putAll(parsed);
            read.add(f);
        }
        TreeMap<String, String> all = new TreeMap<>(fromFiles);
        for (String name : EnvironmentVariables.namesOf(process)) {
            String v = process.apply(name);
            if (v != null) all.put(name, v);
        }
        return new ProjectEnvironment(all, read, process);
    }

    static boolean isTrue(String v) {
        if (v == null) return false;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1", "t", "true", "y", "yes", "on" -> true;
            default -> false;
        };
    }
}
