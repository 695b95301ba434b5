package io.jcompose.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the relative paths of one raw (not yet canonical) service definition absolute against a directory: used
 * for a service extended from another file, whose paths are relative to that file, not to the project. Only
 * the spellings of a path change; {@code ~} is left for the canonical stage.
 */
final class RelativePaths {
    private RelativePaths() {}

    static Node.Mapping resolve(Node.Mapping service, Path dir) {
        Node.Mapping s = service;
        var build = s.get("build");
        if (build.isPresent()) {
            Node b = build.get();
            if (b instanceof Node.Scalar sc && !sc.isNull()) {
                s = s.with("build", sc.withText(context(sc.text(), dir), Node.Kind.STRING));
            } else if (b instanceof Node.Mapping bm && bm.get("context").flatMap(Nodes::text).isPresent()) {
                Node.Scalar c = (Node.Scalar) bm.get("context").get();
                s = s.with("build", bm.with("context", c.withText(context(c.text(), dir), Node.Kind.STRING)));
            }
        }
        var envFile = s.get("env_file");
        if (envFile.isPresent() && !Nodes.isNull(envFile.get())) {
            List<Node> out = new ArrayList<>();
            for (Node item : Nodes.stringOrList(envFile.get()).items()) {
                if (item instanceof Node.Scalar sc && !sc.isNull()) {
                    out.add(sc.withText(path(sc.text(), dir), Node.Kind.STRING));
                } else if (item instanceof Node.Mapping m && m.get("path").flatMap(Nodes::text).isPresent()) {
                    Node.Scalar p = (Node.Scalar) m.get("path").get();
                    out.add(m.with("path", p.withText(path(p.text(), dir), Node.Kind.STRING)));
                } else {
                    out.add(item);
                }
            }
            s = s.with("env_file", new Node.Seq(out, envFile.get().location(), envFile.get().tag()));
        }
        var volumes = s.get("volumes");
        if (volumes.isPresent() && volumes.get() instanceof Node.Seq vs) {
            List<Node> out = new ArrayList<>();
            for (Node item : vs.items()) out.add(volume(item, dir));
            s = s.with("volumes", vs.withItems(out));
        }
        return s;
    }

    private static Node volume(Node item, Path dir) {
        if (item instanceof Node.Scalar sc && !sc.isNull()) {
            String spec = sc.text();
            int colon = spec.indexOf(':');
            if (colon <= 0) return item;
            String source = spec.substring(0, colon);
            if (!source.startsWith(".")) return item;
            return sc.withText(path(source, dir) + spec.substring(colon), Node.Kind.STRING);
        }
        if (item instanceof Node.Mapping m && Nodes.textAt(m, "type").orElse("").equals("bind")
                && m.get("source").flatMap(Nodes::text).isPresent()) {
            Node.Scalar src = (Node.Scalar) m.get("source").get();
            return m.with("source", src.withText(path(src.text(), dir), Node.Kind.STRING));
        }
        return item;
    }

    private static String context(String c, Path dir) {
        return Canonicalizer.isRemote(c) ? c : path(c, dir);
    }

    static String path(String p, Path dir) {
        if (p.startsWith("~") || Path.of(p).isAbsolute()) return p;
        return dir.resolve(p).normalize().toString();
    }
}
