package io.jcompose.engine.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Puts what one COPY/ADD step adds into a staging directory that stands for the layer's "/": sources resolved
 * as Docker does (relative to the source root, {@code ..} refused, globs with filepath.Match over every path,
 * a matched directory copies its contents), destination rules (a trailing '/' or several sources: into the
 * directory; one file: to that path), {@code --chown} (numeric, or names through {@code users}), {@code --chmod}
 * on every copied file and directory, heredoc files, and ADD of a local tar archive extracted.
 */
final class CopyStager {
    /** A tree to copy from: the build context (with .dockerignore) or a stage's/image's root file system. */
    record Source(Path root, Predicate<String> excluded, String what) {}

    /** Resolves a user or group name of {@code --chown} to a number (the image's /etc/passwd); empty: unknown. */
    interface Names {
        Optional<Integer> uid(String user);

        Optional<Integer> gid(String group);

        /** Names from /etc/passwd and /etc/group texts (name:x:uid:gid:…; name:x:gid:…). */
        static Names fromFiles(Optional<String> passwd, Optional<String> group) {
            java.util.Map<String, Integer> users = table(passwd.orElse(""));
            java.util.Map<String, Integer> groups = table(group.orElse(""));
            return new Names() {
                @Override public Optional<Integer> uid(String user) {
                    return Optional.ofNullable(users.get(user));
                }

                @Override public Optional<Integer> gid(String g) {
                    return Optional.ofNullable(groups.get(g));
                }
            };
        }

        private static java.util.Map<String, Integer> table(String text) {
            java.util.Map<String, Integer> m = new java.util.HashMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.split(":");
                if (f.length >= 3 && f[2].matches("\\d+")) m.putIfAbsent(f[0], Integer.parseInt(f[2]));
            }
            return m;
        }

        Names NUMERIC_ONLY = new Names() {
            @Override public Optional<Integer> uid(String user) {
                return Optional.empty();
            }

            @Override public Optional<Integer> gid(String group) {
                return Optional.empty();
            }
        };
    }

    private CopyStager() {}

    static void stage(Step.CopyFiles step, Source src, Path staging, Names names) throws IOException, BuildException {
        String kw = step.instruction().add() ? "ADD" : "COPY";
        int uid = 0;
        int gid = 0;
        if (step.chown().isPresent()) {
            Step.Ownership o = step.chown().get();
            uid = o.uid().or(() -> names.uid(o.user())).orElseThrow(() -> new BuildException(kw + " --chown="
                    + o.user() + ": unknown user (user names are looked up in the image's /etc/passwd; use a numeric uid:gid)"));
            gid = o.group().isEmpty() ? uid : o.gid().or(() -> names.gid(o.group())).orElseThrow(() -> new BuildException(
                    kw + " --chown=" + o.user() + ":" + o.group() + ": unknown group (groups are looked up in the image's /etc/group; use a numeric gid)"));
        }
        Attrs attrs = new Attrs(uid, gid, step.chmod());
        Path dest = staging.resolve(step.dest().substring(1));
        List<Predicate<String>> excludes = new ArrayList<>();
        for (String x : step.excludes()) {
            try {
                DockerIgnore d = DockerIgnore.of(List.of(x));
                excludes.add(d::excludes);
            } catch (BuildException e) {
                throw new BuildException(kw + " --exclude=" + x + ": " + e.getMessage());
            }
        }
        Predicate<String> skip = rel -> src.excluded().test(rel) || excludes.stream().anyMatch(p -> p.test(rel));
        for (Step.InlineFile f : step.inline()) {
            Path target = step.destIsDir() ? dest.resolve(f.name()) : dest;
            mkdirs(staging, target.getParent());
            Files.writeString(target, f.content());
            apply(target, attrs, 0644);
        }
        for (String s : step.sources()) {
            String rel = DockerIgnore.clean(s.startsWith("/") ? s.substring(1) : s);
            if (rel.equals("..") || rel.startsWith("../"))
                throw new BuildException(kw + " failed: forbidden path outside the " + src.what() + ": " + s);
            List<String> matches = new ArrayList<>();
            if (hasWildcard(rel)) {
                List<String> all = walk(src.root(), skip);
                for (String p : all) {
                    boolean parentMatched = matches.stream().anyMatch(m -> p.startsWith(m + "/"));
                    try {
                        if (!parentMatched && GoGlob.match(rel, p)) matches.add(p);
                    } catch (GoGlob.BadPattern e) {
                        throw new BuildException(kw + " failed: " + e.getMessage());
                    }
                }
                if (matches.isEmpty()) throw new BuildException(kw + " failed: no source files were specified (nothing in the "
                        + src.what() + " matches " + s + ")");
            } else {
                if (!rel.equals(".") && (skip.test(rel) || !Files.exists(inScope(src.root(), rel))))
                    throw new BuildException(kw + " failed: file not found in " + src.what()
                            + " or excluded by .dockerignore: stat " + s + ": file does not exist");
                if (!rel.equals(".") && !inScope(src.root(), rel).startsWith(src.root()))
                    throw new BuildException(kw + " failed: " + s + " resolves outside the " + src.what());
                matches.add(rel);
            }
            for (String m : matches) {
                Path from = m.equals(".") ? src.root() : inScope(src.root(), m);
                boolean isDir = Files.isDirectory(from);
                if (isDir) {
                    mkdirs(staging, dest);
                    copyTree(from, m.equals(".") ? "" : m + "/", dest, skip, attrs, staging);
                } else if (step.instruction().add() && SafeTar.isArchive(from)) {
                    mkdirs(staging, dest);
                    try (InputStream in = Files.newInputStream(from)) {
                        SafeTar.extract(in, dest, true, "ADD " + s);
                    }
                    if (step.chown().isPresent() || step.chmod().isPresent()) applyTree(dest, attrs);
                } else {
                    boolean intoDir = step.destIsDir() || matches.size() > 1 || hasWildcard(rel);
                    Path target = intoDir ? dest.resolve(Path.of(m).getFileName().toString()) : dest;
                    mkdirs(staging, target.getParent());
                    copyOne(from, target, attrs);
                }
            }
        }
    }

    static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** Follows symlinks of {@code rel} inside {@code root} only (an absolute target means root-relative). */
    static Path inScope(Path root, String rel) throws IOException {
        Path cur = root;
        List<String> todo = new ArrayList<>(List.of(rel.split("/")));
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.remove(0);
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!cur.equals(root)) cur = cur.getParent();
                continue;
            }
            Path next = cur.resolve(part);
            if (Files.isSymbolicLink(next)) {
                if (++hops > 255) throw new IOException("too many levels of symbolic links: " + rel);
                String target = Files.readSymbolicLink(next).toString();
                if (target.startsWith("/")) cur = root;
                List<String> more = new ArrayList<>(List.of(target.split("/")));
                more.addAll(todo);
                todo = more;
            } else cur = next;
        }
        return cur;
    }

    private record Attrs(int uid, int gid, Optional<Integer> chmod) {}

    private static List<String> walk(Path root, Predicate<String> skip) throws IOException {
        List<String> out = new ArrayList<>();
        walk(root, "", skip, out);
        return out;
    }

    private static void walk(Path dir, String prefix, Predicate<String> skip, List<String> out) throws IOException {
        List<Path> kids = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(kids::add);
        }
        kids.sort(null);
        for (Path k : kids) {
            String rel = prefix + k.getFileName();
            if (skip.test(rel)) {
                if (!Files.isDirectory(k, LinkOption.NOFOLLOW_LINKS)) continue;
            } else out.add(rel);
            if (Files.isDirectory(k, LinkOption.NOFOLLOW_LINKS)) walk(k, rel + "/", skip, out);
        }
    }

    private static void copyTree(Path from, String relPrefix, Path to, Predicate<String> skip, Attrs attrs, Path staging)
            throws IOException {
        List<Path> kids = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(from)) {
            s.forEach(kids::add);
        }
        kids.sort(null);
        for (Path k : kids) {
            String rel = relPrefix + k.getFileName();
            Path target = to.resolve(k.getFileName().toString());
            boolean dir = Files.isDirectory(k, LinkOption.NOFOLLOW_LINKS);
            if (skip.test(rel)) {
                // An excluded directory may still hold a '!' exception: look inside, create it only if needed.
                if (dir) {
                    Path probe = target;
                    copyTree(k, rel + "/", probe, skip, attrs, staging);
                }
                continue;
            }
            if (dir) {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) Files.createDirectories(target);
                apply(target, attrs, (Integer) Files.getAttribute(k, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
                copyTree(k, rel + "/", target, skip, attrs, staging);
            } else {
                if (!Files.isDirectory(target.getParent(), LinkOption.NOFOLLOW_LINKS)) mkdirs(staging, target.getParent());
                copyOne(k, target, attrs);
            }
        }
    }

    private static void copyOne(Path from, Path target, Attrs attrs) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))
            throw new IOException("cannot replace directory " + target.getFileName() + " with a file");
        Files.deleteIfExists(target);
        if (Files.isSymbolicLink(from)) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(from));
            Files.setAttribute(target, "unix:uid", attrs.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", attrs.gid(), LinkOption.NOFOLLOW_LINKS);
            return;
        }
        if (!Files.isRegularFile(from)) return; // sockets, fifos, devices: not copied
        Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
        apply(target, attrs, (Integer) Files.getAttribute(from, "unix:mode") & 07777);
    }

    private static void apply(Path p, Attrs attrs, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", attrs.chmod().orElse(mode), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:uid", attrs.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", attrs.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    private static void applyTree(Path dir, Attrs attrs) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                if (Files.isSymbolicLink(p)) continue;
                apply(p, attrs, (Integer) Files.getAttribute(p, "unix:mode") & 07777);
            }
        }
    }

    /** Missing parents of a destination: root-owned 0755, as dockerd creates them. */
    private static void mkdirs(Path staging, Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        if (!dir.startsWith(staging)) throw new IOException("destination outside the layer: " + dir);
        mkdirs(staging, dir.getParent());
        Files.createDirectory(dir);
        Files.setAttribute(dir, "unix:mode", 0755);
    }
}
