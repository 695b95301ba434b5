package io.jcompose.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small tree operations shared by the merge, extends, include and canonical stages. */
final class Nodes {
    private Nodes() {}

    static Node.Scalar str(String text, Location at) {
        return new Node.Scalar(text, Node.Kind.STRING, at, Node.Tag.NONE);
    }

    static Node.Scalar bool(boolean value, Location at) {
        return new Node.Scalar(Boolean.toString(value), Node.Kind.BOOL, at, Node.Tag.NONE);
    }

    static Node.Scalar integer(long value, Location at) {
        return new Node.Scalar(Long.toString(value), Node.Kind.INT, at, Node.Tag.NONE);
    }

    static Node.Scalar nul(Location at) {
        return new Node.Scalar("null", Node.Kind.NULL, at, Node.Tag.NONE);
    }

    static Node.Mapping map(Location at) {
        return new Node.Mapping(List.of(), at, Node.Tag.NONE);
    }

    static Node.Seq seq(List<Node> items, Location at) {
        return new Node.Seq(items, at, Node.Tag.NONE);
    }

    static Node.Entry entry(String key, Node value) {
        return new Node.Entry(str(key, value.location()), value);
    }

    static boolean isNull(Node n) {
        return n == null || (n instanceof Node.Scalar s && s.isNull());
    }

    /** The text of a scalar, or empty for anything else (null scalars included). */
    static Optional<String> text(Node n) {
        if (n instanceof Node.Scalar s && !s.isNull()) return Optional.of(s.text());
        return Optional.empty();
    }

    static Optional<Node> get(Node mapping, String key) {
        return mapping instanceof Node.Mapping m ? m.get(key) : Optional.empty();
    }

    static Optional<String> textAt(Node mapping, String key) {
        return get(mapping, key).flatMap(Nodes::text);
    }

    static boolean isTrue(Node n) {
        return n instanceof Node.Scalar s && s.text().equalsIgnoreCase("true");
    }

    /**
     * A node as it stands once no further file can override it: merge tags dropped, and entries tagged
     * {@code !reset} removed (a reset with nothing to reset is simply absent).
     */
    static Node settle(Node n) {
        if (n instanceof Node.Scalar s) {
            return s.tag() == Node.Tag.NONE ? s : new Node.Scalar(s.text(), s.kind(), s.location(), Node.Tag.NONE);
        }
        if (n instanceof Node.Seq s) {
            List<Node> items = new ArrayList<>();
            for (Node item : s.items()) {
                if (item.tag() != Node.Tag.RESET) items.add(settle(item));
            }
            return new Node.Seq(items, s.location(), Node.Tag.NONE);
        }
        Node.Mapping m = (Node.Mapping) n;
        List<Node.Entry> entries = new ArrayList<>();
        for (Node.Entry e : m.entries()) {
            if (e.value().tag() != Node.Tag.RESET) entries.add(new Node.Entry(e.key(), settle(e.value())));
        }
        return new Node.Mapping(entries, m.location(), Node.Tag.NONE);
    }

    static Node withTag(Node n, Node.Tag tag) {
        if (n instanceof Node.Scalar s) return new Node.Scalar(s.text(), s.kind(), s.location(), tag);
        if (n instanceof Node.Seq s) return new Node.Seq(s.items(), s.location(), tag);
        Node.Mapping m = (Node.Mapping) n;
        return new Node.Mapping(m.entries(), m.location(), tag);
    }

    /** Structural equality ignoring locations and tags; scalars compare by text and kind. */
    static boolean sameContent(Node a, Node b) {
        if (a instanceof Node.Scalar x && b instanceof Node.Scalar y) {
            return x.text().equals(y.text()) && x.kind() == y.kind();
        }
        if (a instanceof Node.Seq x && b instanceof Node.Seq y) {
            if (x.items().size() != y.items().size()) return false;
            for (int i = 0; i < x.items().size(); i++) {
                if (!sameContent(x.items().get(i), y.items().get(i))) return false;
            }
            return true;
        }
        if (a instanceof Node.Mapping x && b instanceof Node.Mapping y) {
            Map<String, Node> xm = x.asMap();
            Map<String, Node> ym = y.asMap();
            if (!xm.keySet().equals(ym.keySet())) return false;
            for (var e : xm.entrySet()) {
                if (!sameContent(e.getValue(), ym.get(e.getKey()))) return false;
            }
            return true;
        }
        return false;
    }

    /**
     * A key/value attribute (environment, labels, args …) as a mapping: the list form {@code KEY=VALUE} becomes
     * {@code KEY: VALUE}, a bare {@code KEY} becomes {@code KEY: null}. A later duplicate key wins, as in Compose.
     */
    static Node.Mapping keyValueMapping(Node n, SpecPath path) {
        if (n instanceof Node.Mapping m) return m;
        if (isNull(n)) return map(n.location());
        if (!(n instanceof Node.Seq s)) {
            throw new ComposeFileException(n.location(), path.toString(), "must be a mapping or a list of KEY=VALUE strings, got " + n.describe());
        }
        Map<String, Node.Entry> out = new LinkedHashMap<>();
        for (Node item : s.items()) {
            if (!(item instanceof Node.Scalar sc) || sc.isNull()) {
                throw new ComposeFileException(item.location(), path.toString(), "list items must be KEY=VALUE strings, got " + item.describe());
            }
            String t = sc.text();
            int eq = t.indexOf('=');
            Node.Scalar key = new Node.Scalar(eq < 0 ? t : t.substring(0, eq), Node.Kind.STRING, sc.location(), Node.Tag.NONE);
            Node value = eq < 0 ? nul(sc.location()) : str(t.substring(eq + 1), sc.location());
            out.remove(key.text());
            out.put(key.text(), new Node.Entry(key, value));
        }
        return new Node.Mapping(new ArrayList<>(out.values()), s.location(), s.tag());
    }

    /** A string-or-list attribute (dns, tmpfs, env_file …) as a list. */
    static Node.Seq stringOrList(Node n) {
        if (n instanceof Node.Seq s) return s;
        if (isNull(n)) return seq(List.of(), n.location());
        return new Node.Seq(List.of(n), n.location(), n.tag());
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
