package io.jcompose.engine.snapshot;

import java.util.List;

/**
 * A mount as data (containerd's shape): what {@code mount -t <type> -o <options joined by ','> <source> <target>}
 * would do. For overlay the options are {@code lowerdir=<top>:…:<bottom>}, {@code upperdir=…}, {@code workdir=…};
 * lowerdir lists the TOP layer first, as the kernel expects.
 */
public record Mount(String type, String source, List<String> options) {
    public Mount {
        options = List.copyOf(options);
        if (type.isBlank()) throw new IllegalArgumentException("mount type is empty");
    }

    /** The mount(2) data string. */
    public String data() {
        return String.join(",", options);
    }

    /** The value of {@code key=value} in the options, or null. */
    public String option(String key) {
        for (String o : options) {
            if (o.startsWith(key + "=")) return o.substring(key.length() + 1);
        }
        return null;
    }
}
