package io.jcompose.runtime;

import java.util.Set;

/** Docker restart policy: {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:max]}. */
public record RestartPolicy(String name, int maxRetries) {
    private static final Set<String> NAMES = Set.of("no", "always", "unless-stopped", "on-failure");
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public RestartPolicy {
        name = name == null || name.isEmpty() ? "no" : name;
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("restart policy must be one of " + NAMES + ", got " + name);
        }
        if (maxRetries < 0) throw new IllegalArgumentException("restart max retries must be >= 0");
    }
}
