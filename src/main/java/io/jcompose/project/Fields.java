package io.jcompose.project;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Typed, located reads of one mapping of the canonical tree (the Binder's and SemanticValidator's view). Every
 * error names the spec path and points at the value; a wrong shape here means an earlier stage let it through.
 */
final class Fields {
    final Node.Mapping map;
    final String path;

    Fields(Node.Mapping map, String path) {
        this.map = map;
        this.path = path;
    }

    static Fields of(Node node, String path) {
        if (node instanceof Node.Mapping m) return new Fields(m, path);
        if (node instanceof Node.Scalar s && s.isNull()) return new Fields(new Node.Mapping(List.of(), node.location(), Node.Tag.NONE), path);
        throw error(node, path, "must be a mapping, not " + node.describe());
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static ComposeFileException error(Node at, String path, String problem) {
        return new ComposeFileException(at.location(), path, problem);
    }

    /** The value, absent for a missing key or an explicit null. */
    Optional<Node> node(String key) {
        return map.get(key).filter(n -> !(n instanceof Node.Scalar s && s.isNull()));
    }

    boolean has(String key) {
        return node(key).isPresent();
    }

    Optional<Fields> mapping(String key) {
        return node(key).map(n -> of(n, at(key)));
    }

    /** The value if it is a mapping; absent for a missing key, null, or another shape (a short form). */
    Optional<Fields> ifMapping(String key) {
        return node(key).filter(n -> n instanceof Node.Mapping).map(n -> of(n, at(key)));
    }

    Optional<String> string(String key) {
        return node(key).map(n -> scalarText(n, at(key)));
    }

    static String scalarText(Node n, String path) {
        if (n instanceof Node.Scalar s) return s.text();
        throw error(n, path, "must be a scalar, not " + n.describe());
    }

    boolean bool(String key, boolean dflt) {
        return optBool(key).orElse(dflt);
    }

    Optional<Boolean> optBool(String key) {
        return node(key).map(n -> {
            String t = scalarText(n, at(key));
            return switch (t) {
                case "true", "True", "TRUE", "1", "t", "T" -> true;
                case "false", "False", "FALSE", "0", "f", "F" -> false;
                default -> throw error(n, at(key), "\"" + t + "\" is not a boolean");
            };
        });
    }

    Optional<Long> integer(String key) {
        return node(key).map(n -> {
            String t = scalarText(n, at(key)).trim();
            var v = LocatedJson.parseInt(t);
            if (v == null || v.bitLength() >= 64) throw error(n, at(key), "\"" + t + "\" is not an integer");
            return v.longValue();
        });
    }

    Optional<Integer> int32(String key) {
        return integer(key).map(v -> {
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw error(node(key).get(), at(key), v + " is out of range");
            return v.intValue();
        });
    }

    /** A number no larger than {@code max}: beyond it, a located error rather than a value that overflows later. */
    Optional<Double> number(String key, double max) {
        return number(key).map(v -> {
            if (!(v <= max)) throw error(node(key).get(), at(key), "\"" + scalarText(node(key).get(), at(key)).trim() + "\" is too large (at most " + max + ")");
            return v;
        });
    }

    Optional<Double> number(String key) {
        return node(key).map(n -> {
            String t = scalarText(n, at(key)).trim();
            try {
                return new BigDecimal(t).doubleValue();
            } catch (NumberFormatException e) {
                throw error(n, at(key), "\"" + t + "\" is not a number");
            }
        });
    }

    Optional<Duration> duration(String key) {
        return node(key).map(n -> {
            try {
                return Units.duration(scalarText(n, at(key)));
            } catch (IllegalArgumentException e) {
                throw error(n, at(key), e.getMessage());
            }
        });
    }

    Optional<Long> bytes(String key) {
        return node(key).map(n -> {
            try {
                return Units.bytes(scalarText(n, at(key)));
            } catch (IllegalArgumentException e) {
                throw error(n, at(key), e.getMessage());
            }
        });
    }

    /** A list of scalars; a single scalar counts as a one-item list (Compose's string-or-list fields). */
    List<String> strings(String key) {
        Optional<Node> n = node(key);
        if (n.isEmpty()) return List.of();
        if (n.get() instanceof Node.Seq s) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < s.items().size(); i++) out.add(scalarText(s.items().get(i), at(key) + "[" + i + "]"));
            return out;
        }
        return List.of(scalarText(n.get(), at(key)));
    }

    Optional<List<String>> optStrings(String key) {
        return map.get(key).isPresent() && has(key) ? Optional.of(strings(key)) : Optional.empty();
    }

    /**
     * A mapping of scalars, or a list of {@code KEY=VALUE} / {@code KEY} strings (Compose's list_or_dict). A key
     * without a value (null, or no {@code =}) maps to an empty Optional.
     */
    Map<String, Optional<String>> dict(String key) {
        Optional<Node> n = node(key);
        Map<String, Optional<String>> out = new LinkedHashMap<>();
        if (n.isEmpty()) return out;
        if (n.get() instanceof Node.Mapping m) {
            for (Node.Entry e : m.entries()) {
                Node v = e.value();
                out.put(e.name(), v instanceof Node.Scalar s && s.isNull() ? Optional.empty() : Optional.of(scalarText(v, at(key) + "." + e.name())));
            }
            return out;
        }
        if (n.get() instanceof Node.Seq s) {
            for (int i = 0; i < s.items().size(); i++) {
                String item = scalarText(s.items().get(i), at(key) + "[" + i + "]");
                int eq = item.indexOf('=');
                if (eq < 0) out.put(item, Optional.empty());
                else out.put(item.substring(0, eq), Optional.of(item.substring(eq + 1)));
            }
            return out;
        }
        throw error(n.get(), at(key), "must be a mapping or a list, not " + n.get().describe());
    }

    /** {@link #dict} where a missing value means the empty string (labels, sysctls, options). */
    TreeMap<String, String> stringMap(String key) {
        TreeMap<String, String> out = new TreeMap<>();
        dict(key).forEach((k, v) -> out.put(k, v.orElse("")));
        return out;
    }

    /** Each entry of a mapping value, in file order. */
    List<Node.Entry> entries(String key) {
        Optional<Node> n = node(key);
        if (n.isEmpty()) return List.of();
        if (n.get() instanceof Node.Mapping m) return m.entries();
        throw error(n.get(), at(key), "must be a mapping, not " + n.get().describe());
    }

    /** Each item of a sequence value. */
    List<Node> items(String key) {
        Optional<Node> n = node(key);
        if (n.isEmpty()) return List.of();
        if (n.get() instanceof Node.Seq s) return s.items();
        throw error(n.get(), at(key), "must be a list, not " + n.get().describe());
    }
}
