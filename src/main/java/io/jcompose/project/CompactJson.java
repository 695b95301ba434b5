package io.jcompose.project;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/** A subtree as JSON text with mapping keys sorted: a stable, hashable form for {@code x-*} values. */
final class CompactJson {
    private CompactJson() {}

    static String of(Node node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    private static void write(Node node, StringBuilder sb) {
        if (node instanceof Node.Mapping m) {
            List<Node.Entry> entries = new ArrayList<>(m.entries());
            entries.sort((a, b) -> a.name().compareTo(b.name()));
            sb.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(JsonNodeFactory.instance.textNode(entries.get(i).name()));
                sb.append(':');
                write(entries.get(i).value(), sb);
            }
            sb.append('}');
        } else if (node instanceof Node.Seq s) {
            sb.append('[');
            for (int i = 0; i < s.items().size(); i++) {
                if (i > 0) sb.append(',');
                write(s.items().get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(LocatedJson.scalar((Node.Scalar) node));
        }
    }
}
