package io.jcompose.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A resolved mount of a container, in the shape of Docker's inspect {@code Mounts} entries (the container part
 * persists these and shows them in inspect; {@code volumes_from} copies them). The two fields after
 * {@code Propagation} are ours and are left out of JSON when unset.
 *
 * @param type        "bind", "volume" or "tmpfs"
 * @param name        the volume name (volumes only)
 * @param source      the host path mounted (a volume's {@code _data}, with its subpath), empty for tmpfs
 * @param mode        the mode text given in Binds ("ro,z"), empty otherwise
 * @param propagation bind propagation ("rprivate" by default for binds; empty for volumes and tmpfs, as Docker)
 * @param tmpfsData   tmpfs mount data ("size=64m,mode=1777")
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountPoint(@JsonProperty("Type") String type, @JsonProperty("Name") String name,
                         @JsonProperty("Source") String source, @JsonProperty("Destination") String destination,
                         @JsonProperty("Driver") String driver, @JsonProperty("Mode") String mode,
                         @JsonProperty("RW") boolean rw, @JsonProperty("Propagation") String propagation,
                         @JsonProperty("NonRecursive") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean nonRecursive,
                         @JsonProperty("TmpfsData") @JsonInclude(JsonInclude.Include.NON_EMPTY) String tmpfsData) {
    public MountPoint {
        name = name == null ? "" : name;
        source = source == null ? "" : source;
        driver = driver == null ? "" : driver;
        mode = mode == null ? "" : mode;
        propagation = propagation == null ? "" : propagation;
        tmpfsData = tmpfsData == null ? "" : tmpfsData;
        if (!List.of("bind", "volume", "tmpfs").contains(type)) throw new IllegalArgumentException("mount type " + type);
    }

    MountPoint withRw(boolean newRw) {
        return new MountPoint(type, name, source, destination, driver, mode, newRw, propagation, nonRecursive, tmpfsData);
    }

    /** The OCI entry, with Docker's option order: bind/volume {@code rbind[,ro][,propagation]}; tmpfs noexec,nosuid,nodev,rprivate + data (later ones win). */
    public OciMount toOci() {
        if (type.equals("tmpfs")) {
            List<String> opts = new ArrayList<>(List.of("noexec", "nosuid", "nodev", "rprivate"));
            if (!rw) opts.add("ro");
            if (!tmpfsData.isEmpty()) opts.addAll(List.of(tmpfsData.split(",")));
            return new OciMount(destination, "tmpfs", "tmpfs", TmpfsData.merge(opts));
        }
        List<String> opts = new ArrayList<>();
        opts.add(nonRecursive ? "bind" : "rbind");
        if (!rw) opts.add("ro");
        if (!propagation.isEmpty()) opts.add(propagation);
        return new OciMount(destination, "bind", source, opts);
    }
}
