package io.jcompose.project;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * YAML text to a located {@link Node} tree (first stage of the loader).
 *
 * <p>TODO(loader): duplicate keys, merge keys, size/depth/alias limits — being completed.
 */
public final class YamlReader {

    /** Reads one document; an empty document gives an empty mapping. */
    public Node read(String fileName, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).build();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, new StringReader(text))));
            Optional<org.snakeyaml.engine.v2.nodes.Node> root = composer.getSingleNode();
            if (root.isEmpty()) return new Node.Mapping(List.of(), new Location(fileName, 1, 1), Node.Tag.NONE);
            return convert(fileName, root.get());
        } catch (MarkedYamlEngineException e) {
            Location at = e.getProblemMark().map(m -> at(fileName, m)).orElse(new Location(fileName, 1, 1));
            throw new ComposeFileException(at, "", "invalid YAML: " + e.getProblem());
        }
    }

    static Location at(String file, Mark m) {
        return new Location(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private Node convert(String file, org.snakeyaml.engine.v2.nodes.Node n) {
        Location loc = n.getStartMark().map(m -> at(file, m)).orElse(Location.NONE);
        Node.Tag tag = switch (n.getTag().getValue()) {
            case "!reset" -> Node.Tag.RESET;
            case "!override" -> Node.Tag.OVERRIDE;
            default -> Node.Tag.NONE;
        };
        if (n instanceof ScalarNode s) {
            return new Node.Scalar(s.getValue(), kind(s), loc, tag);
        }
        if (n instanceof SequenceNode s) {
            List<Node> items = new ArrayList<>();
            for (var item : s.getValue()) items.add(convert(file, item));
            return new Node.Seq(items, loc, tag);
        }
        MappingNode m = (MappingNode) n;
        List<Node.Entry> entries = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            Node key = convert(file, t.getKeyNode());
            if (!(key instanceof Node.Scalar k)) throw new ComposeFileException(key.location(), "", "mapping keys must be scalars");
            entries.add(new Node.Entry(k, convert(file, t.getValueNode())));
        }
        return new Node.Mapping(entries, loc, tag);
    }

    private static Node.Kind kind(ScalarNode s) {
        Tag t = s.getTag();
        if (t.equals(Tag.INT)) return Node.Kind.INT;
        if (t.equals(Tag.FLOAT)) return Node.Kind.FLOAT;
        if (t.equals(Tag.BOOL)) return Node.Kind.BOOL;
        if (t.equals(Tag.NULL)) return Node.Kind.NULL;
        return Node.Kind.STRING;
    }

    public Node read(String fileName, Reader in) {
        try {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            for (int r; (r = in.read(buf)) > 0; ) sb.append(buf, 0, r);
            return read(fileName, sb.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
