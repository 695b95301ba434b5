package io.jcompose.engine.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A stable content hash of a directory tree: for every entry in name order, its path, type, permission bits,
 * owner, link target and content. Times are left out on purpose: layers are written with fixed times, so a
 * touched but unchanged file must not miss the cache.
 */
final class TreeHash {
    private TreeHash() {}

    static String of(Path root) throws IOException {
        MessageDigest md = sha256();
        walk(root, "", md);
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static void walk(Path dir, String prefix, MessageDigest md) throws IOException {
        List<Path> kids = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(kids::add);
        }
        kids.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        byte[] buf = new byte[64 * 1024];
        for (Path k : kids) {
            Map<String, Object> a = Files.readAttributes(k, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            String rel = prefix + k.getFileName();
            String head = rel + "\0" + Integer.toOctalString(mode) + "\0" + a.get("uid") + ":" + a.get("gid") + "\0";
            if ((mode & 0170000) == 0120000) head += Files.readSymbolicLink(k) + "\0";
            if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000) head += a.get("rdev") + "\0";
            md.update(head.getBytes(StandardCharsets.UTF_8));
            if ((mode & 0170000) == 0100000) {
                try (InputStream in = Files.newInputStream(k)) {
                    int r;
                    while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
                }
                md.update((byte) 0);
            } else if ((mode & 0170000) == 0040000) {
                walk(k, rel + "/", md);
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String sha256(String s) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256Bytes(byte[] b) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(b));
    }
}
