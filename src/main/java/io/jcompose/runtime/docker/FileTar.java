package io.jcompose.runtime.docker;

import io.jcompose.runtime.FileSpec;
import java.io.ByteArrayOutputStream;

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + content.length);
        try {
            TarWriter.entry(out, f.target().substring(1), '0', content.length, f.mode(), Long.parseLong(f.uid()),
                    Long.parseLong(f.gid()), "", mtimeSeconds);
            out.write(content);
            TarWriter.pad(out, content.length);
            TarWriter.finish(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
