package io.jcompose.engine.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Address management: subnets from Docker's default pools, addresses within a network. Pure functions. */
final class Ipam {
    private Ipam() {}

    /** Docker's default address pools: 172.17–31.0.0/16, then 192.168.0.0/16 cut into /20s. */
    static List<Ipv4.Cidr> defaultPools() {
        List<Ipv4.Cidr> pools = new ArrayList<>();
        for (int b = 17; b <= 31; b++) pools.add(new Ipv4.Cidr(Ipv4.parse("172." + b + ".0.0"), 16));
        for (int c = 0; c < 256; c += 16) pools.add(new Ipv4.Cidr(Ipv4.parse("192.168." + c + ".0"), 20));
        return pools;
    }

    /** The first pool overlapping none of {@code taken} (host routes and other networks). */
    static Ipv4.Cidr allocateSubnet(Collection<Ipv4.Cidr> taken) {
        for (Ipv4.Cidr c : defaultPools()) {
            if (taken.stream().noneMatch(c::overlaps)) return c;
        }
        throw new NetworkException(NetworkException.Kind.UNAVAILABLE,
                "all predefined address pools have been fully subnetted; remove unused networks (jcompose/docker network prune) or give a subnet");
    }

    /** The gateway a network gets without one in the request: the first host address of the range (or subnet). */
    static int defaultGateway(Ipv4.Cidr subnet) {
        return subnet.base() + 1;
    }

    /**
     * The lowest free address of {@code range} (within {@code subnet}): not the subnet's network or broadcast address,
     * not the gateway, not in {@code used}.
     */
    static int allocateAddress(Ipv4.Cidr subnet, Ipv4.Cidr range, int gateway, Set<Integer> used) {
        long first = Integer.toUnsignedLong(range.base());
        long last = Integer.toUnsignedLong(range.last());
        for (long a = first; a <= last; a++) {
            int ip = (int) a;
            if (usable(subnet, gateway, ip) && !used.contains(ip)) return ip;
        }
        throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "no free address left in " + range + " of network " + subnet);
    }

    static boolean usable(Ipv4.Cidr subnet, int gateway, int ip) {
        if (!subnet.contains(ip) || ip == gateway) return false;
        if (subnet.prefix() <= 30 && (ip == subnet.base() || ip == subnet.last())) return false;
        return true;
    }

    /** Docker's MAC for an address: 02:42 followed by the four address bytes. */
    static String mac(int ip) {
        return String.format("02:42:%02x:%02x:%02x:%02x", (ip >>> 24) & 255, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255);
    }
}
