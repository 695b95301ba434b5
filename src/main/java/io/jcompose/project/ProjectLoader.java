package io.jcompose.project;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The loader: runs the stages in order and is the {@link ComposeFileSource} for include/extends.
 * <pre>
 * options → files (discovery) → environment (.env, --env-file) → per file:
 *   YamlReader → Interpolator → SchemaValidator → IncludeResolver → ExtendsResolver
 * → Merger → Canonicalizer → Profiles → SemanticValidator → Binder
 * </pre>
 * Missing files are {@link ComposeFileNotFoundException}s (exit 14); everything else located
 * {@link ComposeFileException}s (exit 15).
 *
 * <p>Project name: {@code -p} &gt; {@code COMPOSE_PROJECT_NAME} &gt; top-level {@code name:} (interpolated; the last file
 * that sets it wins) &gt; the project directory's name, normalised; it is known before the files are interpolated and
 * exposed to them as {@code ${COMPOSE_PROJECT_NAME}}. Profiles: {@code --profile} values, else
 * {@code COMPOSE_PROFILES} (comma-separated). Variables for {@code COMPOSE_*} come from the process environment and
 * the {@code .env} of the directory discovery starts in.
 */
public final class ProjectLoader {
    private final LoaderStages stages;
    private final YamlReader reader;
    private final Interpolator interpolator = new Interpolator();
    private final boolean preloadSchema;

    public ProjectLoader() {
        this(LoaderStages.real(), new YamlReader());
    }

    ProjectLoader(LoaderStages stages, YamlReader reader) {
        this(stages, reader, true);
    }

    private ProjectLoader(LoaderStages stages, YamlReader reader, boolean preloadSchema) {
        this.stages = stages;
        this.reader = reader;
        this.preloadSchema = preloadSchema;
    }

    /**
     * The CLI's loader: files whose trees passed the schema before (remembered under {@code cacheDir}, see
     * {@link SchemaValidator#cached}) skip it; without a directory, the same as {@link #ProjectLoader()}.
     */
    public static ProjectLoader withSchemaCache(Optional<java.nio.file.Path> cacheDir) {
        if (cacheDir.isEmpty()) return new ProjectLoader();
        // No preload: for an unchanged project the schema is not needed at all.
        return new ProjectLoader(LoaderStages.real(SchemaValidator.cached(cacheDir.get())), new YamlReader(), false);
    }

    public LoadedProject load(ProjectOptions options) {
        // Compiling the schema is the loader's largest fixed cost; on a second core it overlaps discovery and reading.
        if (preloadSchema) SchemaValidator.preload();
        return new Run(options).load();
    }

    /** The raw trees of the project's files, read but not interpolated ({@code config --variables}). */
    public List<Node> readRaw(ProjectOptions options) {
        Run run = new Run(options);
        run.resolveFilesAndEnvironment();
        List<Node> out = new ArrayList<>();
        for (ConfigFile f : run.files) out.add(reader.read(f.name(), run.text(f)));
        return out;
    }

    /** One load: the state shared by the top-level files and the include/extends callbacks. */
    private final class Run implements ComposeFileSource {
        private final ProjectOptions options;
        private final List<Warning> warnings = new ArrayList<>();
        private final Consumer<Warning> warn = warnings::add;
        private final Path cwd;
        private List<ConfigFile> files;
        private Path projectDirectory;
        private ProjectEnvironment environment;
        private String stdinText;
        private String name;
        /** Variables for interpolation once the name is known: the environment plus COMPOSE_PROJECT_NAME. */
        private Function<String, Optional<String>> env;

        Run(ProjectOptions options) {
            this.options = options;
            this.cwd = options.workingDirectory().toAbsolutePath().normalize();
        }

        void resolveFilesAndEnvironment() {
            Optional<Path> explicitDir = options.projectDirectory().map(d -> cwd.resolve(d).normalize());
            if (explicitDir.isPresent() && !Files.isDirectory(explicitDir.get())) {
                throw new ComposeFileNotFoundException("project directory not found: " + explicitDir.get() + "; check --project-directory");
            }
            Path start = explicitDir.orElse(cwd);
            // COMPOSE_FILE and friends may come from the .env of the directory we start in.
            ProjectEnvironment early = ProjectEnvironment.resolve(options.environment(), options.envFiles(), cwd, start);
            files = ComposeFiles.resolve(options.files(), cwd, start, early.lookup(), warn);
            projectDirectory = explicitDir.orElseGet(() -> files.stream().filter(f -> !f.isStdin()).findFirst()
                    .map(f -> f.path().orElseThrow().getParent()).orElse(cwd));
            environment = projectDirectory.equals(start) ? early
                    : ProjectEnvironment.resolve(options.environment(), options.envFiles(), cwd, projectDirectory);
        }

        LoadedProject load() {
            // A bad -p is the user's typo on the command line: say so before reading anything.
            options.projectName().ifPresent(n -> ProjectName.validate(n, "-p", Location.NONE));
            resolveFilesAndEnvironment();
            Function<String, Optional<String>> processAndFiles = environment.lookup();
            List<Node> raw = new ArrayList<>();
            Optional<Node.Scalar> nameInFiles = Optional.empty();
            for (ConfigFile f : files) {
                Node tree = readChecked(f.name(), text(f));
                Optional<Node.Scalar> n = topLevelName(tree);
                if (n.isPresent()) nameInFiles = n;
                raw.add(tree);
            }
            // The name is known before the files are interpolated: the spec exposes it as ${COMPOSE_PROJECT_NAME}.
            if (options.interpolate() && nameInFiles.isPresent() && !nameInFiles.get().isNull()) {
                Node.Scalar n = nameInFiles.get();
                nameInFiles = Optional.of(n.withText(interpolator.interpolate(n.text(), processAndFiles, n.location(), "name", w -> { }), Node.Kind.STRING));
            }
            name = projectName(processAndFiles, nameInFiles);
            env = k -> k.equals("COMPOSE_PROJECT_NAME") ? Optional.of(name) : processAndFiles.apply(k);
            List<Node> trees = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i).path().orElse(projectDirectory.resolve("-"));
                Node tree = typed(raw.get(i), env);
                tree = stages.include().apply(tree, file, this);
                trees.add(stages.extend().apply(tree, file, this));
            }
            Node merged = stages.merge().apply(trees);
            List<String> keptAsWritten = new ArrayList<>();
            Node canonical = stages.canonicalize().apply(merged, new CanonicalContext(name, projectDirectory, env,
                    options.interpolate() ? Optional.empty() : Optional.of(keptAsWritten::add)), warn);
            canonical = stages.profiles().apply(canonical, activeProfiles(env), options.services());
            // Values kept as written under --no-interpolate (a port "${PORT:-8080}:80") cannot be typed: such a
            // project is only printable (config --no-interpolate), so its model is left empty.
            boolean printableOnly = !keptAsWritten.isEmpty();
            if (!printableOnly) stages.semantic().accept(canonical, warn);
            var model = printableOnly ? io.jcompose.model.Project.empty(name, projectDirectory) : stages.bind().apply(canonical, projectDirectory);
            List<Path> paths = files.stream().map(f -> f.path().orElse(Path.of("-"))).toList();
            return new LoadedProject(name, projectDirectory, paths, canonical, model, warnings, environment.variables());
        }

        private Node readTyped(String name, String text, Function<String, Optional<String>> env) {
            return typed(readChecked(name, text), env);
        }

        private Node readChecked(String name, String text) {
            Node tree = reader.read(name, text);
            if (tree instanceof Node.Mapping m && m.entries().isEmpty()) {
                // As docker compose: a file with nothing in it is a mistake (wrong file, unsaved editor buffer).
                throw new ComposeFileException(new Location(name, 1, 1), "", "empty compose file; add a services: section");
            }
            return tree;
        }

        /** Interpolated (unless --no-interpolate), typed by path, and schema-checked: what include/extends/merge see. */
        private Node typed(Node tree, Function<String, Optional<String>> env) {
            if (options.interpolate()) tree = interpolator.interpolate(tree, env, warn);
            stages.schema().accept(tree);
            return tree;
        }

        String text(ConfigFile f) {
            if (f.isStdin()) {
                if (stdinText == null) stdinText = options.stdin().get();
                return stdinText;
            }
            return readFile(f.path().orElseThrow(), f.name());
        }

        private String readFile(Path p, String name) {
            if (!Files.exists(p)) throw new ComposeFileNotFoundException("compose file not found: " + name + " (" + p + ")");
            try {
                byte[] bytes = Files.readAllBytes(p);
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new ComposeFileException(new Location(name, 1, 1), "", "file is not valid UTF-8; save it as UTF-8");
            } catch (IOException e) {
                throw new ComposeFileException(new Location(name, 1, 1), "", "cannot read file: " + e.getMessage());
            }
        }

        private String projectName(Function<String, Optional<String>> env, Optional<Node.Scalar> inFiles) {
            if (options.projectName().isPresent()) {
                return ProjectName.validate(options.projectName().get(), "-p", Location.NONE);
            }
            Optional<String> fromEnv = env.apply("COMPOSE_PROJECT_NAME").filter(s -> !s.isEmpty());
            if (fromEnv.isPresent()) return ProjectName.validate(fromEnv.get(), "COMPOSE_PROJECT_NAME", Location.NONE);
            if (inFiles.isPresent() && !inFiles.get().isNull() && !inFiles.get().text().isEmpty()) {
                return ProjectName.validate(inFiles.get().text(), "the top-level name:", inFiles.get().location());
            }
            String dirName = projectDirectory.getFileName() == null ? "" : projectDirectory.getFileName().toString();
            String normalized = ProjectName.normalize(dirName);
            if (normalized.isEmpty()) {
                throw new ComposeFileException(Location.NONE, "", "cannot derive a project name from directory \"" + dirName
                        + "\"; set one with -p NAME or a top-level name: (" + ProjectName.RULE + ")");
            }
            return normalized;
        }

        private Set<String> activeProfiles(Function<String, Optional<String>> env) {
            Set<String> out = new LinkedHashSet<>();
            List<String> given = options.profiles();
            if (given.isEmpty()) {
                env.apply("COMPOSE_PROFILES").ifPresent(v -> {
                    for (String p : v.split(",")) if (!p.isBlank()) out.add(p.trim());
                });
            } else {
                for (String p : given) for (String part : p.split(",")) if (!part.isBlank()) out.add(part.trim());
            }
            return out;
        }

        // --- ComposeFileSource: include / extends read other files the same way ---

        @Override
        public Node readFile(Path file) {
            Path abs = file.toAbsolutePath().normalize();
            String name = ComposeFiles.display(cwd, abs);
            return readTyped(name, readFile(abs, name), env);
        }

        @Override
        public Node loadIncluded(List<Path> includedFiles, Path includedDirectory, List<Path> envFiles) {
            // The including project's variables win over the included project's env files, as in Compose.
            List<String> envNames = envFiles.stream().map(Path::toString).toList();
            ProjectEnvironment own = ProjectEnvironment.resolve(k -> env.apply(k).orElse(null), envNames, cwd, includedDirectory);
            Function<String, Optional<String>> env = own.lookup();
            List<Node> trees = new ArrayList<>();
            for (Path f : includedFiles) {
                Path abs = includedDirectory.resolve(f).normalize();
                String name = ComposeFiles.display(cwd, abs);
                Node tree = readTyped(name, readFile(abs, name), env);
                tree = stages.include().apply(tree, abs, this);
                tree = stages.extend().apply(tree, abs, this);
                trees.add(tree);
            }
            Node merged = stages.merge().apply(trees);
            return stages.canonicalize().apply(merged, new CanonicalContext(name, includedDirectory, env), warn);
        }
    }

    private static Optional<Node.Scalar> topLevelName(Node tree) {
        if (tree instanceof Node.Mapping m && m.get("name").orElse(null) instanceof Node.Scalar s) return Optional.of(s);
        return Optional.empty();
    }
}
