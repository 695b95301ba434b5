package io.jcompose.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stage 3: one file's tree (interpolated, typed) against our Compose JSON Schema ({@code schema/compose-spec.json}),
 * errors mapped back to {@code file:line:col} and the spec path.
 *
 * <p>Messages read like {@code compose.yaml:7:5: services.web: additional property "imagee" is not allowed}: unknown
 * or missing properties point at the key (or the mapping), type and value errors at the value. A {@code oneOf} or
 * {@code anyOf} that fails produces one error per alternative; we report the most specific one: the deepest, and
 * among equals not a plain type mismatch (which only says the user picked another alternative). Type mismatches
 * that remain are merged ("must be a string or a list").
 */
public final class SchemaValidator {
    /** Classpath location; pom.xml packs the repo's {@code schema/} folder into the jar. */
    static final String SCHEMA_RESOURCE = "/schema/compose-spec.json";

    /** Compiled once per JVM on first use (see {@link #compileMillis()}, {@link #preload()}); immutable and thread-safe. */
    private static final class Compiled {
        static final long START = System.nanoTime();
        static final Schema SCHEMA = load();
        static final long MILLIS = (System.nanoTime() - START) / 1_000_000;

        private static Schema load() {
            try (InputStream in = SchemaValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the class path (broken build)");
                Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
                s.initializeValidators();
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Starts loading the schema on a daemon thread so its cold cost (class loading + compile, 0.2-0.5 s measured)
     * overlaps with finding and reading files. Optional and idempotent; {@link #validate} waits for it if needed.
     */
    public static void preload() {
        Thread t = new Thread(SchemaValidator::compileMillis, "jcompose-schema-preload");
        t.setDaemon(true);
        t.start();
    }

    /** How long loading and compiling the schema took in this JVM (forces it). */
    static long compileMillis() {
        Schema unused = Compiled.SCHEMA;
        return Compiled.MILLIS;
    }

    /** Where trees that passed are remembered (see {@link #cached}); empty: always validate. */
    private final Optional<Path> validCache;

    /** Validates every tree (no cache). */
    public SchemaValidator() {
        this.validCache = Optional.empty();
    }

    private SchemaValidator(Path validCache) {
        this.validCache = Optional.of(validCache);
    }

    /**
     * A validator that remembers the trees it passed as empty files named by a digest of the tree and of this build
     * (the schema's bytes, the jar's size and time), under {@code dir}, and skips the schema for a tree it has passed
     * before: the schema library's first use is the loader's largest cost (class loading and compiling, 0.1-0.3 s of
     * CPU), and a re-run of an unchanged project would pay it on every {@code up}, {@code ps} or {@code down}.
     * Validation is deterministic, so a skipped tree would have passed again; failures are never remembered, so
     * every error is found and reported exactly as without the cache. The cache is best effort: unreadable or
     * unwritable, it is not used.
     */
    public static SchemaValidator cached(Path dir) {
        return new SchemaValidator(dir);
    }

    /** The validator's cache directory for this environment: {@code $XDG_CACHE_HOME/jcompose/valid} (or under ~/.cache). */
    public static Optional<Path> cacheDirectory(java.util.function.Function<String, String> env) {
        String cache = env.apply("XDG_CACHE_HOME");
        String home = env.apply("HOME");
        if (cache != null && !cache.isEmpty()) return Optional.of(Path.of(cache, "jcompose", "valid"));
        if (home != null && !home.isEmpty()) return Optional.of(Path.of(home, ".cache", "jcompose", "valid"));
        return Optional.empty();
    }

    /** Whether the validator will need the compiled schema only for trees it has not passed before. */
    boolean caching() {
        return validCache.isPresent();
    }

    /** Throws {@link ComposeFileException} for the first violation in document order. */
    public void validate(Node fileTree) {
        if (validCache.isEmpty()) {
            List<ComposeFileException> all = violations(fileTree);
            if (!all.isEmpty()) throw all.get(0);
            return;
        }
        LocatedJson doc = new LocatedJson(fileTree);
        Optional<Path> marker = marker(doc);
        if (marker.isPresent() && Files.exists(marker.get())) return;
        List<ComposeFileException> all = violations(doc);
        if (!all.isEmpty()) throw all.get(0);
        marker.ifPresent(SchemaValidator::remember);
    }

    /** The file that says this tree passed (empty without a cache or a build key). */
    Optional<Path> marker(LocatedJson doc) {
        return validCache.flatMap(dir -> Build.KEY.map(k -> dir.resolve(digest(k + "\n" + doc.json))));
    }

    private static void remember(Path marker) {
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) Files.createFile(marker);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: without the marker the next run validates again.
        }
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What makes this build's verdicts reusable: the schema's digest and the jar's identity. Empty: no cache. */
    private static final class Build {
        static final Optional<String> KEY = key();

        private static Optional<String> key() {
            try (InputStream in = SchemaValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) return Optional.empty();
                StringBuilder k = new StringBuilder("schema ").append(digest(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
                var source = SchemaValidator.class.getProtectionDomain().getCodeSource();
                if (source != null && source.getLocation() != null) {
                    Path jar = Path.of(source.getLocation().toURI());
                    if (Files.isRegularFile(jar)) {
                        k.append(" jar ").append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis());
                    }
                }
                return Optional.of(k.toString());
            } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** Every violation (one per independent problem), in document order; empty if the file is valid. */
    public List<ComposeFileException> violations(Node fileTree) {
        return violations(new LocatedJson(fileTree));
    }

    private List<ComposeFileException> violations(LocatedJson doc) {
        List<Error> errors = Compiled.SCHEMA.validate(doc.json);
        List<ComposeFileException> out = new ArrayList<>();
        for (List<Error> cluster : clusters(errors)) out.add(describe(best(cluster), cluster, doc));
        out.sort(Comparator.comparing((ComposeFileException e) -> e.location().file())
                .thenComparingInt(e -> e.location().line())
                .thenComparingInt(e -> e.location().column()));
        return out;
    }

    /**
     * One error per independent problem. The library reports one error per failed alternative of a oneOf/anyOf (and
     * for anyOf none of its own). Errors are grouped by the combinator that produced them; in each group the most
     * specific error picks the alternative the user meant, and only that alternative's errors stay, themselves split
     * into problems one combinator level deeper. A group won by a type mismatch (no alternative had the right type)
     * is one problem.
     */
    private static List<List<Error>> clusters(List<Error> errors) {
        List<List<Error>> out = new ArrayList<>();
        split(errors, 0, out);
        return out;
    }

    private static void split(List<Error> errors, int level, List<List<Error>> out) {
        Map<Object, List<Error>> groups = new LinkedHashMap<>();
        for (Error e : errors) {
            List<String[]> cs = combinators(e);
            Object key = cs.size() > level ? cs.get(level)[0] : e;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<Object, List<Error>> g : groups.entrySet()) {
            List<Error> group = g.getValue();
            if (g.getKey() instanceof Error || group.size() == 1) {
                out.add(group);
                continue;
            }
            Error best = best(group);
            List<String[]> bc = combinators(best);
            if ("type".equals(best.getKeyword()) || bc.size() <= level) {
                out.add(group);
                continue;
            }
            String alternative = bc.get(level)[1];
            List<Error> chosen = new ArrayList<>();
            for (Error e : group) {
                List<String[]> cs = combinators(e);
                if (cs.size() > level && alternative.equals(cs.get(level)[1])) chosen.add(e);
            }
            split(chosen, level + 1, out);
        }
    }

    /**
     * For each oneOf/anyOf on the error's evaluation path, outermost first: {combinator key, alternative key}. The
     * key names the schema location and the instance node it applied to; the instance node is found by counting the
     * evaluation-path keywords that step into the instance.
     */
    private static List<String[]> combinators(Error e) {
        var eval = e.getEvaluationPath();
        List<String[]> out = new ArrayList<>();
        List<Object> instance = path(e);
        int consumed = 0;
        for (int i = 0; i < eval.getNameCount(); i++) {
            String seg = eval.getName(i);
            boolean last = i == eval.getNameCount() - 1;
            switch (seg) {
                case "properties", "patternProperties" -> {
                    if (!last) {
                        consumed++;
                        i++;
                    }
                }
                case "items", "additionalProperties", "additionalItems" -> {
                    if (!last) consumed++;
                }
                case "oneOf", "anyOf" -> {
                    String at = "@" + instance.subList(0, Math.min(consumed, instance.size()));
                    String alt = last ? "" : prefix(eval, i + 2) + at;
                    out.add(new String[] {prefix(eval, i + 1) + at, alt});
                    if (!last) i++;
                }
                default -> { }
            }
        }
        return out;
    }

    private static String prefix(com.networknt.schema.path.NodePath p, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append('/').append(p.getName(i));
        return sb.toString();
    }

    private static boolean isCombinator(Error e) {
        return "oneOf".equals(e.getKeyword()) || "anyOf".equals(e.getKeyword());
    }

    private static Error best(List<Error> cluster) {
        Error best = null;
        for (Error e : cluster) {
            if (isCombinator(e) && cluster.size() > 1) continue;
            if (best == null || rank(e) > rank(best)) best = e;
        }
        return best;
    }

    private static int rank(Error e) {
        int depth = e.getInstanceLocation().getNameCount();
        String k = e.getKeyword();
        if ("additionalProperties".equals(k) || "required".equals(k)) depth++;
        int specificity = "type".equals(k) ? 0 : isCombinator(e) ? 0 : 1;
        return depth * 2 + specificity;
    }

    private static List<Object> path(Error e) {
        var p = e.getInstanceLocation();
        List<Object> out = new ArrayList<>(p.getNameCount());
        for (int i = 0; i < p.getNameCount(); i++) out.add(p.getElement(i));
        return out;
    }

    private static ComposeFileException describe(Error e, List<Error> cluster, LocatedJson doc) {
        List<Object> path = path(e);
        Node value = doc.valueAt(path);
        String spec = LocatedJson.specPath(path);
        String k = e.getKeyword();
        switch (k) {
            case "additionalProperties": {
                String prop = e.getProperty() != null ? e.getProperty() : String.valueOf(e.getArguments()[0]);
                List<Object> child = new ArrayList<>(path);
                child.add(prop);
                if (path.size() == 1 && SECTIONS.contains(path.get(0))) {
                    return new ComposeFileException(doc.keyAt(child), spec,
                            "invalid name \"" + prop + "\" (use letters, digits, '.', '_' and '-')");
                }
                return new ComposeFileException(doc.keyAt(child), spec, "additional property \"" + prop + "\" is not allowed");
            }
            case "required":
                return new ComposeFileException(value.location(), spec,
                        "required property \"" + (e.getProperty() != null ? e.getProperty() : e.getArguments()[0]) + "\" is missing");
            case "type": {
                Set<String> expected = new LinkedHashSet<>();
                for (Error o : cluster) {
                    if ("type".equals(o.getKeyword()) && o.getInstanceLocation().equals(e.getInstanceLocation())) {
                        expected.addAll(expectedTypes(o));
                    }
                }
                return new ComposeFileException(value.location(), spec,
                        "must be " + orList(List.copyOf(expected)) + ", not " + actual(value));
            }
            case "enum":
                return new ComposeFileException(value.location(), spec,
                        quoted(value) + " is not allowed (use one of: " + listOf(e.getSchemaNode()) + ")");
            case "const":
                return new ComposeFileException(value.location(), spec, "must be " + e.getSchemaNode());
            case "pattern": {
                String meaning = PATTERNS.get(e.getSchemaNode().asText());
                return new ComposeFileException(value.location(), spec, quoted(value)
                        + (meaning != null ? " " + meaning : " does not match the pattern " + e.getSchemaNode().asText()));
            }
            case "minimum":
            case "maximum":
            case "exclusiveMinimum":
            case "exclusiveMaximum":
                return new ComposeFileException(value.location(), spec, quoted(value) + " " + e.getMessage());
            case "uniqueItems":
                return new ComposeFileException(value.location(), spec, "must not contain duplicate items");
            case "oneOf":
                return new ComposeFileException(value.location(), spec, "matches more than one of the allowed forms; write it in one form only");
            default:
                return new ComposeFileException(value.location(), spec, e.getMessage());
        }
    }

    /** The schema's own patterns for scalars written as strings, in words. */
    private static final Map<String, String> PATTERNS = Map.of(
            "^(true|false|True|False|TRUE|FALSE|1|0|t|f|T|F)$|\\$", "is not a boolean (write true or false)",
            "^\\s*[-+]?[0-9]+\\s*$|\\$", "is not an integer",
            "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)\\s*$|\\$", "is not a number",
            "^\\s*[0-9]+(\\.[0-9]+)?\\s*([bBkKmMgGtTpP][iI]?[bB]?)?\\s*$|\\$", "is not a byte size (e.g. 512m, 1gb, 1048576)",
            "^([-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h|d|w))+$|^0$|\\$", "is not a duration (e.g. 30s, 1m30s, 500ms)",
            "^[a-zA-Z0-9._-]+$", "is not a valid name (use letters, digits, '.', '_' and '-')",
            "^[a-zA-Z0-9][a-zA-Z0-9_.-]+$|\\$", "is not a valid container name (a letter or digit, then letters, digits, '_', '.' or '-')",
            "^(always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+)$|\\$",
            "is not a pull policy (use always, never, missing, build, daily, weekly or every_<duration>)");

    private static final Set<String> SECTIONS = Set.of("services", "networks", "volumes", "secrets", "configs", "models");

    private static List<String> expectedTypes(Error e) {
        List<String> out = new ArrayList<>();
        JsonNode t = e.getSchemaNode();
        if (t != null && t.isArray()) t.forEach(x -> out.add(typeName(x.asText())));
        else if (t != null && t.isTextual()) out.add(typeName(t.asText()));
        else out.add(String.valueOf(e.getArguments()[1]));
        return out;
    }

    private static String typeName(String jsonType) {
        return switch (jsonType) {
            case "string" -> "a string";
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "boolean" -> "a boolean";
            case "object" -> "a mapping";
            case "array" -> "a list";
            case "null" -> "null";
            default -> jsonType;
        };
    }

    /** "a string", "a string or a list", "a string, a number or null". */
    private static String orList(List<String> items) {
        if (items.size() <= 1) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }

    private static String actual(Node value) {
        return value instanceof Node.Seq ? "a list" : value.describe();
    }

    private static String quoted(Node value) {
        return value instanceof Node.Scalar s ? "\"" + s.text() + "\"" : actual(value);
    }

    private static String listOf(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) array.forEach(x -> out.add(x.isTextual() ? x.asText() : x.toString()));
        return String.join(", ", out);
    }
}
