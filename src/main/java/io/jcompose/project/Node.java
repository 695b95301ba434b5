package io.jcompose.project;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loader's tree: YAML as read, every node keeping its {@link Location}. Each loader stage is a function
 * tree to tree; nodes are immutable, stages build new ones ({@code with*} methods keep the location).
 *
 * <p>{@link Tag} carries the Compose merge tags {@code !reset} and {@code !override}; the merge stage consumes
 * them, so a canonical tree has none.
 */
public sealed interface Node permits Node.Scalar, Node.Seq, Node.Mapping {

    Location location();

    Tag tag();

    /** Compose's merge tags. */
    enum Tag { NONE, RESET, OVERRIDE }

    /** How YAML's core schema resolved a plain scalar; quoted scalars are always {@code STRING}. */
    enum Kind { STRING, INT, FLOAT, BOOL, NULL }

    /** A short word for messages: "a string", "a mapping" … */
    String describe();

    record Scalar(String text, Kind kind, Location location, Tag tag) implements Node {
        public Scalar {
            if (text == null) throw new IllegalArgumentException("text must not be null (use Kind.NULL)");
        }

        public static Scalar string(String text, Location at) {
            return new Scalar(text, Kind.STRING, at, Tag.NONE);
        }

        public boolean isNull() {
            return kind == Kind.NULL;
        }

        public Scalar withText(String newText, Kind newKind) {
            return new Scalar(newText, newKind, location, tag);
        }

        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "a string";
                case INT -> "an integer";
                case FLOAT -> "a number";
                case BOOL -> "a boolean";
                case NULL -> "null";
            };
        }
    }

    record Seq(List<Node> items, Location location, Tag tag) implements Node {
        public Seq {
            items = List.copyOf(items);
        }

        public Seq withItems(List<Node> newItems) {
            return new Seq(newItems, location, tag);
        }

        @Override
        public String describe() {
            return "a sequence";
        }
    }

    /** A mapping entry: the key keeps its own location (errors about a key point at the key). */
    record Entry(Scalar key, Node value) {
        public String name() {
            return key.text();
        }
    }

    /** Keys are unique (the reader rejects duplicates) and keep their file order. */
    record Mapping(List<Entry> entries, Location location, Tag tag) implements Node {
        public Mapping {
            entries = List.copyOf(entries);
        }

        public Optional<Node> get(String key) {
            for (Entry e : entries) {
                if (e.name().equals(key)) return Optional.of(e.value());
            }
            return Optional.empty();
        }

        public Optional<Entry> entry(String key) {
            for (Entry e : entries) {
                if (e.name().equals(key)) return Optional.of(e);
            }
            return Optional.empty();
        }

        public List<String> keys() {
            List<String> keys = new ArrayList<>(entries.size());
            for (Entry e : entries) keys.add(e.name());
            return Collections.unmodifiableList(keys);
        }

        /** A copy with {@code key} set to {@code value}: replaced in place if present, else appended. */
        public Mapping with(String key, Node value) {
            List<Entry> out = new ArrayList<>(entries.size() + 1);
            boolean found = false;
            for (Entry e : entries) {
                if (e.name().equals(key)) {
                    out.add(new Entry(e.key(), value));
                    found = true;
                } else {
                    out.add(e);
                }
            }
            if (!found) out.add(new Entry(Scalar.string(key, value.location()), value));
            return new Mapping(out, location, tag);
        }

        public Mapping without(String key) {
            List<Entry> out = new ArrayList<>(entries.size());
            for (Entry e : entries) if (!e.name().equals(key)) out.add(e);
            return new Mapping(out, location, tag);
        }

        public Mapping withEntries(List<Entry> newEntries) {
            return new Mapping(newEntries, location, tag);
        }

        public Map<String, Node> asMap() {
            Map<String, Node> m = new LinkedHashMap<>();
            for (Entry e : entries) m.put(e.name(), e.value());
            return m;
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }
}
