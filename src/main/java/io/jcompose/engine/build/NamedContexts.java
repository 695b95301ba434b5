package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Named build contexts (Compose's {@code build.additional_contexts}, BuildKit's {@code --build-context}) as the
 * jcompose engine receives them over the classic {@code POST /build}: a directory context travels inside the
 * context tar under the reserved prefix {@value #PREFIX}{@code <dir>/}, an image context is a reference. The
 * header {@code X-Jcompose-Build-Contexts} says which is which:
 * <pre>{"extra": {"type": "dir", "path": ".jcompose/contexts/extra"}, "base": {"type": "image", "ref": "busybox"}}</pre>
 *
 * <p>BuildKit's semantics: a named context replaces a stage or an image of the same name in {@code FROM},
 * {@code COPY --from} and {@code RUN --mount=from=}. The reserved prefix is never part of the main context.
 *
 * @param refs name → what the client said it is (sorted: the header is printed in errors and compared in tests)
 */
public record NamedContexts(SortedMap<String, Ref> refs) {
    /** Where directory contexts live in the context tar; removed from the main context before the build. */
    public static final String PREFIX = ".jcompose/contexts/";

    // BuildKit accepts image-reference-like names (a context may replace "docker.io/library/alpine:3"), so '/', ':',
    // '@' are allowed; the name is never used as a path.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}");
    private static final Pattern DIR = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public NamedContexts {
        refs = new TreeMap<>(refs);
        for (String n : refs.keySet()) {
            if (!NAME.matcher(n).matches()) throw new IllegalArgumentException("invalid build context name \"" + n + "\"");
        }
    }

    /** What the client sent for one name. */
    public sealed interface Ref {
        /** A directory shipped in the context tar at {@code path} (which starts with {@value #PREFIX}). */
        record Dir(String path) implements Ref {
            public Dir {
                Objects.requireNonNull(path);
                if (!path.startsWith(PREFIX) || !DIR.matcher(path.substring(PREFIX.length())).matches()) {
                    throw new IllegalArgumentException("path \"" + path + "\" must be " + PREFIX + "<dir> (one plain name)");
                }
            }
        }

        /** An image reference (pulled if missing, as a FROM image). */
        record Image(String ref) implements Ref {
            public Image {
                if (ref == null || ref.isBlank() || ref.chars().anyMatch(Character::isWhitespace))
                    throw new IllegalArgumentException("image reference \"" + ref + "\" is not valid");
            }
        }
    }

    /** A named context ready for the builder: a directory on the engine, or an image reference. */
    public sealed interface Resolved {
        record Local(Path root) implements Resolved {}

        record Image(String ref) implements Resolved {}
    }

    public static NamedContexts none() {
        return new NamedContexts(new TreeMap<>());
    }

    /**
     * The header's value: JSON, or base64(url) of JSON (what jcompose sends, so no header quoting matters).
     *
     * @throws IllegalArgumentException one line naming the bad entry (the route answers 400 with it)
     */
    public static NamedContexts parse(String header) {
        String h = header.strip();
        if (h.isEmpty()) return none();
        JsonNode root;
        try {
            String json = h.startsWith("{") || h.startsWith("[") ? h
                    : new String(java.util.Base64.getUrlDecoder().decode(h.replace('+', '-').replace('/', '_')), java.nio.charset.StandardCharsets.UTF_8);
            root = JSON.readTree(json);
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalArgumentException("not JSON or base64 JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("must be a JSON object of name to {\"type\":…}");
        SortedMap<String, Ref> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String type = v.path("type").asText("");
            try {
                out.put(e.getKey(), switch (type) {
                    case "dir" -> new Ref.Dir(v.path("path").asText(""));
                    case "image" -> new Ref.Image(v.path("ref").asText(""));
                    default -> throw new IllegalArgumentException("type \"" + type + "\" is not dir or image");
                });
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("context \"" + e.getKey() + "\": " + ex.getMessage());
            }
        }
        return new NamedContexts(out);
    }

    public boolean isEmpty() {
        return refs.isEmpty();
    }

    /**
     * Takes the directory contexts out of an unpacked context {@code root} (moving {@value #PREFIX} to
     * {@code store}, outside the main context, so neither {@code COPY .} nor a bind mount of the context sees it)
     * and resolves every name. Runs even without named contexts: the prefix is reserved either way.
     */
    SortedMap<String, Resolved> detach(Path root, Path store) throws IOException, BuildException {
        Path reserved = root.resolve(PREFIX);
        if (Files.isDirectory(reserved, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(reserved, store);
            Path parent = reserved.getParent();
            try (var rest = Files.list(parent)) {
                if (rest.findAny().isEmpty()) Files.delete(parent);
            }
        } else if (Files.exists(reserved, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildException(PREFIX + " in the build context must be a directory (the name is reserved by jcompose)");
        }
        SortedMap<String, Resolved> out = new TreeMap<>();
        for (Map.Entry<String, Ref> e : refs.entrySet()) {
            if (e.getValue() instanceof Ref.Image i) {
                out.put(e.getKey(), new Resolved.Image(i.ref()));
                continue;
            }
            String dir = ((Ref.Dir) e.getValue()).path().substring(PREFIX.length());
            Path d = store.resolve(dir);
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                throw new BuildException("build context \"" + e.getKey() + "\": " + PREFIX + dir + " is not in the context tar");
            }
            out.put(e.getKey(), new Resolved.Local(d.toRealPath()));
        }
        return out;
    }

    /** The named context {@code name}, if one was given (BuildKit: it wins over a stage or image of that name). */
    static Optional<Resolved> lookup(SortedMap<String, Resolved> named, String name) {
        return Optional.ofNullable(named.get(name));
    }
}
