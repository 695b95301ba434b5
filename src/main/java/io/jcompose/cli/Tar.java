package io.jcompose.cli;

import io.jcompose.runtime.docker.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The little tar {@code cp} needs (the engine's archive API speaks tar): write a file or directory tree as ustar
 * (PAX records for long names), read one back into a directory — regular files, directories and symlinks; every
 * entry must stay inside the target (no {@code ..}, no absolute names).
 */
final class Tar {
    private Tar() {}

    /** Writes {@code source} (a file, directory or symlink) as {@code name} and, for a directory, everything below. */
    static void write(Path source, String name, OutputStream out) throws IOException {
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            TarWriter.entry(out, name + "/", '5', 0, mode(source), 0, 0, "", System.currentTimeMillis() / 1000);
            try (Stream<Path> children = Files.list(source)) {
                for (Path c : children.sorted().toList()) write(c, name + "/" + c.getFileName(), out);
            }
        } else if (Files.isSymbolicLink(source)) {
            TarWriter.entry(out, name, '2', 0, 0777, 0, 0, Files.readSymbolicLink(source).toString(), System.currentTimeMillis() / 1000);
        } else {
            long size = Files.size(source);
            TarWriter.entry(out, name, '0', size, mode(source), 0, 0, "", System.currentTimeMillis() / 1000);
            try (InputStream in = Files.newInputStream(source)) {
                in.transferTo(out);
            }
            TarWriter.pad(out, size);
        }
    }

    /** The two zero blocks that end an archive. */
    static void finish(OutputStream out) throws IOException {
        TarWriter.finish(out);
        out.flush();
    }

    private static int mode(Path p) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            return Integer.parseInt(String.valueOf(toOctal(PosixFilePermissions.toString(perms))), 8);
        } catch (UnsupportedOperationException e) {
            return Files.isDirectory(p) ? 0755 : 0644;
        }
    }

    private static String toOctal(String rwx) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 9; i += 3) {
            int v = (rwx.charAt(i) == 'r' ? 4 : 0) + (rwx.charAt(i + 1) == 'w' ? 2 : 0) + (rwx.charAt(i + 2) == 'x' ? 1 : 0);
            sb.append(v);
        }
        return sb.toString();
    }

    /**
     * Extracts into {@code dir}; the first entry's top-level name is replaced by {@code rename} when given (docker
     * cp to a path that does not exist yet).
     */
    static void read(InputStream in, Path dir, String rename) throws IOException {
        String top = null;
        String paxPath = null;
        String paxLink = null;
        byte[] h = new byte[512];
        while (true) {
            if (in.readNBytes(h, 0, 512) < 512) return; // archive without end blocks: read leniently
            boolean zero = true;
            for (byte b : h) if (b != 0) { zero = false; break; }
            if (zero) return;
            String name = str(h, 0, 100);
            String prefix = str(h, 345, 155);
            if (!prefix.isEmpty() && str(h, 257, 6).startsWith("ustar")) name = prefix + "/" + name;
            char type = (char) h[156];
            long size = Long.parseLong(str(h, 124, 12).trim().isEmpty() ? "0" : str(h, 124, 12).trim(), 8);
            String link = str(h, 157, 100);
            int mode = Integer.parseInt(str(h, 100, 8).trim().isEmpty() ? "644" : str(h, 100, 8).trim(), 8);
            byte[] body = null;
            if (type == 'x' || type == 'L' || type == 'K' || type == 'g') {
                body = in.readNBytes((int) size);
                skipPad(in, size);
                if (type == 'L') paxPath = new String(body, StandardCharsets.UTF_8).replace("\0", "");
                if (type == 'K') paxLink = new String(body, StandardCharsets.UTF_8).replace("\0", "");
                if (type == 'x') {
                    for (String rec : new String(body, StandardCharsets.UTF_8).split("\n")) {
                        int sp = rec.indexOf(' ');
                        int eq = rec.indexOf('=');
                        if (sp < 0 || eq < sp) continue;
                        String k = rec.substring(sp + 1, eq);
                        if (k.equals("path")) paxPath = rec.substring(eq + 1);
                        if (k.equals("linkpath")) paxLink = rec.substring(eq + 1);
                    }
                }
                continue;
            }
            if (paxPath != null) name = paxPath;
            if (paxLink != null) link = paxLink;
            paxPath = null;
            paxLink = null;
            name = name.replaceFirst("^\\./", "");
            String first = name.split("/", 2)[0];
            if (top == null) top = first;
            if (rename != null && first.equals(top)) name = rename + name.substring(first.length());
            Path target = dir.resolve(name).normalize();
            if (name.startsWith("/") || !target.startsWith(dir.normalize())) {
                throw new IOException("archive entry \"" + name + "\" points outside " + dir);
            }
            switch (type) {
                case '5' -> Files.createDirectories(target);
                case '2' -> {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(link));
                }
                case '0', '\0', '7' -> {
                    Files.createDirectories(target.getParent());
                    try (OutputStream o = Files.newOutputStream(target)) {
                        copy(in, o, size);
                    }
                    skipPad(in, size);
                    try {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(mode)));
                    } catch (UnsupportedOperationException ignored) {
                        // not a POSIX file system: keep the default mode
                    }
                }
                default -> {
                    // hard links, devices, fifos: not copied (docker cp copies them; a known gap)
                    in.skipNBytes(size);
                    skipPad(in, size);
                }
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new IOException("archive ended inside a file");
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skipPad(InputStream in, long size) throws IOException {
        int rest = (int) (size % 512);
        if (rest != 0) in.skipNBytes(512 - rest);
    }

    private static String rwx(int mode) {
        StringBuilder sb = new StringBuilder();
        String l = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) sb.append((mode & (1 << (8 - i))) != 0 ? l.charAt(i) : '-');
        return sb.toString();
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    static byte[] of(Path source, String name) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write(source, name, b);
        finish(b);
        return b.toByteArray();
    }
}
