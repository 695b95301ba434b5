package io.jcompose.engine.network;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A network to create. Empty optionals: allocated (subnet from the default pools avoiding host routes and our other
 * networks; gateway the subnet's first address; range the whole subnet). {@code enableIpv6} is refused for now.
 */
public record CreateRequest(String name, String driver, boolean internal, boolean attachable, SortedMap<String, String> labels,
                            SortedMap<String, String> options, Optional<String> subnet, Optional<String> gateway,
                            Optional<String> ipRange, boolean enableIpv6) {
    public CreateRequest {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        options = new TreeMap<>(options == null ? Map.of() : options);
        driver = driver == null || driver.isEmpty() ? "bridge" : driver;
    }

    public static CreateRequest named(String name) {
        return new CreateRequest(name, "bridge", false, false, null, null, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }
}
