package io.jcompose.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, {@code sha256:<64 hex>}; the only algorithm registries and Docker use in practice. */
public record Digest(String hex) implements Comparable<Digest> {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid sha256 digest hex \"" + hex + "\": expected 64 lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<hex>}; other algorithms are refused with a one-line reason. */
    public static Digest parse(String s) {
        if (s == null || !s.startsWith("sha256:")) {
            throw new IllegalArgumentException("unsupported digest \"" + s + "\": only sha256:<hex> is supported");
        }
        return new Digest(s.substring(7));
    }

    public static boolean isDigest(String s) {
        return s != null && s.startsWith("sha256:") && HEX.matcher(s.substring(7)).matches();
    }

    public static Digest of(byte[] bytes) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(bytes)));
    }

    public static Digest of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Digest of a whole stream (read to its end, not closed). */
    public static Digest of(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        return new Digest(HexFormat.of().formatHex(md.digest()));
    }

    static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Docker's short id: the first 12 hex digits. */
    public String shortId() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return hex.compareTo(o.hex);
    }
}
