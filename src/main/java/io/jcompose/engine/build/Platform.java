package io.jcompose.engine.build;

import java.util.Locale;
import java.util.Optional;

/** An OCI platform, {@code linux/amd64} or {@code linux/arm64/v8}; the source of the TARGETPLATFORM, BUILDARCH, … args. */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        if (os.isEmpty() || architecture.isEmpty()) throw new IllegalArgumentException("platform needs os and architecture");
    }

    /** Parses {@code os/arch[/variant]}; {@code x86_64} and {@code aarch64} normalised as containerd does. */
    public static Platform parse(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty())
            throw new IllegalArgumentException("invalid platform \"" + s + "\": expected os/arch[/variant], e.g. linux/amd64");
        String arch = switch (p[1]) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> p[1];
        };
        return new Platform(p[0], arch, p.length == 3 ? p[2] : "");
    }

    /** The platform of this JVM's host. */
    public static Platform host() {
        String a = System.getProperty("os.arch", "amd64");
        return parse("linux/" + a);
    }

    public Optional<String> variantIfAny() {
        return variant.isEmpty() ? Optional.empty() : Optional.of(variant);
    }

    @Override public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
