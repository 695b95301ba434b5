package io.jcompose.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which events to receive.
 *
 * @param since   null: only new events
 * @param until   null: stream until closed
 * @param filters Docker's event filters: {@code type}, {@code event}, {@code label} ({@code key=value}),
 *                {@code container}, … each with the accepted values (OR within a key, AND across keys)
 */
public record EventFilter(Instant since, Instant until, SortedMap<String, List<String>> filters) {
    public static final EventFilter ALL_NEW = new EventFilter(null, null, Map.of());

    public EventFilter(Instant since, Instant until, Map<String, List<String>> filters) {
        this(since, until, copy(filters));
    }

    public EventFilter {
        filters = copy(filters);
    }

    private static SortedMap<String, List<String>> copy(Map<String, List<String>> m) {
        SortedMap<String, List<String>> out = new TreeMap<>();
        if (m != null) m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }
}
