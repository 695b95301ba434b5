package io.jcompose.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A volume as stored in {@code <root>/volumes/<name>/volume.json}: what Docker's volume inspect shows plus the
 * ids of the containers that use it ({@code refs}, persisted so an engine restart keeps "in use" true).
 *
 * @param createdAt RFC 3339, seconds precision, as Docker writes it ("2026-11-23T05:25:57Z")
 * @param labels    sorted; {@value #ANONYMOUS_LABEL} (empty value) marks a volume made for an unnamed mount
 * @param options   the local driver's options (type, device, o); empty: a plain directory
 */
public record Volume(String name, String driver, String createdAt, SortedMap<String, String> labels,
                     SortedMap<String, String> options, SortedSet<String> refs) {
    /** Docker (API 1.42+) marks anonymous volumes with this label; prune removes only these by default there. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public Volume {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        options = new TreeMap<>(options == null ? Map.of() : options);
        refs = new TreeSet<>(refs == null ? java.util.Set.of() : refs);
        Volumes.checkName(name, "create");
    }

    @JsonIgnore
    public boolean anonymous() {
        return labels.containsKey(ANONYMOUS_LABEL);
    }

    @JsonIgnore
    public boolean inUse() {
        return !refs.isEmpty();
    }

    /** Where the data lives under a volumes directory: {@code <dir>/<name>/_data}. */
    public Path mountpoint(Path volumesDir) {
        return volumesDir.resolve(name).resolve("_data");
    }

    Volume withRefs(SortedSet<String> newRefs) {
        return new Volume(name, driver, createdAt, labels, options, newRefs);
    }
}
