package io.jcompose.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The engine's state directory and its short id. Host-global names the engine creates (bridges, iptables chains,
 * netns names, cgroup parents) carry {@link #id()}, so two engines on one host (tests!) never touch each other's
 * objects. The id is the first 6 hex digits of the SHA-256 of the root's real path: stable across restarts,
 * different for different roots, and short enough for 15-character interface names
 * (e.g. {@code "jc" + id + "-" + n}).
 */
public record StateRoot(Path path, String id) {
    public StateRoot {
        if (!id.matches("[0-9a-f]{6}")) throw new IllegalArgumentException("state root id must be 6 hex digits, got " + id);
    }

    /** Creates {@code path} (0711) if missing and computes its id from its real path. */
    public static StateRoot open(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        }
        Path real = path.toRealPath();
        return new StateRoot(real, idOf(real));
    }

    static String idOf(Path realPath) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(realPath.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    public Path resolve(String child) {
        return path.resolve(child);
    }
}
