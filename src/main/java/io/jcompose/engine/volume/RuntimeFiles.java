package io.jcompose.engine.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compose secrets and configs of a container, materialised as files under
 * {@code <dir>/<container>/secrets/<name>} and {@code …/configs/<name>} (a secret and a config may share a name)
 * and mounted read-only, nosuid, nodev, noexec at their destination. The directory is 0700 root: only the bind
 * mount exposes a file, with the uid/gid/mode asked for. {@link #remove} deletes a container's files.
 */
public final class RuntimeFiles {
    private final Path dir;

    /** {@code dir} is {@code <root>/containers-secrets}; created 0700 on first use. */
    public RuntimeFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes {@code files} for {@code containerId} and returns their OCI mounts. Fails (INVALID) before writing
     * anything if a source is missing or two files share a destination; a second call replaces the files.
     */
    public List<OciMount> materialise(String containerId, List<RuntimeFile> files, Function<String, Optional<String>> env) {
        checkId(containerId);
        List<byte[]> contents = new ArrayList<>();
        Set<String> destinations = new HashSet<>();
        for (RuntimeFile f : files) {
            if (!destinations.add(f.destination())) throw VolumeException.invalid("Duplicate mount point: " + f.destination());
            contents.add(read(f, env));
        }
        List<OciMount> mounts = new ArrayList<>();
        try {
            Path home = dir.resolve(containerId);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            for (int i = 0; i < files.size(); i++) {
                RuntimeFile f = files.get(i);
                Path kindDir = Files.createDirectories(home.resolve(f.kind() + "s"));
                Path p = kindDir.resolve(f.name());
                Files.deleteIfExists(p);
                Files.write(p, contents.get(i), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.setAttribute(p, "unix:uid", Integer.parseInt(f.uid()), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", Integer.parseInt(f.gid()), LinkOption.NOFOLLOW_LINKS);
                Native.chmod(p.toString(), f.modeBits());
                mounts.add(new OciMount(f.destination(), "bind", p.toString(), List.of("rbind", "ro", "nosuid", "nodev", "noexec", "rprivate")));
            }
        } catch (IOException e) {
            throw VolumeException.internal("secrets of " + containerId + ": " + e.getMessage(), e);
        }
        return mounts;
    }

    /** Deletes the files of {@code containerId} (no-op if none). */
    public void remove(String containerId) {
        checkId(containerId);
        try {
            Volumes.deleteTree(dir.resolve(containerId));
        } catch (IOException e) {
            throw VolumeException.internal("secrets of " + containerId + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(RuntimeFile f, Function<String, Optional<String>> env) {
        String what = f.kind() + " " + f.name();
        if (f.content() != null) return f.content();
        if (f.env() != null) {
            return env.apply(f.env()).orElseThrow(() -> VolumeException.invalid(what + ": environment variable " + f.env() + " is not set"))
                    .getBytes(StandardCharsets.UTF_8);
        }
        Path p = Path.of(f.file());
        if (!Files.isRegularFile(p)) throw VolumeException.invalid(what + ": file " + p + " does not exist or is not a regular file");
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw VolumeException.invalid(what + ": cannot read " + p + ": " + e.getMessage());
        }
    }

    private static void checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) throw new IllegalArgumentException("invalid container id " + id);
    }
}
