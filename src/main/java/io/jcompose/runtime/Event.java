package io.jcompose.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An engine event.
 *
 * @param type       {@code container}, {@code image}, {@code network}, {@code volume}, …
 * @param action     {@code create}, {@code start}, {@code die}, {@code health_status: healthy}, …
 * @param actorId    the object's id (or name, for volumes)
 * @param attributes labels and details (e.g. {@code name}, {@code exitCode}, {@code image})
 */
public record Event(String type, String action, String actorId, SortedMap<String, String> attributes, Instant time) {
    public Event {
        type = type == null ? "" : type;
        action = action == null ? "" : action;
        actorId = actorId == null ? "" : actorId;
        attributes = new TreeMap<>(attributes == null ? Map.of() : attributes);
    }
}
