package io.jcompose.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stage 4a: top-level {@code include} (short and long form); include cycles are located errors.
 *
 * <p>Each entry is loaded by {@link ComposeFileSource#loadIncluded} as a project of its own (its relative paths
 * already absolute), and its services, networks, volumes, secrets, configs and models are copied in. A resource
 * the including file also defines is an error, as in Compose, unless both definitions are identical (the same
 * file included along two routes). Relative {@code path}, {@code project_directory} and {@code env_file} are
 * resolved against the including file's directory; {@code project_directory} defaults to the directory of the
 * first {@code path}, {@code env_file} to the {@code .env} found there.
 *
 * <p>An instance remembers the chain of files whose includes it is resolving, so a cycle through nested loads is
 * found when the loader resolves the included files with the same instance (as {@link ProjectLoader} does).
 */
public final class IncludeResolver {
    private static final List<String> IMPORTED = List.of("services", "networks", "volumes", "secrets", "configs", "models");

    private final List<Path> chain = new ArrayList<>();

    /** Returns {@code fileTree} without its {@code include} key, the included projects' resources merged in. */
    public Node resolve(Node fileTree, Path file, ComposeFileSource source) {
        if (!(fileTree instanceof Node.Mapping root)) return fileTree;
        Optional<Node.Entry> include = root.entry("include");
        if (include.isEmpty()) return fileTree;
        Node.Mapping result = root.without("include");
        Node value = include.get().value();
        if (Nodes.isNull(value)) return result;
        SpecPath path = SpecPath.ROOT.child("include");
        if (!(value instanceof Node.Seq items)) {
            throw new ComposeFileException(value.location(), path.toString(), "must be a list of files or {path, project_directory, env_file}, got " + value.describe());
        }
        Path me = file.toAbsolutePath().normalize();
        Path dir = parent(me);
        chain.add(me);
        try {
            for (int i = 0; i < items.items().size(); i++) {
                Node item = items.items().get(i);
                Entry e = entry(item, dir, path.index(i));
                Path first = e.files().get(0);
                int at = chain.indexOf(first);
                if (at >= 0) {
                    StringBuilder cycle = new StringBuilder();
                    for (Path p : chain.subList(at, chain.size())) cycle.append(p.getFileName()).append(" -> ");
                    cycle.append(first.getFileName());
                    throw new ComposeFileException(item.location(), path.index(i).toString(), "include cycle: " + cycle);
                }
                Node included = source.loadIncluded(e.files(), e.projectDirectory(), e.envFiles());
                result = importResources(result, included, item.location(), first);
            }
        } finally {
            chain.remove(chain.size() - 1);
        }
        return result;
    }

    private record Entry(List<Path> files, Path projectDirectory, List<Path> envFiles) {}

    private static Entry entry(Node item, Path dir, SpecPath path) {
        List<Path> files = new ArrayList<>();
        Optional<Path> projectDir = Optional.empty();
        List<Path> envFiles = new ArrayList<>();
        if (item instanceof Node.Mapping m) {
            Node p = m.get("path").orElseThrow(() -> new ComposeFileException(m.location(), path.toString(), "'path' is required (the Compose file to include)"));
            for (Node f : Nodes.stringOrList(p).items()) files.add(resolve(dir, text(f, path.child("path"))));
            Optional<Node> pd = m.get("project_directory").filter(n -> !Nodes.isNull(n));
            if (pd.isPresent()) projectDir = Optional.of(resolve(dir, text(pd.get(), path.child("project_directory"))));
            Optional<Node> ef = m.get("env_file").filter(n -> !Nodes.isNull(n));
            if (ef.isPresent()) {
                for (Node f : Nodes.stringOrList(ef.get()).items()) {
                    String t = text(f, path.child("env_file"));
                    if (!t.equals("/dev/null")) envFiles.add(resolve(dir, t));
                }
            }
        } else {
            files.add(resolve(dir, text(item, path)));
        }
        if (files.isEmpty()) throw new ComposeFileException(item.location(), path.child("path").toString(), "names no file");
        Path project = projectDir.orElse(parent(files.get(0)));
        if (envFiles.isEmpty() && !(item instanceof Node.Mapping m && m.get("env_file").isPresent())) {
            Path dotEnv = project.resolve(".env");
            if (Files.isRegularFile(dotEnv)) envFiles.add(dotEnv);
        }
        return new Entry(files, project, envFiles);
    }

    private static Node.Mapping importResources(Node.Mapping target, Node included, Location at, Path from) {
        Node.Mapping result = target;
        for (String kind : IMPORTED) {
            Optional<Node> section = Nodes.get(included, kind).filter(n -> n instanceof Node.Mapping);
            if (section.isEmpty() || ((Node.Mapping) section.get()).entries().isEmpty()) continue;
            Node existing = result.get(kind).orElse(null);
            Node.Mapping mine = existing instanceof Node.Mapping m ? m : Nodes.map(at);
            List<Node.Entry> out = new ArrayList<>(mine.entries());
            for (Node.Entry e : ((Node.Mapping) section.get()).entries()) {
                Optional<Node.Entry> clash = mine.entry(e.name());
                if (clash.isPresent()) {
                    if (Nodes.sameContent(clash.get().value(), e.value())) continue;
                    throw new ComposeFileException(clash.get().key().location(), kind + "." + e.name(),
                            "conflicts with the " + singular(kind) + " \"" + e.name() + "\" imported from " + from
                                    + "; rename one of them, or customise the included one with an override file in include's path list");
                }
                out.add(e);
            }
            result = result.with(kind, mine.withEntries(out));
        }
        return result;
    }

    private static String singular(String kind) {
        return kind.substring(0, kind.length() - 1);
    }

    private static Path resolve(Path dir, String p) {
        return dir.resolve(p).normalize();
    }

    private static Path parent(Path file) {
        Path p = file.toAbsolutePath().getParent();
        return p == null ? Path.of("/") : p;
    }

    private static String text(Node v, SpecPath path) {
        return Nodes.text(v).orElseThrow(() -> new ComposeFileException(v.location(), path.toString(), "must be a file path, got " + v.describe()));
    }
}
