package io.jcompose.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stage 4b: service {@code extends} (same file and other files, chains); cycles are located errors.
 *
 * <p>The extending service is merged on top of its (recursively resolved) base with the {@code -f} merge rules
 * ({@link Merger}). A base read from another file has its relative paths (build context, env_file, bind mounts)
 * made absolute against that file's directory first; {@code file:} itself is relative to the file that names it.
 * The extending service's own {@code !reset}/{@code !override} tags stay on the result, so they also act on the
 * {@code -f} merge that follows, as in Compose.
 * Errors: {@code compose.yaml:4:14: services.a.extends: extends cycle: a -> b -> a} and
 * {@code compose.yaml:4:14: services.a.extends.service: service "x" not found in compose.yaml (defined: a, b)}.
 */
public final class ExtendsResolver {
    private final Merger merger = new Merger();

    /** Returns {@code fileTree} with every {@code extends} applied and removed. {@code file} is absolute. */
    public Node resolve(Node fileTree, Path file, ComposeFileSource source) {
        if (!(fileTree instanceof Node.Mapping root)) return fileTree;
        Optional<Node> services = root.get("services");
        if (services.isEmpty() || !(services.get() instanceof Node.Mapping sm)) return fileTree;
        Run run = new Run(source, file.normalize(), sm);
        List<Node.Entry> out = new ArrayList<>();
        for (Node.Entry e : sm.entries()) {
            out.add(new Node.Entry(e.key(), run.service(run.main, e.name(), new ArrayList<>())));
        }
        return root.with("services", sm.withEntries(out));
    }

    private record FileServices(Path file, Node.Mapping services, boolean foreign) {
        Path dir() {
            Path parent = file.getParent();
            return parent == null ? Path.of("/") : parent;
        }
    }

    /** One link of the chain being resolved: which service, and where its extends points (for the error). */
    private record Link(Path file, String service, Location extendsAt) {}

    private final class Run {
        final ComposeFileSource source;
        final FileServices main;
        final Map<Path, FileServices> files = new HashMap<>();
        final Map<String, Node> done = new HashMap<>();

        Run(ComposeFileSource source, Path file, Node.Mapping services) {
            this.source = source;
            this.main = new FileServices(file, services, false);
            files.put(file, main);
        }

        Node service(FileServices f, String name, List<Link> chain) {
            String id = f.file() + "#" + name;
            if (done.containsKey(id)) return done.get(id);
            SpecPath path = SpecPath.ROOT.child("services").child(name);
            for (int i = 0; i < chain.size(); i++) {
                Link l = chain.get(i);
                if (l.file().equals(f.file()) && l.service().equals(name)) {
                    StringBuilder cycle = new StringBuilder();
                    for (Link c : chain.subList(i, chain.size())) cycle.append(label(c.file(), c.service())).append(" -> ");
                    cycle.append(label(f.file(), name));
                    throw new ComposeFileException(l.extendsAt(), SpecPath.ROOT.child("services").child(l.service()).child("extends").toString(),
                            "extends cycle: " + cycle);
                }
            }
            Node raw = f.services().get(name).orElse(null);
            if (!(raw instanceof Node.Mapping svc)) return raw;
            Optional<Node.Entry> ext = svc.entry("extends");
            Node.Mapping own = svc.without("extends");
            if (f.foreign()) own = RelativePaths.resolve(own, f.dir());
            if (ext.isEmpty()) {
                done.put(id, own);
                return own;
            }
            Node extNode = ext.get().value();
            SpecPath extPath = path.child("extends");
            Node refNode;
            Optional<Node> fileNode = Optional.empty();
            if (extNode instanceof Node.Mapping em) {
                refNode = em.get("service").orElseThrow(() ->
                        new ComposeFileException(em.location(), extPath.toString(), "'service' is required (the service to extend)"));
                fileNode = em.get("file").filter(n -> !Nodes.isNull(n));
            } else {
                refNode = extNode;
            }
            String ref = Nodes.text(refNode).orElseThrow(() ->
                    new ComposeFileException(refNode.location(), extPath.toString(), "must name a service, got " + refNode.describe()));
            FileServices target = f;
            if (fileNode.isPresent()) {
                Node fn = fileNode.get();
                String rel = Nodes.text(fn).orElseThrow(() ->
                        new ComposeFileException(fn.location(), extPath.child("file").toString(), "must be a file path, got " + fn.describe()));
                target = load(f.dir().resolve(rel).normalize(), fn.location(), extPath.child("file"));
            }
            if (target.services().get(ref).isEmpty()) {
                throw new ComposeFileException(refNode.location(), extNode instanceof Node.Mapping ? extPath.child("service").toString() : extPath.toString(),
                        "service \"" + ref + "\" not found in " + target.file().getFileName() + " (defined: "
                                + String.join(", ", target.services().keys()) + ")");
            }
            List<Link> next = new ArrayList<>(chain);
            next.add(new Link(f.file(), name, extNode.location()));
            Node base = service(target, ref, next);
            Node merged = Nodes.isNull(base) ? Nodes.settle(own) : merger.mergeService(base, own, name);
            merged = keepMergeTags(own, merged);
            done.put(id, merged);
            return merged;
        }

        /**
         * The extending service's own {@code !reset}/{@code !override} also act on the {@code -f} merge that follows
         * (as Compose applies a file's tags after merging it): they are put back on the merged service's top-level keys.
         */
        private Node keepMergeTags(Node.Mapping own, Node merged) {
            if (!(merged instanceof Node.Mapping m)) return merged;
            for (Node.Entry e : own.entries()) {
                if (e.value().tag() == Node.Tag.RESET) {
                    m = m.with(e.name(), e.value());
                } else if (e.value().tag() == Node.Tag.OVERRIDE && m.get(e.name()).isPresent()) {
                    m = m.with(e.name(), Nodes.withTag(m.get(e.name()).get(), Node.Tag.OVERRIDE));
                }
            }
            return m;
        }

        private FileServices load(Path file, Location at, SpecPath path) {
            FileServices known = files.get(file);
            if (known != null) return known;
            Node tree = source.readFile(file);
            Node services = Nodes.get(tree, "services").orElse(Nodes.map(tree.location()));
            if (!(services instanceof Node.Mapping sm)) {
                throw new ComposeFileException(at, path.toString(), file + " has no services mapping to extend from");
            }
            FileServices fs = new FileServices(file, sm, true);
            files.put(file, fs);
            return fs;
        }

        private String label(Path file, String service) {
            return file.equals(main.file()) ? service : service + " (" + file.getFileName() + ")";
        }
    }
}
