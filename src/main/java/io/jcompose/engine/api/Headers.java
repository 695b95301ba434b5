package io.jcompose.engine.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** HTTP header fields: names compare case-insensitively, a name may repeat, order per name is kept. */
public final class Headers {
    // Sorted (case-insensitive): lookups ignore case, and printing is stable.
    private final TreeMap<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public void add(String name, String value) {
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    public void set(String name, String value) {
        List<String> values = new ArrayList<>();
        values.add(value);
        fields.put(name, values);
    }

    public void remove(String name) {
        fields.remove(name);
    }

    /** The first value of {@code name}, if present. */
    public Optional<String> first(String name) {
        List<String> v = fields.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public List<String> all(String name) {
        List<String> v = fields.get(name);
        return v == null ? List.of() : Collections.unmodifiableList(v);
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** Whether a comma-separated header (Connection, Transfer-Encoding) lists {@code token}, ignoring case. */
    public boolean hasToken(String name, String token) {
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) return true;
            }
        }
        return false;
    }

    Map<String, List<String>> asMap() {
        return Collections.unmodifiableMap(fields);
    }
}
