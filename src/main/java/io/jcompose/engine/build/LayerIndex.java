package io.jcompose.engine.build;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The set of paths (relative, no leading '/') an image's layers make, whiteouts applied — read from the tar
 * headers only; a directory is there twice, as "a/b" and "a/b/". The builder uses it to decide whether WORKDIR creates a directory (and so a layer), as dockerd.
 */
final class LayerIndex {
    private LayerIndex() {}

    static Set<String> paths(List<LayerRef> layers) throws IOException {
        Set<String> out = new HashSet<>();
        for (LayerRef l : layers) {
            try (InputStream raw = Files.newInputStream(l.blob());
                 TarArchiveInputStream t = new TarArchiveInputStream(SafeTar.decompressed(raw, "layer " + l.digest()))) {
                TarArchiveEntry e;
                while ((e = t.getNextEntry()) != null) {
                    String name = SafeTar.safeName(e.getName()).orElse("");
                    if (name.isEmpty()) continue;
                    int slash = name.lastIndexOf('/');
                    String base = name.substring(slash + 1);
                    String dir = slash < 0 ? "" : name.substring(0, slash + 1);
                    if (base.equals(".wh..wh..opq")) out.removeIf(p -> p.startsWith(dir)); // children only: "a/b/" keeps "a/b"
                    else if (base.startsWith(".wh.")) {
                        String gone = dir + base.substring(4);
                        out.removeIf(p -> p.equals(gone) || p.startsWith(gone + "/"));
                    } else {
                        addParents(out, name);
                        if (e.isDirectory()) out.add(name + "/");
                    }
                }
            } catch (BuildException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return out;
    }

    static void addParents(Set<String> paths, String rel) {
        String p = rel;
        boolean first = true;
        while (!p.isEmpty()) {
            paths.add(p);
            if (!first) paths.add(p + "/");
            first = false;
            int i = p.lastIndexOf('/');
            p = i < 0 ? "" : p.substring(0, i);
        }
    }

    /** Adds a directory and its parents. */
    static void addDir(Set<String> paths, String rel) {
        addParents(paths, rel);
        paths.add(rel + "/");
    }

    static void addTree(Set<String> paths, Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> {
                String rel = root.relativize(p).toString();
                if (p.getFileName().toString().startsWith(".wh.")) return;
                paths.add(rel);
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) paths.add(rel + "/");
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The content of {@code rel} in the top-most layer that has it (whiteouts respected), if any. */
    static java.util.Optional<String> readFile(List<LayerRef> layers, String rel) throws IOException {
        java.util.Optional<String> found = java.util.Optional.empty();
        for (LayerRef l : layers) {
            try (InputStream raw = Files.newInputStream(l.blob());
                 TarArchiveInputStream t = new TarArchiveInputStream(SafeTar.decompressed(raw, "layer " + l.digest()))) {
                TarArchiveEntry e;
                while ((e = t.getNextEntry()) != null) {
                    String name = SafeTar.safeName(e.getName()).orElse("");
                    int slash = rel.lastIndexOf('/');
                    String wh = (slash < 0 ? "" : rel.substring(0, slash + 1)) + ".wh." + rel.substring(slash + 1);
                    if (name.equals(wh)) found = java.util.Optional.empty();
                    else if (name.equals(rel) && e.isFile() && e.getSize() < (1 << 20))
                        found = java.util.Optional.of(new String(t.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (BuildException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return found;
    }
}
