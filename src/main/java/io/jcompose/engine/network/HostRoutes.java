package io.jcompose.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's IPv4 routes (from /proc/net/route), which a new subnet must not overlap. */
final class HostRoutes {
    private HostRoutes() {}

    /** Every non-default route's destination block. */
    static List<Ipv4.Cidr> read() {
        try {
            return parse(Files.readString(Path.of("/proc/net/route")));
        } catch (IOException e) {
            throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "cannot read /proc/net/route: " + e.getMessage(), e);
        }
    }

    /** /proc/net/route columns: Iface Destination Gateway Flags … Mask …, addresses as little-endian hex. */
    static List<Ipv4.Cidr> parse(String table) {
        List<Ipv4.Cidr> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) continue;
            int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
            int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
            int prefix = Integer.bitCount(mask);
            if (prefix == 0) continue; // the default route covers everything; it is not a clash
            out.add(new Ipv4.Cidr(dest, prefix));
        }
        return out;
    }
}
