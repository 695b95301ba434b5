package io.jcompose.model;

/** A resource limit; {@code nofile: 1024} means soft = hard = 1024. -1 is unlimited. */
public record Ulimit(long soft, long hard) {
    public Ulimit {
        if (hard != -1 && soft != -1 && soft > hard) throw new IllegalArgumentException("soft limit " + soft + " exceeds hard limit " + hard);
    }
}
