package io.jcompose.engine.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a path inside a directory tree as if that tree were the root ({@code chroot} semantics, like
 * Docker's FollowSymlinkInScope): a symlink {@code /data -> /etc} inside a container rootfs leads to
 * {@code <rootfs>/etc}, never to the host's /etc; {@code ..} stops at the top.
 */
final class ScopedPath {
    private static final int MAX_LINKS = 255;

    private ScopedPath() {}

    /** {@code rel} (absolute or relative, inside {@code top}) resolved with every symlink followed inside {@code top}. */
    static Path resolve(Path top, String rel) throws IOException {
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        for (String part : rel.split("/")) if (!part.isEmpty()) todo.addLast(part);
        java.util.Deque<String> done = new java.util.ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (part.equals(".")) continue;
            if (part.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            Path candidate = join(top, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) throw new IOException("too many symlinks resolving " + rel + " in " + top);
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) done.clear();
                String[] t = target.split("/");
                for (int i = t.length - 1; i >= 0; i--) if (!t[i].isEmpty()) todo.addFirst(t[i]);
            } else {
                done.addLast(part);
            }
        }
        return join(top, done);
    }

    private static Path join(Path top, java.util.Deque<String> parts) {
        Path p = top;
        for (String s : parts) p = p.resolve(s);
        return p;
    }

    /** Whether {@code p} exists as a directory, not following a final symlink (resolve first). */
    static boolean isDirectory(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }
}
