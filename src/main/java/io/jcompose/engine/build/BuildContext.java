package io.jcompose.engine.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The build context: the client's tar unpacked (safely) into a directory, its {@code .dockerignore}, and the
 * Dockerfile. As in Docker, the Dockerfile and .dockerignore are always readable by the builder even when
 * .dockerignore names them, but they are not copied by {@code COPY .} then. {@code <Dockerfile>.dockerignore}
 * next to the Dockerfile takes precedence over the root {@code .dockerignore} (BuildKit's rule).
 */
public final class BuildContext {
    private final Path root;
    private final DockerIgnore ignore;
    private final String dockerfileName;
    private final SortedMap<String, NamedContexts.Resolved> named;

    private BuildContext(Path root, DockerIgnore ignore, String dockerfileName, SortedMap<String, NamedContexts.Resolved> named) {
        this.root = root;
        this.ignore = ignore;
        this.dockerfileName = dockerfileName;
        this.named = new TreeMap<>(named);
    }

    /** Unpacks {@code tar} into the empty directory {@code dir}. */
    public static BuildContext unpack(InputStream tar, Path dir, String dockerfile) throws IOException, BuildException {
        return unpack(tar, dir, dockerfile, NamedContexts.none());
    }

    /**
     * Unpacks {@code tar} into {@code dir/context}; the named directory contexts under {@value NamedContexts#PREFIX}
     * move to {@code dir/named}, out of the main context.
     */
    public static BuildContext unpack(InputStream tar, Path dir, String dockerfile, NamedContexts contexts)
            throws IOException, BuildException {
        Path main = Files.createDirectory(dir.resolve("context"));
        SafeTar.extract(tar, main, false, "build context");
        SortedMap<String, NamedContexts.Resolved> named = contexts.detach(main, dir.resolve("named"));
        return open(main, dockerfile).withNamed(named);
    }

    /** The same context with named contexts (resolved: directories on this machine or image references). */
    public BuildContext withNamed(SortedMap<String, NamedContexts.Resolved> n) {
        return new BuildContext(root, ignore, dockerfileName, n);
    }

    /** Named contexts by name (empty without {@code build.additional_contexts}). */
    public SortedMap<String, NamedContexts.Resolved> named() {
        return java.util.Collections.unmodifiableSortedMap(named);
    }

    /** A context that is already a directory (tests, the CLI's local builds). */
    public static BuildContext open(Path dir, String dockerfile) throws IOException, BuildException {
        Path root = dir.toRealPath();
        Optional<String> rel = SafeTar.safeName(dockerfile);
        if (rel.isEmpty() || rel.get().isEmpty())
            throw new BuildException("dockerfile \"" + dockerfile + "\" must be a path inside the build context");
        DockerIgnore ignore = DockerIgnore.none();
        Path specific = root.resolve(rel.get() + ".dockerignore");
        Path general = root.resolve(".dockerignore");
        Path chosen = Files.isRegularFile(specific, LinkOption.NOFOLLOW_LINKS) ? specific
                : Files.isRegularFile(general, LinkOption.NOFOLLOW_LINKS) ? general : null;
        if (chosen != null) ignore = DockerIgnore.parse(Files.readString(chosen, StandardCharsets.UTF_8));
        return new BuildContext(root, ignore, rel.get(), new TreeMap<>());
    }

    public Path root() {
        return root;
    }

    public DockerIgnore ignore() {
        return ignore;
    }

    /** The Dockerfile's text; "Cannot locate specified Dockerfile" as Docker says when absent. */
    public String dockerfile() throws IOException, BuildException {
        Path f = root.resolve(dockerfileName);
        if (!Files.isRegularFile(f)) {
            // Docker also accepts "dockerfile" in lower case when the default name is absent.
            Path lower = root.resolve("dockerfile");
            if (dockerfileName.equals("Dockerfile") && Files.isRegularFile(lower, LinkOption.NOFOLLOW_LINKS)) f = lower;
            else throw new BuildException("Cannot locate specified Dockerfile: " + dockerfileName);
        }
        if (!f.toRealPath().startsWith(root)) throw new BuildException("Dockerfile " + dockerfileName + " is outside the build context");
        return Files.readString(f, StandardCharsets.UTF_8);
    }

    public String dockerfileName() {
        return dockerfileName;
    }

    /** Whether {@code rel} ('/'-separated, relative) is excluded from COPY/ADD. */
    public boolean excluded(String rel) {
        return ignore.excludes(rel);
    }

    /** Every path in the context that COPY may see (not ignored), relative, sorted; directories included. */
    public List<String> paths() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> {
                String rel = root.relativize(p).toString();
                if (!excluded(rel)) out.add(rel);
            });
        }
        out.sort(null);
        return out;
    }
}
