package io.jcompose.engine.image;

import java.util.Optional;

/**
 * An OCI platform. Matching follows containerd's defaults: os and architecture equal; a wanted variant must equal
 * the candidate's (arm64's absent variant means v8); no wanted variant accepts any.
 */
public record Platform(String os, String architecture, Optional<String> variant) {
    public Platform {
        if (os.isBlank() || architecture.isBlank()) throw new IllegalArgumentException("platform needs os and architecture");
    }

    /** {@code linux/amd64}, {@code linux/arm64/v8}, {@code linux/arm/v7}. */
    public static Platform parse(String s) {
        String[] p = s.split("/");
        if (p.length < 2 || p.length > 3) throw new IllegalArgumentException("invalid platform \"" + s + "\": expected os/arch[/variant]");
        return new Platform(p[0], p[1], p.length == 3 ? Optional.of(p[2]) : Optional.empty());
    }

    /** The host's platform (linux/amd64 on this project's machines). */
    public static Platform host() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> new Platform("linux", "amd64", Optional.empty());
            case "aarch64", "arm64" -> new Platform("linux", "arm64", Optional.empty());
            default -> new Platform("linux", arch, Optional.empty());
        };
    }

    public boolean matches(String os, String arch, String variant) {
        if (!this.os.equals(os) || !architecture.equals(arch)) return false;
        if (variant().isEmpty()) return true;
        String want = normaliseVariant(arch, variant().get());
        String have = normaliseVariant(arch, variant == null ? "" : variant);
        return want.equals(have);
    }

    private static String normaliseVariant(String arch, String v) {
        return arch.equals("arm64") && v.isEmpty() ? "v8" : v;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
