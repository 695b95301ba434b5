package io.jcompose.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stage 2: variable interpolation of values (never keys), per file, before merging; then the type casts Compose
 * applies by path (e.g. {@code deploy.replicas: "${N}"} becomes an integer) so the schema sees typed values.
 * Syntax: {@code $V ${V} ${V:-d} ${V-d} ${V:?e} ${V?e} ${V:+a} ${V+a}}, nesting, {@code $$}.
 * Errors are located: {@code compose.yaml:3:15: services.web.image: invalid interpolation "${TAG"; write a literal $ as $$}.
 *
 * <p>Semantics follow compose-go's template package: a {@code $} not followed by a name or {@code {} is kept
 * literally; an unbraced name is {@code [A-Za-z_][A-Za-z0-9_]*}; defaults and messages are themselves templates,
 * expanded only when used (so an unset variable inside an unused default is not reported).
 */
public final class Interpolator {

    /** Interpolates every scalar value of {@code tree}; {@code env} answers empty for an unset variable. */
    public Node interpolate(Node tree, Function<String, Optional<String>> env) {
        return interpolate(tree, env, w -> { });
    }

    /** As {@link #interpolate(Node, Function)}, reporting unset variables (blank substitutions) to {@code warnings}. */
    public Node interpolate(Node tree, Function<String, Optional<String>> env, Consumer<Warning> warnings) {
        return walk(tree, new ArrayList<>(), env, warnings);
    }

    /** Interpolates one string; {@code at}/{@code path} locate errors. Public for env files and tests. */
    public String interpolate(String template, Function<String, Optional<String>> env, Location at, String path) {
        return interpolate(template, env, at, path, w -> { });
    }

    public String interpolate(String template, Function<String, Optional<String>> env, Location at, String path,
                              Consumer<Warning> warnings) {
        if (template.indexOf('$') < 0) return template;
        return new Template(template, env, at, path, warnings).expand(0, template.length());
    }

    /** The variables a template reads, with the default it would use if unset ({@code config --variables}). */
    public static List<Variable> variables(String template) {
        List<Variable> out = new ArrayList<>();
        collectVariables(template, out);
        return out;
    }

    /** A variable named by a template; {@code defaultValue} is the text after {@code :-}/{@code -}, if any. */
    public record Variable(String name, Optional<String> defaultValue, boolean required, Optional<String> alternate) {}

    private static void collectVariables(String s, List<Variable> out) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                i += 2;
            } else if (n == '{') {
                int close = closingBrace(s, i + 2);
                if (close < 0) return;
                String body = s.substring(i + 2, close);
                int nameEnd = 0;
                while (nameEnd < body.length() && isNameChar(body.charAt(nameEnd), nameEnd == 0)) nameEnd++;
                String name = body.substring(0, nameEnd);
                String op = operator(body, nameEnd);
                String rest = op == null ? "" : body.substring(nameEnd + op.length());
                if (!name.isEmpty()) {
                    Optional<String> def = op != null && op.endsWith("-") ? Optional.of(rest) : Optional.empty();
                    Optional<String> alt = op != null && op.endsWith("+") ? Optional.of(rest) : Optional.empty();
                    out.add(new Variable(name, def, op != null && op.endsWith("?"), alt));
                }
                if (op != null) collectVariables(rest, out);
                i = close + 1;
            } else if (isNameChar(n, true)) {
                int end = i + 1;
                while (end < s.length() && isNameChar(s.charAt(end), false)) end++;
                out.add(new Variable(s.substring(i + 1, end), Optional.empty(), false, Optional.empty()));
                i = end;
            } else {
                i++;
            }
        }
    }

    static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    /** Index of the brace closing a {@code ${} whose body starts at {@code from}, counting nested braces; -1 if none. */
    static int closingBrace(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }

    private static String operator(String body, int at) {
        for (String op : new String[] {":-", ":?", ":+", "-", "?", "+"}) {
            if (body.startsWith(op, at)) return op;
        }
        return null;
    }

    /** One expansion; recursion depth is bounded by brace nesting in the (size-limited) file. */
    private static final class Template {
        private final String s;
        private final Function<String, Optional<String>> env;
        private final Location at;
        private final String path;
        private final Consumer<Warning> warnings;

        Template(String s, Function<String, Optional<String>> env, Location at, String path, Consumer<Warning> warnings) {
            this.s = s;
            this.env = env;
            this.at = at;
            this.path = path;
            this.warnings = warnings;
        }

        String expand(int from, int to) {
            StringBuilder out = new StringBuilder(to - from);
            int i = from;
            while (i < to) {
                char c = s.charAt(i);
                if (c != '$' || i + 1 >= to) {
                    out.append(c);
                    i++;
                    continue;
                }
                char n = s.charAt(i + 1);
                if (n == '$') {
                    out.append('$');
                    i += 2;
                } else if (n == '{') {
                    int close = closingBrace(s, i + 2);
                    if (close < 0 || close >= to) throw invalid(s.substring(i, to));
                    out.append(braced(i, close));
                    i = close + 1;
                } else if (isNameChar(n, true)) {
                    int end = i + 1;
                    while (end < to && isNameChar(s.charAt(end), false)) end++;
                    out.append(lookup(s.substring(i + 1, end)));
                    i = end;
                } else {
                    out.append(c); // a lone $ is literal, as in compose-go
                    i++;
                }
            }
            return out.toString();
        }

        private String braced(int dollar, int close) {
            int bodyStart = dollar + 2;
            int nameEnd = bodyStart;
            while (nameEnd < close && isNameChar(s.charAt(nameEnd), nameEnd == bodyStart)) nameEnd++;
            String name = s.substring(bodyStart, nameEnd);
            if (name.isEmpty()) throw invalid(s.substring(dollar, close + 1));
            if (nameEnd == close) return lookup(name);
            String op = operator(s.substring(0, close), nameEnd);
            if (op == null) throw invalid(s.substring(dollar, close + 1));
            int restStart = nameEnd + op.length();
            Optional<String> value = env.apply(name);
            boolean set = value.isPresent();
            boolean nonEmpty = set && !value.get().isEmpty();
            switch (op) {
                case ":-":
                    return nonEmpty ? value.get() : expand(restStart, close);
                case "-":
                    return set ? value.get() : expand(restStart, close);
                case ":+":
                    return nonEmpty ? expand(restStart, close) : "";
                case "+":
                    return set ? expand(restStart, close) : "";
                case ":?":
                case "?":
                    if (op.equals(":?") ? nonEmpty : set) return value.get();
                    String msg = expand(restStart, close);
                    throw new ComposeFileException(at, path, "required variable " + name + " is missing a value"
                            + (msg.isEmpty() ? "" : ": " + msg));
                default:
                    throw new IllegalStateException(op);
            }
        }

        private String lookup(String name) {
            Optional<String> v = env.apply(name);
            if (v.isEmpty()) {
                warnings.accept(new Warning(at, path, "variable \"" + name + "\" is not set; substituting a blank string"));
                return "";
            }
            return v.get();
        }

        private ComposeFileException invalid(String fragment) {
            return new ComposeFileException(at, path, "invalid interpolation \"" + fragment
                    + "\"; write a literal $ as $$");
        }
    }

    // --- the tree walk and compose-go's casts by path ---

    private Node walk(Node n, List<String> path, Function<String, Optional<String>> env, Consumer<Warning> warnings) {
        if (n instanceof Node.Scalar s) {
            if (s.kind() != Node.Kind.STRING) return s;
            Cast cast = castFor(path);
            String text = s.text().indexOf('$') < 0 ? s.text()
                    : interpolate(s.text(), env, s.location(), display(path), warnings);
            if (cast == null) return text.equals(s.text()) ? s : s.withText(text, Node.Kind.STRING);
            return cast.apply(s, text, display(path), warnings);
        }
        if (n instanceof Node.Seq q) {
            List<Node> items = new ArrayList<>(q.items().size());
            boolean changed = false;
            for (int i = 0; i < q.items().size(); i++) {
                path.add("[" + i + "]");
                Node item = walk(q.items().get(i), path, env, warnings);
                path.remove(path.size() - 1);
                changed |= item != q.items().get(i);
                items.add(item);
            }
            return changed ? q.withItems(items) : q;
        }
        Node.Mapping m = (Node.Mapping) n;
        List<Node.Entry> entries = new ArrayList<>(m.entries().size());
        boolean changed = false;
        for (Node.Entry e : m.entries()) {
            path.add(e.name());
            Node v = walk(e.value(), path, env, warnings);
            path.remove(path.size() - 1);
            changed |= v != e.value();
            entries.add(v == e.value() ? e : new Node.Entry(e.key(), v));
        }
        return changed ? m.withEntries(entries) : m;
    }

    /** compose-go's per-path casts: a string at these paths becomes the type the schema expects. */
    enum Cast {
        INT, INT64, FLOAT, FLOAT32, BOOL;

        Node apply(Node.Scalar s, String text, String path, Consumer<Warning> warnings) {
            String t = text.trim();
            switch (this) {
                case INT, INT64 -> {
                    try {
                        long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                        if (this == INT && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) throw new NumberFormatException();
                        return s.withText(Long.toString(v), Node.Kind.INT);
                    } catch (NumberFormatException e) {
                        throw bad(s, text, path, "an integer");
                    }
                }
                case FLOAT, FLOAT32 -> {
                    try {
                        double d = Double.parseDouble(t);
                        if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
                        return s.withText(t, Node.Kind.FLOAT);
                    } catch (NumberFormatException e) {
                        throw bad(s, text, path, "a number");
                    }
                }
                default -> {
                    switch (t.toLowerCase(Locale.ROOT)) {
                        case "true":
                            return s.withText("true", Node.Kind.BOOL);
                        case "false":
                            return s.withText("false", Node.Kind.BOOL);
                        case "y", "yes", "on":
                            warnings.accept(new Warning(s.location(), path, "\"" + t + "\" for a boolean is not YAML 1.2; write true"));
                            return s.withText("true", Node.Kind.BOOL);
                        case "n", "no", "off":
                            warnings.accept(new Warning(s.location(), path, "\"" + t + "\" for a boolean is not YAML 1.2; write false"));
                            return s.withText("false", Node.Kind.BOOL);
                        default:
                            throw bad(s, text, path, "a boolean (true or false)");
                    }
                }
            }
        }

        private static ComposeFileException bad(Node.Scalar s, String text, String path, String want) {
            String from = text.equals(s.text()) ? "\"" + text + "\"" : "\"" + s.text() + "\" (interpolated to \"" + text + "\")";
            return new ComposeFileException(s.location(), path, from + " must be " + want);
        }
    }

    /** Rows of the table: {@code *} any key, {@code []} any list item. Order does not matter; paths are exact. */
    private static final String[][] CAST_PATHS = {
        {"services.*.configs.[].mode", "INT"},
        {"services.*.cpu_count", "INT64"},
        {"services.*.cpu_percent", "FLOAT"},
        {"services.*.cpu_period", "INT64"},
        {"services.*.cpu_quota", "INT64"},
        {"services.*.cpu_rt_period", "INT64"},
        {"services.*.cpu_rt_runtime", "INT64"},
        {"services.*.cpus", "FLOAT32"},
        {"services.*.cpu_shares", "INT64"},
        {"services.*.init", "BOOL"},
        {"services.*.deploy.replicas", "INT"},
        {"services.*.deploy.update_config.parallelism", "INT"},
        {"services.*.deploy.update_config.max_failure_ratio", "FLOAT"},
        {"services.*.deploy.rollback_config.parallelism", "INT"},
        {"services.*.deploy.rollback_config.max_failure_ratio", "FLOAT"},
        {"services.*.deploy.restart_policy.max_attempts", "INT"},
        {"services.*.deploy.placement.max_replicas_per_node", "INT"},
        {"services.*.healthcheck.retries", "INT"},
        {"services.*.healthcheck.disable", "BOOL"},
        {"services.*.oom_kill_disable", "BOOL"},
        {"services.*.oom_score_adj", "INT64"},
        {"services.*.pids_limit", "INT64"},
        {"services.*.ports.[].target", "INT"},
        {"services.*.privileged", "BOOL"},
        {"services.*.read_only", "BOOL"},
        {"services.*.scale", "INT"},
        {"services.*.secrets.[].mode", "INT"},
        {"services.*.stdin_open", "BOOL"},
        {"services.*.tty", "BOOL"},
        {"services.*.ulimits.*", "INT"},
        {"services.*.ulimits.*.hard", "INT"},
        {"services.*.ulimits.*.soft", "INT"},
        {"services.*.volumes.[].read_only", "BOOL"},
        {"services.*.volumes.[].volume.nocopy", "BOOL"},
        {"networks.*.external", "BOOL"},
        {"networks.*.internal", "BOOL"},
        {"networks.*.attachable", "BOOL"},
        {"networks.*.enable_ipv6", "BOOL"},
        {"volumes.*.external", "BOOL"},
        {"secrets.*.external", "BOOL"},
        {"configs.*.external", "BOOL"},
    };

    /** {@code services.web.ports[0].target}: the spec path as errors print it. */
    static String display(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String p : path) {
            if (sb.length() > 0 && !p.startsWith("[")) sb.append('.');
            sb.append(p);
        }
        return sb.toString();
    }

    static Cast castFor(List<String> path) {
        if (path.isEmpty()) return null;
        outer:
        for (String[] row : CAST_PATHS) {
            String[] parts = row[0].split("\\.");
            if (parts.length != path.size()) continue;
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                String actual = path.get(i);
                boolean item = actual.startsWith("[");
                if (p.equals("[]")) {
                    if (!item) continue outer;
                } else if (p.equals("*")) {
                    if (item) continue outer;
                } else if (!p.equals(actual)) {
                    continue outer;
                }
            }
            return Cast.valueOf(row[1]);
        }
        return null;
    }
}
