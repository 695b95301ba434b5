package io.jcompose.engine.volume;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of an OCI runtime-spec {@code mounts} array, ready for config.json. Example:
 * {@code {"destination":"/data","type":"bind","source":"/var/lib/jcompose/volumes/db/_data","options":["rbind"]}}.
 */
public record OciMount(@JsonProperty("destination") String destination, @JsonProperty("type") String type,
                       @JsonProperty("source") String source, @JsonProperty("options") List<String> options) {
    public OciMount {
        options = List.copyOf(options);
    }

    @Override
    public String toString() {
        return destination + " " + type + " " + source + " " + String.join(",", options);
    }
}
