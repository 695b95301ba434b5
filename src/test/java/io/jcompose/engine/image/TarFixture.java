package io.jcompose.engine.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small layer tars for tests, including the hostile ones real registries may serve. */
final class TarFixture {
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    TarFixture dir(String name, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarArchiveEntry.LF_DIR, true);
        e.setMode(040000 | mode);
        return add(e, new byte[0]);
    }

    TarFixture file(String name, String content, int mode) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    TarFixture file(String name, byte[] content, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        e.setModTime(1_600_000_000_000L);
        return add(e, content);
    }

    TarFixture owned(int uid, int gid) {
        TarArchiveEntry e = entries.get(entries.size() - 1);
        e.setUserId(uid);
        e.setGroupId(gid);
        return this;
    }

    TarFixture xattr(String name, String value) {
        entries.get(entries.size() - 1).addPaxHeader("SCHILY.xattr." + name, value);
        return this;
    }

    TarFixture symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setModTime(1_500_000_000_000L);
        return add(e, new byte[0]);
    }

    TarFixture hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    private TarFixture add(TarArchiveEntry e, byte[] c) {
        entries.add(e);
        contents.add(c);
        return this;
    }

    /** A complete tar. */
    byte[] tar() {
        return write(true);
    }

    /** A tar without the end-of-archive blocks, as some tools write. */
    byte[] tarWithoutEnd() {
        return write(false);
    }

    byte[] gzip() {
        return gzip(tar());
    }

    static byte[] gzip(byte[] b) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(b);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] write(boolean finish) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TarArchiveOutputStream t = new TarArchiveOutputStream(out);
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (int i = 0; i < entries.size(); i++) {
                t.putArchiveEntry(entries.get(i));
                t.write(contents.get(i));
                t.closeArchiveEntry();
            }
            if (finish) t.close();
            else t.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
