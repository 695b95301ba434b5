package io.jcompose.engine.volume;

import java.util.Map;
import java.util.TreeMap;

/**
 * A mount a container asked for, parsed and checked but not yet resolved (no volume created, no directory
 * made). Made by {@link MountParser} from a Binds string or a {@link MountSpec}.
 *
 * @param source         bind: host path; volume: name ("" = anonymous); tmpfs: ""
 * @param mode           the Binds mode text as given ("ro,z"), "" for Mounts
 * @param propagation    "" = none given (binds then get rprivate)
 * @param createHostPath a missing bind source is created (Binds always; Mounts with CreateMountpoint)
 */
record MountRequest(String type, String source, String target, boolean readOnly, String mode, String propagation,
                    boolean nonRecursive, boolean noCopy, String subpath, Map<String, String> labels, String driver,
                    Map<String, String> driverOptions, String tmpfsData, boolean createHostPath) {
    MountRequest {
        // Clients send empty objects with null members ({"DriverConfig":{}} from `--mount …,volume-nocopy`): "" means unset.
        mode = mode == null ? "" : mode;
        propagation = propagation == null ? "" : propagation;
        subpath = subpath == null ? "" : subpath;
        driver = driver == null ? "" : driver;
        tmpfsData = tmpfsData == null ? "" : tmpfsData;
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        driverOptions = new TreeMap<>(driverOptions == null ? Map.of() : driverOptions);
    }
}
