package io.jcompose.engine.image;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Engine-wide registry settings. {@code mirrors}: registry domain ({@code docker.io}) → mirror base URIs, tried
 * first for pulls, then the registry itself. {@code insecure}: hosts (host[:port]) that may use plain HTTP;
 * loopback hosts always may.
 */
public record RegistryConfig(SortedMap<String, List<URI>> mirrors, SortedSet<String> insecure, int maxConcurrentDownloads) {
    public RegistryConfig {
        SortedMap<String, List<URI>> m = new TreeMap<>();
        mirrors.forEach((k, v) -> m.put(k, List.copyOf(v)));
        mirrors = java.util.Collections.unmodifiableSortedMap(m);
        insecure = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(insecure));
        if (maxConcurrentDownloads < 1) throw new IllegalArgumentException("maxConcurrentDownloads must be >= 1, got " + maxConcurrentDownloads);
    }

    /** Docker's defaults: no mirrors, nothing insecure, 3 concurrent downloads. */
    public static RegistryConfig defaults() {
        return new RegistryConfig(new TreeMap<>(), new TreeSet<>(), 3);
    }

    public static RegistryConfig of(Map<String, List<URI>> mirrors, Set<String> insecure) {
        return new RegistryConfig(new TreeMap<>(mirrors), new TreeSet<>(insecure), 3);
    }

    /** True when plain HTTP is allowed for host[:port]. */
    public boolean allowsPlainHttp(String hostPort) {
        return insecure.contains(hostPort) || isLoopback(hostPort);
    }

    static boolean isLoopback(String hostPort) {
        String h = hostPort;
        if (h.startsWith("[")) {
            h = h.substring(1, h.indexOf(']'));
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.contains(":")) {
            h = h.substring(0, h.indexOf(':'));
        }
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) return true;
        String[] p = h.split("\\.");
        if (p.length != 4 || !p[0].equals("127")) return false;
        for (String s : p) {
            if (!s.matches("[0-9]{1,3}") || Integer.parseInt(s) > 255) return false;
        }
        return true;
    }
}
