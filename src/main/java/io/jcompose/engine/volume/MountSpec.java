package io.jcompose.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of Docker's {@code HostConfig.Mounts}, in its JSON shape, so the container part can read a create
 * request straight into it. Example: {@code {"Type":"volume","Source":"data","Target":"/var/lib/db",
 * "VolumeOptions":{"NoCopy":true}}}.
 *
 * @param type   "bind", "volume" or "tmpfs" (others are refused)
 * @param source bind: an absolute host path; volume: a name, empty for an anonymous volume; tmpfs: must be empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MountSpec(@JsonProperty("Type") String type, @JsonProperty("Source") String source,
                        @JsonProperty("Target") String target, @JsonProperty("ReadOnly") boolean readOnly,
                        @JsonProperty("Consistency") String consistency,
                        @JsonProperty("BindOptions") BindOptions bindOptions,
                        @JsonProperty("VolumeOptions") VolumeOptions volumeOptions,
                        @JsonProperty("TmpfsOptions") TmpfsOptions tmpfsOptions) {
    public MountSpec {
        type = type == null ? "" : type;
        source = source == null ? "" : source;
        target = target == null ? "" : target;
    }

    /** A short form for tests and callers: no options. */
    public static MountSpec of(String type, String source, String target, boolean readOnly) {
        return new MountSpec(type, source, target, readOnly, null, null, null, null);
    }

    /** {@code CreateMountpoint} (API 1.42) creates a missing bind source instead of failing, as Compose's create_host_path. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BindOptions(@JsonProperty("Propagation") String propagation, @JsonProperty("NonRecursive") boolean nonRecursive,
                              @JsonProperty("CreateMountpoint") boolean createMountpoint) {}

    /** {@code Subpath} (API 1.45): mount only this relative path of the volume; it must exist and stay inside it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VolumeOptions(@JsonProperty("NoCopy") boolean noCopy, @JsonProperty("Labels") SortedMap<String, String> labels,
                                @JsonProperty("DriverConfig") DriverConfig driverConfig, @JsonProperty("Subpath") String subpath) {
        public VolumeOptions {
            labels = new TreeMap<>(labels == null ? Map.of() : labels);
            subpath = subpath == null ? "" : subpath;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DriverConfig(@JsonProperty("Name") String name, @JsonProperty("Options") SortedMap<String, String> options) {
        public DriverConfig {
            options = new TreeMap<>(options == null ? Map.of() : options);
        }
    }

    /** {@code SizeBytes} 0: the kernel default (half of RAM); {@code Mode} 0: the default 1777. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TmpfsOptions(@JsonProperty("SizeBytes") long sizeBytes, @JsonProperty("Mode") int mode) {
        public TmpfsOptions {
            if (sizeBytes < 0) throw new IllegalArgumentException("TmpfsOptions.SizeBytes must be >= 0, got " + sizeBytes);
        }
    }
}
