package io.jcompose.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Compose secret or config as one container sees it: a read-only file at {@code target}. The composer resolves
 * the source (a host file, an environment variable or inline {@code content}) into {@code content}; a host file's
 * path is kept as well because engines without a file field (dockerd, Podman) bind-mount it, as docker compose does.
 *
 * @param name     the Compose key of the secret/config ({@code services.*.secrets[].source})
 * @param target   absolute path in the container
 * @param content  the file's bytes (also for a host file: they feed the config hash and our engine's copy)
 * @param hostPath absolute host path for a {@code file:} source; empty for environment and inline sources
 * @param uid      numeric owner; "0" unless set
 * @param gid      numeric group; "0" unless set
 * @param mode     permission bits (0444 unless set)
 */
public record FileSpec(Kind kind, String name, String target, byte[] content, String hostPath, String uid, String gid, int mode) {
    /** Secret or config: where the default target lies and what errors call it. */
    public enum Kind {
        SECRET, CONFIG;

        /** "secret" / "config", as Compose and our engine's {@code JcomposeFiles} spell it. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public FileSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (target == null || !target.startsWith("/")) throw new IllegalArgumentException(kind.word() + " " + name + ": target must be absolute, got " + target);
        content = content.clone();
        hostPath = hostPath == null ? "" : hostPath;
        uid = uid == null || uid.isEmpty() ? "0" : uid;
        gid = gid == null || gid.isEmpty() ? "0" : gid;
        if (!uid.matches("\\d+") || !gid.matches("\\d+")) {
            throw new IllegalArgumentException(kind.word() + " " + name + ": uid and gid must be numeric, got " + uid + ":" + gid);
        }
        if (mode < 0 || mode > 07777) throw new IllegalArgumentException(kind.word() + " " + name + ": mode out of range: " + Integer.toOctalString(mode));
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    // byte[] compares by identity in a record: compare the bytes, so equal specs are equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof FileSpec f && kind == f.kind && name.equals(f.name) && target.equals(f.target)
                && Arrays.equals(content, f.content) && hostPath.equals(f.hostPath) && uid.equals(f.uid)
                && gid.equals(f.gid) && mode == f.mode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, target, Arrays.hashCode(content), hostPath, uid, gid, mode);
    }

    @Override
    public String toString() {
        return "FileSpec[" + kind.word() + " " + name + " -> " + target + " " + uid + ":" + gid + " "
                + Integer.toOctalString(mode) + ", " + content.length + " bytes" + (hostPath.isEmpty() ? "" : " from " + hostPath) + "]";
    }
}
