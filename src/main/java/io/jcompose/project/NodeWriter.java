package io.jcompose.project;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A (canonical) tree as text, the way {@code docker compose config} prints it: {@link #yaml}/{@link #json} with
 * mapping keys sorted and {@code name} first at the top level (Compose's untyped model, {@code --no-interpolate});
 * {@link #composeYaml}/{@link #composeJson} in the typed model's field order ({@link ComposeOrder}); two-space indentation with sequence items indented under their key, strings quoted only
 * where YAML would read them as something else. JSON is indented by two spaces as Go's {@code MarshalIndent}
 * prints it ({@code "key": value}, {@code <>&} escaped).
 *
 * <p>Example:
 * <pre>
 * name: demo
 * services:
 *   web:
 *     image: nginx
 *     ports:
 *       - published: "8080"
 *         target: 80
 * </pre>
 */
public final class NodeWriter {
    private NodeWriter() {}

    /** The untyped top level: keys sorted, except {@code name} first (as Compose prints a model it did not type). */
    private static final String SORTED_TOP = "#sorted-top";
    /** Mappings printed in the order their entries were built (a record whose field order is the format). */
    private static final String AS_GIVEN = "#as-given";

    /**
     * Keys sorted, except {@code name} first at the top level; in a struct of {@code type} (see {@link ComposeOrder})
     * the struct's field order, then other keys sorted.
     */
    static List<Node.Entry> ordered(Node.Mapping m, String type) {
        List<Node.Entry> out = new ArrayList<>(m.entries());
        if (AS_GIVEN.equals(type)) return out;
        Comparator<Node.Entry> byName = Comparator.comparing(Node.Entry::name);
        if (SORTED_TOP.equals(type)) {
            byName = Comparator.comparing((Node.Entry e) -> !e.name().equals("name")).thenComparing(byName);
        } else if (ComposeOrder.isStruct(type)) {
            byName = Comparator.comparingInt((Node.Entry e) -> ComposeOrder.rank(type, e.name())).thenComparing(byName);
        }
        out.sort(byName);
        return out;
    }

    private static String child(String type, String key) {
        if (AS_GIVEN.equals(type)) return AS_GIVEN;
        return SORTED_TOP.equals(type) ? null : ComposeOrder.child(type, key);
    }

    private static String item(String seqType) {
        return AS_GIVEN.equals(seqType) ? AS_GIVEN : ComposeOrder.item(seqType);
    }

    /** YAML with every mapping in the order its entries were built (no sorting). */
    public static String yamlInOrder(Node root) {
        return yaml(root, AS_GIVEN);
    }

    /** JSON with every mapping in the order its entries were built (no sorting). */
    public static String jsonInOrder(Node root) {
        StringBuilder sb = new StringBuilder();
        json(sb, root, 0, AS_GIVEN);
        return sb.append('\n').toString();
    }

    // --- YAML ---

    public static String yaml(Node root) {
        return yaml(root, SORTED_TOP);
    }

    /**
     * A canonical project as {@code docker compose config} prints its typed model: struct fields in compose-go's
     * order (services before networks; a port's mode, target, published, protocol), maps sorted.
     */
    public static String composeYaml(Node root) {
        return yaml(root, ComposeOrder.PROJECT);
    }

    private static String yaml(Node root, String type) {
        StringBuilder sb = new StringBuilder();
        if (root instanceof Node.Mapping m && !m.entries().isEmpty()) {
            mappingBody(sb, m, 0, type);
        } else if (root instanceof Node.Seq s && !s.items().isEmpty()) {
            seqBody(sb, s, 0, null);
        } else {
            sb.append(inline(root)).append('\n');
        }
        return sb.toString();
    }

    private static void mappingBody(StringBuilder sb, Node.Mapping m, int indent, String type) {
        for (Node.Entry e : ordered(m, type)) {
            indent(sb, indent);
            sb.append(scalarText(e.name(), Node.Kind.STRING)).append(':');
            value(sb, e.value(), indent, child(type, e.name()));
        }
    }

    /** After "key:" — inline scalars/empties, else a nested block. */
    private static void value(StringBuilder sb, Node v, int indent, String type) {
        if (v instanceof Node.Mapping m && !m.entries().isEmpty()) {
            sb.append('\n');
            mappingBody(sb, m, indent + 2, type);
        } else if (v instanceof Node.Seq s && !s.items().isEmpty()) {
            sb.append('\n');
            seqBody(sb, s, indent + 2, type);
        } else if (v instanceof Node.Scalar s && s.kind() == Node.Kind.STRING && literalOk(s.text())) {
            literal(sb, s.text(), indent + 2);
        } else {
            sb.append(' ').append(inline(v)).append('\n');
        }
    }

    private static void seqBody(StringBuilder sb, Node.Seq s, int indent, String seqType) {
        String type = item(seqType);
        for (Node item : s.items()) {
            indent(sb, indent);
            sb.append("- ");
            if (item instanceof Node.Mapping m && !m.entries().isEmpty()) {
                // First entry on the dash line, the rest aligned under it.
                List<Node.Entry> es = ordered(m, type);
                for (int i = 0; i < es.size(); i++) {
                    if (i > 0) indent(sb, indent + 2);
                    sb.append(scalarText(es.get(i).name(), Node.Kind.STRING)).append(':');
                    value(sb, es.get(i).value(), indent + 2, child(type, es.get(i).name()));
                }
            } else if (item instanceof Node.Seq inner && !inner.items().isEmpty()) {
                sb.setLength(sb.length() - 2);
                sb.append("-\n");
                seqBody(sb, inner, indent + 2, null);
            } else if (item instanceof Node.Scalar sc && sc.kind() == Node.Kind.STRING && literalOk(sc.text())) {
                sb.setLength(sb.length() - 1);
                literal(sb, sc.text(), indent + 2);
            } else {
                sb.append(inline(item)).append('\n');
            }
        }
    }

    private static void literal(StringBuilder sb, String text, int indent) {
        String chomp = text.endsWith("\n\n") ? "+" : text.endsWith("\n") ? "" : "-";
        sb.append(" |").append(chomp).append('\n');
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
            if (!line.isEmpty()) indent(sb, indent);
            sb.append(line).append('\n');
        }
    }

    /** Literal blocks for multi-line text that round-trips: no leading space, no tabs/control characters, no trailing spaces. */
    private static boolean literalOk(String s) {
        if (s.indexOf('\n') < 0 || s.startsWith(" ") || s.startsWith("\n")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && (c < 0x20 || c == 0x7f)) return false;
            if (c == ' ' && (i + 1 == s.length() || s.charAt(i + 1) == '\n')) return false;
        }
        return true;
    }

    private static void indent(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) sb.append(' ');
    }

    private static String inline(Node n) {
        if (n instanceof Node.Mapping) return "{}";
        if (n instanceof Node.Seq) return "[]";
        Node.Scalar s = (Node.Scalar) n;
        return scalarText(s.text(), s.kind());
    }

    private static final Pattern NOT_PLAIN_STRING = Pattern.compile(
            "(?i)~|null|true|false|yes|no|on|off|y|n"
                    + "|[-+]?(0|[1-9][0-9_]*)|0[0-7_]+|0o[0-7_]+|0x[0-9a-f_]+|0b[01_]+"
                    + "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([e][-+]?[0-9]+)?|[-+]?\\.(inf)|\\.nan"
                    + "|[0-9]+(:[0-5]?[0-9])+(\\.[0-9_]*)?" // YAML 1.1 sexagesimal
                    + "|\\d{4}-\\d\\d?-\\d\\d?([Tt ].*)?"); // timestamps

    static String scalarText(String text, Node.Kind kind) {
        switch (kind) {
            case NULL:
                return "null";
            case INT:
            case FLOAT:
                // 0x1F, 0o17, +3 are YAML spellings; Compose prints plain decimal numbers.
                String n = jsonNumber(text);
                return n.startsWith("\"") ? text : n;
            case BOOL:
                return text.toLowerCase(java.util.Locale.ROOT);
            default:
                break;
        }
        if (isPlainSafe(text)) return text;
        return doubleQuoted(text, false);
    }

    private static boolean isPlainSafe(String s) {
        if (s.isEmpty() || NOT_PLAIN_STRING.matcher(s).matches()) return false;
        char f = s.charAt(0);
        if ("-?:".indexOf(f) >= 0) {
            // "-c" and ":x" are plain (as Compose prints them) when a non-space follows; "-" or "- x" are not.
            if (s.length() == 1 || Character.isWhitespace(s.charAt(1))) return false;
        } else if (",[]{}#&*!|>'\"%@`".indexOf(f) >= 0) {
            return false;
        }
        if (Character.isWhitespace(f) || Character.isWhitespace(s.charAt(s.length() - 1))) return false;
        if (s.contains(": ") || s.contains(" #") || s.endsWith(":")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF') return false;
        }
        return true;
    }

    private static String doubleQuoted(String s, boolean json) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (json && (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029'))) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    // --- JSON ---

    public static String json(Node root) {
        StringBuilder sb = new StringBuilder();
        json(sb, root, 0, SORTED_TOP);
        return sb.append('\n').toString();
    }

    /** {@link #composeYaml}'s order, as JSON. */
    public static String composeJson(Node root) {
        StringBuilder sb = new StringBuilder();
        json(sb, root, 0, ComposeOrder.PROJECT);
        return sb.append('\n').toString();
    }

    private static void json(StringBuilder sb, Node n, int indent, String type) {
        if (n instanceof Node.Mapping m) {
            if (m.entries().isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            List<Node.Entry> es = ordered(m, type);
            for (int i = 0; i < es.size(); i++) {
                indent(sb, indent + 2);
                sb.append(doubleQuoted(es.get(i).name(), true)).append(": ");
                json(sb, es.get(i).value(), indent + 2, child(type, es.get(i).name()));
                sb.append(i + 1 < es.size() ? ",\n" : "\n");
            }
            indent(sb, indent);
            sb.append('}');
        } else if (n instanceof Node.Seq s) {
            if (s.items().isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < s.items().size(); i++) {
                indent(sb, indent + 2);
                json(sb, s.items().get(i), indent + 2, item(type));
                sb.append(i + 1 < s.items().size() ? ",\n" : "\n");
            }
            indent(sb, indent);
            sb.append(']');
        } else {
            Node.Scalar s = (Node.Scalar) n;
            sb.append(switch (s.kind()) {
                case NULL -> "null";
                case BOOL -> s.text().toLowerCase(java.util.Locale.ROOT);
                case INT, FLOAT -> jsonNumber(s.text());
                default -> doubleQuoted(s.text(), true);
            });
        }
    }

    /** YAML numbers JSON cannot spell (0x1F, 0o17, .5, +1, .inf) are normalised or, failing that, quoted. */
    private static String jsonNumber(String text) {
        String t = text.replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) return Long.toString(Long.parseLong(t.substring(2), 16));
            if (t.startsWith("0o") || t.startsWith("0O")) return Long.toString(Long.parseLong(t.substring(2), 8));
            if (t.matches("[-+]?[0-9]+")) return new java.math.BigInteger(t.startsWith("+") ? t.substring(1) : t).toString();
            double d = Double.parseDouble(t);
            if (Double.isFinite(d)) return new java.math.BigDecimal(t.startsWith("+") ? t.substring(1) : t).toString();
        } catch (NumberFormatException e) {
            // fall through
        }
        return doubleQuoted(text, true);
    }
}
