package io.jcompose.engine.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code filters} query parameter of list endpoints, as moby's {@code filters.FromJSON} reads it: the current
 * form {@code {"label":["a=b","c"]}} and the older {@code {"label":{"a=b":true}}} (docker-py and old CLIs).
 */
public record Filters(SortedMap<String, List<String>> values) {
    public static final Filters NONE = new Filters(new TreeMap<>());

    public Filters {
        SortedMap<String, List<String>> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        values = copy;
    }

    /** Parses {@code request}'s filters; absent or empty is {@link #NONE}; malformed JSON is a 400. */
    public static Filters of(Request request) {
        return parse(request.queryParam("filters").orElse(""));
    }

    static Filters parse(String json) {
        if (json.isBlank()) return NONE;
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw ApiException.invalid("invalid filter: " + e.getOriginalMessage());
        }
        if (!root.isObject()) throw ApiException.invalid("invalid filter: expected a JSON object, got " + json);
        SortedMap<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            List<String> vals = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> vals.add(x.asText()));
            } else if (v.isObject()) {
                v.properties().forEach(x -> {
                    if (x.getValue().asBoolean()) vals.add(x.getKey());
                });
            } else {
                throw ApiException.invalid("invalid filter '" + e.getKey() + "': expected a list of values");
            }
            vals.sort(null);
            out.put(e.getKey(), vals);
        }
        return new Filters(out);
    }

    /** The values of filter {@code name} (empty if not given). */
    public List<String> get(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Whether labels satisfy every {@code label} filter ("key" present, or "key=value" equal), as Docker matches. */
    public boolean matchesLabels(Map<String, String> labels) {
        for (String f : get("label")) {
            int eq = f.indexOf('=');
            if (eq < 0 ? !labels.containsKey(f) : !f.substring(eq + 1).equals(labels.get(f.substring(0, eq)))) return false;
        }
        return true;
    }
}
