package io.jcompose.engine.image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An OCI content descriptor. {@code platform} is null except inside an index; annotations are sorted so the
 * JSON (and so the digest of whatever embeds it) does not depend on insertion order.
 */
record OciDescriptor(String mediaType, String digest, long size, Map<String, String> platform,
                     SortedMap<String, String> annotations) {
    OciDescriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        if (!digest.matches("sha256:[0-9a-f]{64}")) throw new IllegalArgumentException("bad digest " + digest);
        platform = platform == null ? null : Map.copyOf(platform);
        annotations = new TreeMap<>(annotations);
    }

    OciDescriptor(String mediaType, String digest, long size) {
        this(mediaType, digest, size, null, new TreeMap<>());
    }

    OciDescriptor withPlatform(Map<String, String> p) {
        return new OciDescriptor(mediaType, digest, size, p, annotations);
    }

    OciDescriptor withAnnotation(String key, String value) {
        SortedMap<String, String> a = new TreeMap<>(annotations);
        a.put(key, value);
        return new OciDescriptor(mediaType, digest, size, platform, a);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", mediaType);
        m.put("digest", digest);
        m.put("size", size);
        if (platform != null) m.put("platform", new TreeMap<>(platform));
        if (!annotations.isEmpty()) m.put("annotations", annotations);
        return m;
    }
}
