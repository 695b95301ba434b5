package io.jcompose.project;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * YAML text to a located {@link Node} tree (first stage of the loader).
 *
 * <p>The tree is built from the parser's events, not by snakeyaml's Composer, because Compose needs what the
 * Composer does not give: duplicate keys rejected with both lines, merge keys ({@code <<}) applied, {@code !reset} /
 * {@code !override} kept, and hard limits so a hostile file cannot exhaust memory or time. Building iteratively
 * (an explicit stack, no recursion) keeps deep nesting from overflowing the Java stack before the depth check.
 *
 * <p>Aliases share the anchored (immutable) node, so memory stays linear in the text; the <em>expanded</em> size,
 * which later stages walk, is what the node budget bounds ("billion laughs").
 */
public final class YamlReader {

    /** Limits; {@link #DEFAULT} suits any real Compose file (the largest known are a few thousand nodes). */
    public record Limits(int maxCodePoints, int maxDepth, int maxAliasesForCollections, int maxNodes) {
        public Limits {
            if (maxCodePoints < 1 || maxDepth < 1 || maxAliasesForCollections < 0 || maxNodes < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        public static final Limits DEFAULT = new Limits(16 * 1024 * 1024, 256, 1_000, 1_000_000);
    }

    private final Limits limits;

    public YamlReader() {
        this(Limits.DEFAULT);
    }

    public YamlReader(Limits limits) {
        this.limits = limits;
    }

    /** Reads one document; an empty document gives an empty mapping. */
    public Node read(String fileName, String text) {
        Location start = new Location(fileName, 1, 1);
        // String.length() >= code points, so the cheap test avoids counting for every ordinary file.
        if (text.length() > limits.maxCodePoints() && text.codePointCount(0, text.length()) > limits.maxCodePoints()) {
            throw new ComposeFileException(start, "", "file too large (more than " + limits.maxCodePoints()
                    + " characters); a Compose file this big is not supported");
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(fileName)
                .setCodePointLimit(Math.max(limits.maxCodePoints(), 1) + 1)
                .setAllowDuplicateKeys(true) // we check them ourselves, with both locations
                .setMaxAliasesForCollections(limits.maxAliasesForCollections())
                .build();
        try {
            ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, new StringReader(text)));
            return new Builder(fileName, parser).build();
        } catch (MarkedYamlEngineException e) {
            Location at = e.getProblemMark().map(m -> at(fileName, m)).orElse(start);
            throw new ComposeFileException(at, "", "invalid YAML: " + oneLine(e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ComposeFileException(start, "", "invalid YAML: " + oneLine(e.getMessage()));
        }
    }

    public Node read(String fileName, Reader in) {
        try {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            for (int r; (r = in.read(buf)) > 0; ) {
                sb.append(buf, 0, r);
                if (sb.length() > 2L * limits.maxCodePoints()) break; // enough to fail the size check
            }
            return read(fileName, sb.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Location at(String file, Mark m) {
        return new Location(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').trim();
    }

    /** One pass over the events; frames are the open collections. */
    private final class Builder {
        private final String file;
        private final ParserImpl parser;
        private final ScalarResolver resolver = new CoreScalarResolver(false);
        private final Deque<Frame> stack = new ArrayDeque<>();
        private final Map<String, Anchored> anchors = new HashMap<>();
        /** Anchors whose collection is still open: an alias to one of them is a recursive structure. */
        private final Set<String> openAnchors = new HashSet<>();
        private long nodes;
        private int collectionAliases;
        private Node root;
        private int documents;

        Builder(String file, ParserImpl parser) {
            this.file = file;
            this.parser = parser;
        }

        Node build() {
            while (parser.hasNext()) {
                Event ev = parser.next();
                switch (ev.getEventId()) {
                    case DocumentStart -> {
                        if (++documents > 1) {
                            throw new ComposeFileException(loc(ev), "", "more than one YAML document in one file;"
                                    + " split them into separate files and pass each with -f");
                        }
                    }
                    case Scalar -> scalar((ScalarEvent) ev);
                    case Alias -> alias((AliasEvent) ev);
                    case SequenceStart, MappingStart -> open((CollectionStartEvent) ev);
                    case SequenceEnd, MappingEnd -> close();
                    default -> { } // stream/document end, comments
                }
            }
            if (root == null) return new Node.Mapping(List.of(), new Location(file, 1, 1), Node.Tag.NONE);
            return root;
        }

        private Location loc(Event ev) {
            return ev.getStartMark().map(m -> at(file, m)).orElse(new Location(file, 1, 1));
        }

        private String childPath() {
            Frame top = stack.peek();
            return top == null ? "" : top.childPath();
        }

        private void count(long n, Location at) {
            nodes += n;
            if (nodes > limits.maxNodes()) {
                throw new ComposeFileException(at, childPath(), "document expands to more than " + limits.maxNodes()
                        + " nodes (through aliases); simplify the anchors");
            }
        }

        private void scalar(ScalarEvent ev) {
            Location at = loc(ev);
            count(1, at);
            Node.Tag tag = mergeTag(ev.getTag());
            Node.Kind kind = kind(ev, tag);
            Node.Scalar s = new Node.Scalar(ev.getValue(), kind, at, tag);
            emit(s, 1, ev.getAnchor(), ev.isPlain());
        }

        private Node.Kind kind(ScalarEvent ev, Node.Tag mergeTag) {
            Optional<String> explicit = ev.getTag();
            if (explicit.isPresent() && mergeTag == Node.Tag.NONE && !explicit.get().equals("!")) {
                return switch (explicit.get()) {
                    case "tag:yaml.org,2002:int" -> Node.Kind.INT;
                    case "tag:yaml.org,2002:float" -> Node.Kind.FLOAT;
                    case "tag:yaml.org,2002:bool" -> Node.Kind.BOOL;
                    case "tag:yaml.org,2002:null" -> Node.Kind.NULL;
                    default -> Node.Kind.STRING;
                };
            }
            if (!ev.isPlain() || (explicit.isPresent() && explicit.get().equals("!"))) return Node.Kind.STRING;
            Tag t = resolver.resolve(ev.getValue(), true);
            if (t.equals(Tag.INT)) return Node.Kind.INT;
            if (t.equals(Tag.FLOAT)) return Node.Kind.FLOAT;
            if (t.equals(Tag.BOOL)) return Node.Kind.BOOL;
            if (t.equals(Tag.NULL)) return Node.Kind.NULL;
            return Node.Kind.STRING;
        }

        private void alias(AliasEvent ev) {
            Location at = loc(ev);
            String name = ev.getAlias().getValue();
            if (openAnchors.contains(name)) {
                throw new ComposeFileException(at, childPath(), "alias *" + name + " refers to its own anchor"
                        + " (a recursive structure); Compose files must be trees");
            }
            Anchored a = anchors.get(name);
            if (a == null) {
                throw new ComposeFileException(at, childPath(), "unknown alias *" + name + "; define &" + name + " before using it");
            }
            if (!(a.node instanceof Node.Scalar) && ++collectionAliases > limits.maxAliasesForCollections()) {
                throw new ComposeFileException(at, childPath(), "more than " + limits.maxAliasesForCollections()
                        + " aliases to collections; simplify the anchors");
            }
            count(a.size, at);
            emit(a.node, a.size, Optional.empty(), false);
        }

        private void open(CollectionStartEvent ev) {
            Location at = loc(ev);
            count(1, at);
            String path = childPath();
            if (stack.size() >= limits.maxDepth()) {
                throw new ComposeFileException(at, path, "nesting deeper than " + limits.maxDepth() + " levels");
            }
            Node.Tag tag = mergeTag(ev.getTag());
            String anchor = ev.getAnchor().map(Anchor::getValue).orElse(null);
            if (anchor != null) openAnchors.add(anchor);
            Frame f = ev.getEventId() == Event.ID.SequenceStart
                    ? new SeqFrame(at, tag, anchor, path)
                    : new MapFrame(at, tag, anchor, path);
            stack.push(f);
        }

        private void close() {
            Frame f = stack.pop();
            Node n = f.finish();
            if (f.anchor != null) openAnchors.remove(f.anchor);
            emit(n, f.size, Optional.ofNullable(f.anchor).map(Anchor::new), false);
        }

        private void emit(Node n, long size, Optional<Anchor> anchor, boolean plain) {
            anchor.ifPresent(a -> anchors.put(a.getValue(), new Anchored(n, size)));
            Frame top = stack.peek();
            if (top == null) {
                root = n;
                return;
            }
            top.size += size;
            top.add(n, plain);
        }

        private Node.Tag mergeTag(Optional<String> tag) {
            if (tag.isEmpty()) return Node.Tag.NONE;
            return switch (tag.get()) {
                case "!reset" -> Node.Tag.RESET;
                case "!override" -> Node.Tag.OVERRIDE;
                default -> Node.Tag.NONE;
            };
        }
    }

    private record Anchored(Node node, long size) {}

    private abstract static class Frame {
        final Location location;
        final Node.Tag tag;
        final String anchor;
        final String path;
        long size = 1;

        Frame(Location location, Node.Tag tag, String anchor, String path) {
            this.location = location;
            this.tag = tag;
            this.anchor = anchor;
            this.path = path;
        }

        abstract void add(Node n, boolean plain);

        abstract Node finish();

        abstract String childPath();

        String join(String child) {
            return path.isEmpty() ? child : path + "." + child;
        }
    }

    private static final class SeqFrame extends Frame {
        final List<Node> items = new ArrayList<>();

        SeqFrame(Location location, Node.Tag tag, String anchor, String path) {
            super(location, tag, anchor, path);
        }

        @Override
        void add(Node n, boolean plain) {
            items.add(n);
        }

        @Override
        Node finish() {
            return new Node.Seq(items, location, tag);
        }

        @Override
        String childPath() {
            return path + "[" + items.size() + "]";
        }
    }

    private static final class MapFrame extends Frame {
        final List<Node.Entry> entries = new ArrayList<>();
        final Map<String, Location> seen = new HashMap<>();
        /** Mappings named by {@code <<}, in order: earlier ones win, explicit keys win over all. */
        final List<Node.Mapping> merges = new ArrayList<>();
        Node.Scalar pendingKey;
        boolean pendingIsMerge;

        MapFrame(Location location, Node.Tag tag, String anchor, String path) {
            super(location, tag, anchor, path);
        }

        @Override
        void add(Node n, boolean plain) {
            if (pendingKey == null) {
                if (!(n instanceof Node.Scalar k)) {
                    throw new ComposeFileException(n.location(), path, "mapping keys must be scalars, got " + n.describe());
                }
                pendingIsMerge = plain && k.text().equals("<<");
                if (!pendingIsMerge) {
                    Location first = seen.putIfAbsent(k.text(), k.location());
                    if (first != null) {
                        throw new ComposeFileException(k.location(), path,
                                "duplicate key \"" + k.text() + "\" (first at line " + first.line() + ")");
                    }
                }
                pendingKey = k;
                return;
            }
            if (pendingIsMerge) {
                addMerge(n);
            } else {
                entries.add(new Node.Entry(pendingKey, n));
            }
            pendingKey = null;
            pendingIsMerge = false;
        }

        private void addMerge(Node n) {
            if (n instanceof Node.Mapping m) {
                merges.add(m);
                return;
            }
            if (n instanceof Node.Seq s) {
                for (Node item : s.items()) {
                    if (!(item instanceof Node.Mapping m)) {
                        throw new ComposeFileException(item.location(), join("<<"),
                                "merge key << takes a mapping or a list of mappings, got " + item.describe());
                    }
                    merges.add(m);
                }
                return;
            }
            throw new ComposeFileException(n.location(), join("<<"),
                    "merge key << takes a mapping or a list of mappings, got " + n.describe());
        }

        @Override
        Node finish() {
            if (merges.isEmpty()) return new Node.Mapping(entries, location, tag);
            Map<String, Node.Entry> merged = new LinkedHashMap<>();
            for (Node.Entry e : entries) merged.put(e.name(), e);
            for (Node.Mapping m : merges) {
                for (Node.Entry e : m.entries()) merged.putIfAbsent(e.name(), e);
            }
            return new Node.Mapping(new ArrayList<>(merged.values()), location, tag);
        }

        @Override
        String childPath() {
            return pendingKey == null ? path : join(pendingKey.text());
        }
    }
}
