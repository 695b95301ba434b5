package io.jcompose.runtime.docker;

import io.jcompose.runtime.FileSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The tar docker compose v2 sends with {@code PUT /containers/{id}/archive?path=/} to place a secret or config on
 * an engine that has no file field: one regular file named by its target (relative to {@code /}) with the spec's
 * uid, gid and mode. Missing parent directories are not listed: the engine creates them (0755, root) as Docker's
 * archive extraction does, and listing existing ones would reset their modes (think {@code /tmp}).
 */
final class FileTar {
    private FileTar() {}

    static byte[] of(FileSpec f, long mtimeSeconds) {
        byte[] content = f.content();
        String name = f.target().substring(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + content.length);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            byte[] body = record("path", name).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(header("PaxHeader", 'x', body.length, 0644, 0, 0, mtimeSeconds));
            out.writeBytes(body);
            pad(out, body.length);
            name = name.substring(0, 99);
        }
        out.writeBytes(header(name, '0', content.length, f.mode(), Long.parseLong(f.uid()), Long.parseLong(f.gid()), mtimeSeconds));
        out.writeBytes(content);
        pad(out, content.length);
        out.writeBytes(new byte[1024]); // end of archive
        return out.toByteArray();
    }

    /** A PAX record: "len key=value\n" where len counts itself. */
    private static String record(String key, String value) {
        int rest = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int len = rest + Integer.toString(rest).length();
        if (Integer.toString(len).length() != Integer.toString(rest).length()) len++;
        return len + " " + key + "=" + value + "\n";
    }

    private static byte[] header(String name, char type, long size, int mode, long uid, long gid, long mtime) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode & 07777));
        put(h, 108, 8, String.format("%07o", uid));
        put(h, 116, 8, String.format("%07o", gid));
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", Math.max(0, mtime)));
        h[156] = (byte) type;
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, 8, String.format("%06o", sum) + "\0 ");
        return h;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static void pad(ByteArrayOutputStream out, long size) {
        int rem = (int) (size % 512);
        if (rem != 0) out.writeBytes(new byte[512 - rem]);
    }
}
