package io.jcompose.engine.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's route table: method + path template → {@link Handler}. Each part of the engine registers its own
 * routes (the system routes, images, containers …) on the one table the server serves.
 *
 * <p>Templates are paths without the version prefix. {@code {name}} matches one non-empty segment;
 * {@code {name:.*}} matches the rest greedily, slashes included (image references like
 * {@code localhost:5000/team/app:1}), as moby's router does. Example:
 * <pre>
 * routes.get("/images/{name:.*}/json", images::inspect)
 *       .post("/images/create", images::pull)
 *       .delete("/images/{name:.*}", images::remove);
 * </pre>
 * Matching is on the percent-decoded path and does not depend on registration order: when several templates
 * match, one without a greedy parameter wins, then the one with more literal characters
 * ({@code /images/search} beats {@code /images/{name}}). A HEAD request without a HEAD route is served by the GET
 * route with the body left off. Registering the same method and template twice is an error.
 */
public final class Routes {
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)(:\\.\\*)?}");

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** One registered route. */
    record Route(String method, String template, Pattern pattern, List<String> names, int greedy, int literal,
                 Handler handler) {}

    /** A route that matched a path, with its parameters decoded. */
    record Match(Route route, SortedMap<String, String> params, boolean headViaGet) {}

    public Routes add(String method, String template, Handler handler) {
        String m = method.toUpperCase(Locale.ROOT);
        if (!template.startsWith("/")) throw new IllegalArgumentException("route template must start with /: " + template);
        if (handler == null) throw new IllegalArgumentException("route " + m + " " + template + " has no handler");
        StringBuilder regex = new StringBuilder("^");
        List<String> names = new ArrayList<>();
        int greedy = 0;
        int literal = 0;
        Matcher p = PARAM.matcher(template);
        int last = 0;
        while (p.find()) {
            String lit = template.substring(last, p.start());
            checkLiteral(template, lit);
            regex.append(Pattern.quote(lit));
            literal += lit.length();
            if (names.contains(p.group(1))) throw new IllegalArgumentException("route " + template + " repeats {" + p.group(1) + "}");
            names.add(p.group(1));
            if (p.group(2) != null) {
                regex.append("(.*)");
                greedy++;
            } else {
                regex.append("([^/]+)");
            }
            last = p.end();
        }
        String tail = template.substring(last);
        checkLiteral(template, tail);
        regex.append(Pattern.quote(tail)).append('$');
        literal += tail.length();
        synchronized (routes) {
            for (Route r : routes) {
                if (r.method.equals(m) && r.template.equals(template)) {
                    throw new IllegalArgumentException("route " + m + " " + template + " is already registered");
                }
            }
            routes.add(new Route(m, template, Pattern.compile(regex.toString(), Pattern.DOTALL), List.copyOf(names),
                    greedy, literal, handler));
        }
        return this;
    }

    private static void checkLiteral(String template, String literal) {
        if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
            throw new IllegalArgumentException("route " + template + ": only {name} and {name:.*} parameters are supported");
        }
    }

    public Routes get(String template, Handler handler) {
        return add("GET", template, handler);
    }

    public Routes head(String template, Handler handler) {
        return add("HEAD", template, handler);
    }

    public Routes post(String template, Handler handler) {
        return add("POST", template, handler);
    }

    public Routes put(String template, Handler handler) {
        return add("PUT", template, handler);
    }

    public Routes delete(String template, Handler handler) {
        return add("DELETE", template, handler);
    }

    /** The route serving {@code method} on a decoded, unprefixed {@code path}; empty means 404. */
    Optional<Match> match(String method, String path) {
        Optional<Match> m = best(method, path, false);
        if (m.isEmpty() && method.equals("HEAD")) m = best("GET", path, true);
        return m;
    }

    private Optional<Match> best(String method, String path, boolean headViaGet) {
        Match best = null;
        Comparator<Route> better = Comparator.<Route>comparingInt(r -> -r.greedy).thenComparingInt(r -> r.literal);
        for (Route r : routes) {
            if (!r.method.equals(method)) continue;
            Matcher m = r.pattern.matcher(path);
            if (!m.matches()) continue;
            if (best != null && better.compare(r, best.route) <= 0) continue;
            SortedMap<String, String> params = new TreeMap<>();
            for (int i = 0; i < r.names.size(); i++) params.put(r.names.get(i), m.group(i + 1));
            best = new Match(r, params, headViaGet);
        }
        return Optional.ofNullable(best);
    }

    /** "METHOD template" of every route, sorted: for the debug log and tests. */
    public List<String> describe() {
        return routes.stream().map(r -> r.method + " " + r.template).sorted().toList();
    }
}
