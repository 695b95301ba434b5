package io.jcompose.engine.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as ints and CIDR blocks; parsing refuses anything that is not dotted-quad IPv4. */
final class Ipv4 {
    private Ipv4() {}

    static int parse(String s) {
        String[] p = s.trim().split("\\.", -1);
        if (p.length != 4) throw new IllegalArgumentException("invalid IPv4 address \"" + s + "\"");
        int v = 0;
        for (String x : p) {
            int b;
            try {
                b = Integer.parseInt(x);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid IPv4 address \"" + s + "\"");
            }
            if (b < 0 || b > 255 || x.isEmpty()) throw new IllegalArgumentException("invalid IPv4 address \"" + s + "\"");
            v = (v << 8) | b;
        }
        return v;
    }

    static String format(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    static InetAddress inet(int a) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static int of(InetAddress a) {
        if (!(a instanceof Inet4Address)) throw new IllegalArgumentException("not an IPv4 address: " + a);
        byte[] b = a.getAddress();
        return ((b[0] & 255) << 24) | ((b[1] & 255) << 16) | ((b[2] & 255) << 8) | (b[3] & 255);
    }

    /** A CIDR block, normalised to its network address. */
    record Cidr(int base, int prefix) implements Comparable<Cidr> {
        Cidr {
            if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("invalid prefix length /" + prefix);
            base = base & mask(prefix);
        }

        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            if (slash < 0) throw new IllegalArgumentException("invalid CIDR \"" + s + "\": expected a.b.c.d/n");
            int prefix;
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid CIDR \"" + s + "\": expected a.b.c.d/n");
            }
            return new Cidr(parse0(s.substring(0, slash)), prefix);
        }

        private static int parse0(String s) {
            return Ipv4.parse(s);
        }

        static int mask(int prefix) {
            return prefix == 0 ? 0 : -1 << (32 - prefix);
        }

        int last() {
            return base | ~mask(prefix);
        }

        boolean contains(int a) {
            return (a & mask(prefix)) == base;
        }

        boolean overlaps(Cidr o) {
            int p = Math.min(prefix, o.prefix);
            return (base & mask(p)) == (o.base & mask(p));
        }

        long size() {
            return 1L << (32 - prefix);
        }

        @Override public String toString() {
            return format(base) + "/" + prefix;
        }

        @Override public int compareTo(Cidr o) {
            int c = Integer.compareUnsigned(base, o.base);
            return c != 0 ? c : Integer.compare(prefix, o.prefix);
        }
    }
}
