package io.jcompose.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Defensive copies for the records' compact constructors: sorted, unmodifiable, no nulls. */
final class Copies {
    private Copies() {}

    static <V> SortedMap<String, V> sorted(Map<String, V> m) {
        TreeMap<String, V> t = new TreeMap<>();
        for (Map.Entry<String, V> e : m.entrySet()) t.put(Objects.requireNonNull(e.getKey()), Objects.requireNonNull(e.getValue(), e.getKey()));
        return Collections.unmodifiableSortedMap(t);
    }

    static <T> List<T> list(List<T> l) {
        return List.copyOf(l);
    }

    static <T> Optional<T> opt(Optional<T> o) {
        return Objects.requireNonNull(o);
    }

    static <T> Optional<List<T>> optList(Optional<List<T>> o) {
        return Objects.requireNonNull(o).map(List::copyOf);
    }

    static String name(String kind, String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException(kind + " name must not be empty");
        return name;
    }
}
