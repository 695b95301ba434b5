package io.jcompose.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Node} tree as Jackson JSON (what the schema library validates), with an index from each node's path
 * (a list of {@code String} keys and {@code Integer} indexes, the JSON pointer's segments) back to where the value
 * and, for mapping entries, the key were written.
 */
final class LocatedJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final JsonNode json;
    private final Map<List<Object>, Node> values = new HashMap<>();
    private final Map<List<Object>, Location> keys = new HashMap<>();

    LocatedJson(Node root) {
        this.json = convert(root, new ArrayList<>());
    }

    /** The node at {@code path}, or the nearest existing ancestor. */
    Node valueAt(List<Object> path) {
        for (int n = path.size(); n >= 0; n--) {
            Node v = values.get(path.subList(0, n));
            if (v != null) return v;
        }
        throw new IllegalStateException("no root");
    }

    /** Where the key of the entry at {@code path} was written; the value's location for sequence items. */
    Location keyAt(List<Object> path) {
        Location k = keys.get(path);
        return k != null ? k : valueAt(path).location();
    }

    private JsonNode convert(Node node, List<Object> path) {
        values.put(List.copyOf(path), node);
        if (node instanceof Node.Mapping m) {
            ObjectNode o = JSON.objectNode();
            for (Node.Entry e : m.entries()) {
                // "!reset" removes the key when files are merged; whatever value it carries is not configuration.
                if (e.value().tag() == Node.Tag.RESET) continue;
                path.add(e.name());
                keys.put(List.copyOf(path), e.key().location());
                o.set(e.name(), convert(e.value(), path));
                path.remove(path.size() - 1);
            }
            return o;
        }
        if (node instanceof Node.Seq s) {
            ArrayNode a = JSON.arrayNode();
            for (int i = 0; i < s.items().size(); i++) {
                path.add(i);
                a.add(convert(s.items().get(i), path));
                path.remove(path.size() - 1);
            }
            return a;
        }
        return scalar((Node.Scalar) node);
    }

    /** YAML 1.2 core-schema scalars as JSON values; anything unparseable stays a string. */
    static JsonNode scalar(Node.Scalar s) {
        String t = s.text();
        switch (s.kind()) {
            case NULL:
                return JSON.nullNode();
            case BOOL:
                return JSON.booleanNode(t.equalsIgnoreCase("true"));
            case INT: {
                BigInteger v = parseInt(t);
                if (v == null) return JSON.textNode(t);
                return v.bitLength() < 64 ? JSON.numberNode(v.longValue()) : JSON.numberNode(v);
            }
            case FLOAT: {
                String f = t.replace("_", "");
                if (f.matches("[-+]?\\.(inf|Inf|INF)") || f.matches("\\.(nan|NaN|NAN)")) return JSON.numberNode(Double.parseDouble(
                        f.contains("nan") || f.contains("NaN") || f.contains("NAN") ? "NaN" : (f.startsWith("-") ? "-Infinity" : "Infinity")));
                try {
                    return JSON.numberNode(new BigDecimal(f));
                } catch (NumberFormatException e) {
                    return JSON.textNode(t);
                }
            }
            default:
                return JSON.textNode(t);
        }
    }

    static BigInteger parseInt(String text) {
        String t = text.replace("_", "");
        boolean neg = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) t = t.substring(1);
        try {
            BigInteger v;
            if (t.startsWith("0x") || t.startsWith("0X")) v = new BigInteger(t.substring(2), 16);
            else if (t.startsWith("0o") || t.startsWith("0O")) v = new BigInteger(t.substring(2), 8);
            else v = new BigInteger(t);
            return neg ? v.negate() : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code services.web.ports[0]}: the path as docker compose prints it. */
    static String specPath(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object p : path) {
            if (p instanceof Integer i) sb.append('[').append(i).append(']');
            else {
                if (sb.length() > 0) sb.append('.');
                sb.append(p);
            }
        }
        return sb.toString();
    }
}
