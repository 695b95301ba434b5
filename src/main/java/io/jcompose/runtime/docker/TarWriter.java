package io.jcompose.runtime.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes ustar entries the way the Docker API reads them (build contexts, {@code PUT archive} for {@code cp} and for
 * secrets): a PAX header first when a name or link exceeds ustar's 100 bytes or a size its 11 octal digits. One
 * writer for every tar the client sends, so long names and big files are handled the same everywhere.
 */
public final class TarWriter {
    private static final long MAX_USTAR_SIZE = 077777777777L;

    private TarWriter() {}

    /** The header (and PAX header) of one entry; the caller writes {@code size} bytes of content, then {@link #pad}. */
    public static void entry(OutputStream out, String name, char type, long size, int mode, long uid, long gid, String link,
                             long mtimeSeconds) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        StringBuilder pax = new StringBuilder();
        if (nameBytes.length > 100) pax.append(record("path", name));
        if (linkBytes.length > 100) pax.append(record("linkpath", link));
        if (size > MAX_USTAR_SIZE) pax.append(record("size", Long.toString(size)));
        if (pax.length() > 0) {
            byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
            out.write(header("PaxHeader", 'x', body.length, 0644, 0, 0, "", mtimeSeconds));
            out.write(body);
            pad(out, body.length);
        }
        out.write(header(nameBytes.length > 100 ? name.substring(0, 99) : name, type, size > MAX_USTAR_SIZE ? 0 : size,
                mode, uid, gid, linkBytes.length > 100 ? "" : link, mtimeSeconds));
    }

    /** Zero bytes up to the next 512-byte block after {@code size} bytes of content. */
    public static void pad(OutputStream out, long size) throws IOException {
        int rest = (int) (size % 512);
        if (rest != 0) out.write(new byte[512 - rest]);
    }

    /** The end-of-archive marker: two zero blocks. */
    public static void finish(OutputStream out) throws IOException {
        out.write(new byte[1024]);
    }

    /** A PAX record: "len key=value\n" where len counts itself. */
    static String record(String key, String value) {
        int rest = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int len = rest + Integer.toString(rest).length();
        if (Integer.toString(len).length() != Integer.toString(rest).length()) len++;
        return len + " " + key + "=" + value + "\n";
    }

    private static byte[] header(String name, char type, long size, int mode, long uid, long gid, String link, long mtime) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode & 07777));
        put(h, 108, 8, String.format("%07o", uid));
        put(h, 116, 8, String.format("%07o", gid));
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", Math.max(0, mtime)));
        h[156] = (byte) type;
        put(h, 157, 100, link);
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
}
