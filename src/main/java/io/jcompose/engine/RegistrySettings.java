package io.jcompose.engine;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.engine.image.RegistryConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engine's registry settings: mirrors and insecure registries, from {@code <root>/engine.json} and from
 * {@code jcompose engine} flags (the flags add to the file). The file uses dockerd's daemon.json keys, with one
 * extension: {@code registry-mirrors} may be a map from registry domain to mirrors as well as dockerd's plain list
 * (which means docker.io):
 * <pre>
 * {"registry-mirrors": {"docker.io": ["http://127.0.0.1:5000"]},
 *  "insecure-registries": ["registry.lan:5000"],
 *  "max-concurrent-downloads": 3}
 * </pre>
 * A flag {@code --registry-mirror docker.io=http://127.0.0.1:5000} (or a bare URL, meaning docker.io, as dockerd's)
 * and {@code --insecure-registry host:port}. Mirror URLs need a scheme; plain HTTP only for loopback or insecure hosts.
 */
public record RegistrySettings(SortedMap<String, List<URI>> mirrors, SortedSet<String> insecure, int maxConcurrentDownloads) {
    public static final String FILE = "engine.json";
    public static final RegistrySettings NONE = new RegistrySettings(new TreeMap<>(), new TreeSet<>(), 3);
    private static final ObjectMapper JSON = new ObjectMapper();

    public RegistrySettings {
        SortedMap<String, List<URI>> m = new TreeMap<>();
        mirrors.forEach((k, v) -> m.put(k, List.copyOf(v)));
        mirrors = java.util.Collections.unmodifiableSortedMap(m);
        insecure = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(insecure));
        for (List<URI> l : mirrors.values()) {
            for (URI u : l) {
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                    throw new IllegalArgumentException("registry mirror \"" + u + "\" must be an http:// or https:// URL");
                }
            }
        }
        if (maxConcurrentDownloads < 1) throw new IllegalArgumentException("max-concurrent-downloads must be >= 1, got " + maxConcurrentDownloads);
    }

    /** Parses {@code --registry-mirror} values: {@code domain=url} or a bare URL (docker.io). */
    public static RegistrySettings fromFlags(List<String> mirrorFlags, List<String> insecureFlags) {
        SortedMap<String, List<URI>> m = new TreeMap<>();
        for (String f : mirrorFlags) {
            int eq = f.indexOf('=');
            String domain = eq > 0 && !f.substring(0, eq).contains("/") ? f.substring(0, eq) : "docker.io";
            String url = eq > 0 && !f.substring(0, eq).contains("/") ? f.substring(eq + 1) : f;
            m.computeIfAbsent(normaliseDomain(domain), k -> new ArrayList<>()).add(uri(url, "--registry-mirror"));
        }
        return new RegistrySettings(m, new TreeSet<>(insecureFlags), 3);
    }

    /** Reads {@code <root>/engine.json} (absent: {@link #NONE}); a bad file fails with its path and the problem. */
    public static RegistrySettings load(Path root) throws IOException {
        Path f = root.resolve(FILE);
        if (!Files.isRegularFile(f)) return NONE;
        JsonNode n;
        try {
            n = JSON.readTree(f.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(f + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException(f + ": expected a JSON object");
        try {
            SortedMap<String, List<URI>> m = new TreeMap<>();
            JsonNode mirrors = n.path("registry-mirrors");
            if (mirrors.isArray()) {
                for (JsonNode u : mirrors) m.computeIfAbsent("docker.io", k -> new ArrayList<>()).add(uri(u.asText(), "registry-mirrors"));
            } else if (mirrors.isObject()) {
                for (Map.Entry<String, JsonNode> e : mirrors.properties()) {
                    List<URI> l = m.computeIfAbsent(normaliseDomain(e.getKey()), k -> new ArrayList<>());
                    if (e.getValue().isArray()) {
                        for (JsonNode u : e.getValue()) l.add(uri(u.asText(), "registry-mirrors." + e.getKey()));
                    } else {
                        l.add(uri(e.getValue().asText(), "registry-mirrors." + e.getKey()));
                    }
                }
            } else if (!mirrors.isMissingNode() && !mirrors.isNull()) {
                throw new IllegalArgumentException("registry-mirrors must be a list of URLs or a map of registry to URLs");
            }
            SortedSet<String> insecure = new TreeSet<>();
            for (JsonNode h : n.path("insecure-registries")) insecure.add(h.asText());
            int downloads = n.path("max-concurrent-downloads").asInt(3);
            return new RegistrySettings(m, insecure, downloads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage());
        }
    }

    /** These settings plus {@code more}'s (the flags): a domain's mirrors are tried file first; the download limit is this one's. */
    public RegistrySettings plus(RegistrySettings more) {
        SortedMap<String, List<URI>> m = new TreeMap<>();
        mirrors.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
        more.mirrors.forEach((k, v) -> m.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        SortedSet<String> i = new TreeSet<>(insecure);
        i.addAll(more.insecure);
        return new RegistrySettings(m, i, maxConcurrentDownloads);
    }

    public RegistryConfig toRegistryConfig() {
        return new RegistryConfig(mirrors, insecure, maxConcurrentDownloads);
    }

    private static String normaliseDomain(String d) {
        return d.equals("index.docker.io") || d.equals("registry-1.docker.io") ? "docker.io" : d;
    }

    private static URI uri(String s, String where) {
        if (!s.trim().matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException(where + ": mirror \"" + s + "\" needs a scheme (http:// or https://)");
        }
        try {
            return URI.create(s.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": invalid mirror URL \"" + s + "\"");
        }
    }
}
