package io.jcompose.engine.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jcompose.engine.volume.Volume;
import io.jcompose.engine.volume.VolumeException;
import io.jcompose.engine.volume.Volumes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Docker's volume endpoints: create, list, inspect, remove, prune ({@code /volumes…}), and the volume part of
 * {@code /system/df} as {@link #diskUsage}. Shapes and texts follow dockerd 20.10 (API 1.41); prune follows the
 * version of the request: before 1.42 it removes every unused volume, from 1.42 only anonymous ones unless the
 * {@code all} filter is true.
 */
public final class VolumeRoutes {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "name", "driver", "label");
    private final Volumes volumes;

    private VolumeRoutes(Volumes volumes) {
        this.volumes = volumes;
    }

    public static void register(Routes routes, Volumes volumes) {
        VolumeRoutes v = new VolumeRoutes(volumes);
        routes.post("/volumes/create", v::create)
                .get("/volumes", v::list)
                .get("/volumes/{name}", v::inspect)
                .delete("/volumes/{name}", v::remove)
                .post("/volumes/prune", v::prune);
    }

    /** The body of POST /volumes/create (VolumeCreateOptions); unknown fields (ClusterVolumeSpec) are ignored. */
    record CreateBody(@JsonProperty("Name") String name, @JsonProperty("Driver") String driver,
                      @JsonProperty("DriverOpts") Map<String, String> driverOpts, @JsonProperty("Labels") Map<String, String> labels) {}

    private void create(Request req, Response res) throws IOException {
        // An empty body asks for an anonymous volume with defaults (newer dockerd accepts it; old clients send "{}").
        byte[] raw = req.body().readAllBytes();
        CreateBody b;
        try {
            b = raw.length == 0 ? new CreateBody(null, null, null, null) : Json.MAPPER.readValue(raw, CreateBody.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiException.invalid("invalid JSON: " + e.getOriginalMessage());
        }
        Volume v = call(() -> volumes.create(b.name(), b.driver(), b.driverOpts(), b.labels()));
        res.json(201, dto(volumes, v, null));
    }

    private void list(Request req, Response res) throws IOException {
        Filters f = Filters.of(req);
        for (String k : f.values().keySet()) if (!LIST_FILTERS.contains(k)) throw ApiException.invalid("Invalid filter '" + k + "'");
        Boolean dangling = null;
        for (String d : f.get("dangling")) {
            boolean value = switch (d.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw ApiException.invalid("Invalid filter 'dangling=" + d + "'");
            };
            dangling = value;
        }
        List<Object> out = new ArrayList<>();
        for (Volume v : volumes.list()) {
            if (!f.get("name").isEmpty() && f.get("name").stream().noneMatch(n -> nameMatches(n, v.name()))) continue;
            if (!f.get("driver").isEmpty() && !f.get("driver").contains(v.driver())) continue;
            if (!f.matchesLabels(v.labels())) continue;
            if (dangling != null && dangling == v.inUse()) continue;
            out.add(dto(volumes, v, null));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Volumes", out);
        body.put("Warnings", null);
        res.json(200, body);
    }

    private void inspect(Request req, Response res) throws IOException {
        res.json(200, dto(volumes, call(() -> volumes.get(req.param("name"))), null));
    }

    private void remove(Request req, Response res) throws IOException {
        call(() -> {
            volumes.remove(req.param("name"), req.flag("force"));
            return null;
        });
        res.empty(204);
    }

    private void prune(Request req, Response res) throws IOException {
        Filters f = Filters.of(req);
        boolean v142 = req.version().atLeast(1, 42);
        for (String k : f.values().keySet()) {
            if (!k.equals("label") && !k.equals("label!") && !(v142 && k.equals("all"))) throw ApiException.invalid("Invalid filter '" + k + "'");
        }
        boolean all = !v142 || f.get("all").stream().anyMatch(a -> a.equals("true") || a.equals("1"));
        Volumes.Pruned p = call(() -> volumes.prune(v -> (all || v.anonymous()) && f.matchesLabels(v.labels())
                && f.get("label!").stream().noneMatch(l -> hasLabel(v.labels(), l))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("VolumesDeleted", p.names());
        body.put("SpaceReclaimed", p.spaceReclaimed());
        res.json(200, body);
    }

    /** Docker matches the name filter as a regular expression found anywhere in the name; a bad pattern as plain text. */
    static boolean nameMatches(String filter, String name) {
        try {
            return java.util.regex.Pattern.compile(filter).matcher(name).find();
        } catch (java.util.regex.PatternSyntaxException e) {
            return name.contains(filter);
        }
    }

    /** "key" present, or "key=value" equal: one negated label filter matches (so the volume is kept). */
    private static boolean hasLabel(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /**
     * The {@code Volumes} array of {@code GET /system/df}: every volume with {@code UsageData {Size, RefCount}}.
     * For the lead's SystemRoutes; walking every volume's data can take a while on big volumes.
     */
    public static List<Map<String, Object>> diskUsage(Volumes volumes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Volumes.Usage u : volumes.diskUsage()) {
            Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("Size", u.size());
            usage.put("RefCount", u.refCount());
            out.add(dto(volumes, u.volume(), usage));
        }
        return out;
    }

    /** Docker's Volume JSON: Labels and Options are null when empty (as dockerd answers), UsageData only in df. */
    static Map<String, Object> dto(Volumes volumes, Volume v, Map<String, Object> usage) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("CreatedAt", v.createdAt());
        m.put("Driver", v.driver());
        m.put("Labels", v.labels().isEmpty() ? null : v.labels());
        m.put("Mountpoint", volumes.mountpoint(v.name()).toString());
        m.put("Name", v.name());
        m.put("Options", v.options().isEmpty() ? null : v.options());
        m.put("Scope", "local");
        if (usage != null) m.put("UsageData", usage);
        return m;
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /** Volume failures become Docker's statuses: invalid 400, not found 404, conflict 409, internal 500. */
    private static <T> T call(Call<T> c) throws IOException {
        try {
            return c.run();
        } catch (VolumeException e) {
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case INTERNAL -> 500;
            };
            throw new ApiException(status, e.getMessage(), e);
        }
    }
}
