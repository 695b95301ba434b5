package io.jcompose.runtime;

/** A process limit: {@code nofile}, {@code nproc}, … */
public record Ulimit(String name, long soft, long hard) {
    public Ulimit {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("ulimit needs a name");
    }
}
