package io.jcompose.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build context as the Docker CLI sends it: a tar of the context directory without what {@code .dockerignore}
 * excludes (the Dockerfile and {@code .dockerignore} themselves always go, as the CLI keeps them), entries sorted,
 * owner 0:0, ustar with PAX records for long names and big files. Regular files, directories and symlinks;
 * sockets and devices are skipped. An extra file (an inline Dockerfile, or one outside the context) can be added.
 *
 * <p>Ignore rules follow moby's patternmatcher: {@code #} comments, trimmed lines, {@code !} exceptions, cleaned
 * patterns without a leading {@code /}, {@code **} for any number of directories, the last match decides, and a
 * path is excluded when it or one of its parents matches.
 */
final class ContextTar {
    private ContextTar() {}

    /** An extra entry at the context's root. */
    record Extra(String name, byte[] content) {}

    /**
     * A named directory context (compose's {@code build.additional_contexts}) for the jcompose engine: its files go
     * under {@code prefix} (e.g. {@code .jcompose/contexts/extra/}), filtered by its own {@code .dockerignore} (which
     * is not sent).
     */
    record Named(String prefix, Path dir) {
        Named {
            if (!prefix.endsWith("/")) throw new IllegalArgumentException("prefix must end with /: " + prefix);
        }
    }

    /** Writes the context of {@code dir} to {@code out}; {@code keep}: paths never excluded (the Dockerfile). */
    static void write(Path dir, List<String> keep, List<Extra> extras, OutputStream out) throws IOException {
        write(dir, keep, extras, List.of(), out);
    }

    /** As {@link #write(Path, List, List, OutputStream)}, with named directory contexts after the main one. */
    static void write(Path dir, List<String> keep, List<Extra> extras, List<Named> named, OutputStream out) throws IOException {
        List<String> always = new ArrayList<>(keep);
        always.add(".dockerignore");
        walk(dir, "", "", ignoreOf(dir), always.stream().map(Ignore::clean).toList(), out);
        java.util.Set<String> parents = new java.util.TreeSet<>();
        for (Named n : named.stream().sorted(java.util.Comparator.comparing(Named::prefix)).toList()) {
            // Parent directory entries once each, so the engine unpacks a tree whatever the order.
            String p = n.prefix();
            for (int i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
                if (parents.add(p.substring(0, i + 1))) TarWriter.entry(out, p.substring(0, i + 1), '5', 0, 0755, 0, 0, "", 0);
            }
            // Its .dockerignore is the client's business (as with BuildKit's named contexts): appended last, it wins.
            String rules = Files.isRegularFile(n.dir().resolve(".dockerignore"))
                    ? Files.readString(n.dir().resolve(".dockerignore"), StandardCharsets.UTF_8) : "";
            walk(n.dir(), "", n.prefix(), Ignore.parse(rules + "\n.dockerignore\n"), List.of(), out);
        }
        for (Extra e : extras) {
            TarWriter.entry(out, e.name(), '0', e.content().length, 0644, 0, 0, "", 0);
            out.write(e.content());
            TarWriter.pad(out, e.content().length);
        }
        TarWriter.finish(out);
        out.flush();
    }

    private static Ignore ignoreOf(Path dir) throws IOException {
        return Ignore.parse(Files.isRegularFile(dir.resolve(".dockerignore"))
                ? Files.readString(dir.resolve(".dockerignore"), StandardCharsets.UTF_8) : "");
    }

    /** {@code prefix}: the path relative to the context (what ignore rules see); {@code tarPrefix}: before it in the tar. */
    private static void walk(Path dir, String prefix, String tarPrefix, Ignore ignore, List<String> always, OutputStream out)
            throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        }
        for (Path c : children) {
            String name = prefix + c.getFileName();
            String tarName = tarPrefix + name;
            boolean excluded = ignore.excludes(name) && !always.contains(name);
            PosixFileAttributes a = Files.readAttributes(c, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long mtime = a.lastModifiedTime().toMillis() / 1000;
            if (a.isDirectory()) {
                // An excluded directory is still walked when an exception (or a kept file) may re-include below it.
                if (excluded && !ignore.hasExceptions() && always.stream().noneMatch(k -> k.startsWith(name + "/"))) continue;
                if (!excluded) TarWriter.entry(out, tarName + "/", '5', 0, mode(a.permissions()), 0, 0, "", mtime);
                walk(c, name + "/", tarPrefix, ignore, always, out);
            } else if (excluded) {
                continue;
            } else if (a.isSymbolicLink()) {
                TarWriter.entry(out, tarName, '2', 0, 0777, 0, 0, Files.readSymbolicLink(c).toString(), mtime);
            } else if (a.isRegularFile()) {
                long size = a.size();
                TarWriter.entry(out, tarName, '0', size, mode(a.permissions()), 0, 0, "", mtime);
                try (InputStream in = Files.newInputStream(c)) {
                    long n = in.transferTo(out);
                    if (n != size) throw new IOException(c + " changed size while the build context was sent");
                }
                TarWriter.pad(out, size);
            }
        }
    }

    private static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
        return m;
    }

    /** {@code .dockerignore} rules (see the class comment). */
    static final class Ignore {
        private record Rule(boolean exception, Pattern regex) {}

        private final List<Rule> rules;

        private Ignore(List<Rule> rules) {
            this.rules = rules;
        }

        static Ignore parse(String text) {
            List<Rule> rules = new ArrayList<>();
            for (String line : text.replace("\uFEFF", "").split("\n", -1)) {
                if (line.startsWith("#")) continue;
                String p = line.strip();
                if (p.isEmpty()) continue;
                boolean exception = p.charAt(0) == '!';
                if (exception) p = p.substring(1).strip();
                if (p.isEmpty()) continue;
                p = clean(p);
                if (p.length() > 1 && p.startsWith("/")) p = p.substring(1);
                rules.add(new Rule(exception, Pattern.compile(regex(p), Pattern.DOTALL)));
            }
            return new Ignore(rules);
        }

        boolean hasExceptions() {
            return rules.stream().anyMatch(Rule::exception);
        }

        /** Whether {@code path} (relative, '/'-separated) is excluded. */
        boolean excludes(String path) {
            String file = clean(path);
            boolean matched = false;
            for (Rule r : rules) {
                if (r.exception != matched) continue;
                boolean m = r.regex.matcher(file).matches();
                for (int i = file.indexOf('/'); !m && i > 0; i = file.indexOf('/', i + 1)) {
                    m = r.regex.matcher(file.substring(0, i)).matches();
                }
                if (m) matched = !r.exception;
            }
            return matched;
        }

        /** Go's filepath.Match syntax plus {@code **}, as a Java regex. */
        private static String regex(String p) {
            StringBuilder re = new StringBuilder();
            int n = p.length();
            for (int i = 0; i < n; i++) {
                char c = p.charAt(i);
                if (c == '*') {
                    if (i + 1 < n && p.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < n && p.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?");
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                } else if (c == '?') {
                    re.append("[^/]");
                } else if (c == '\\' && i + 1 < n) {
                    re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
                } else if (c == '[') {
                    int end = p.indexOf(']', i + 2);
                    if (end < 0) {
                        re.append("\\[");
                        continue;
                    }
                    String body = p.substring(i + 1, end);
                    boolean neg = body.startsWith("^") || body.startsWith("!");
                    if (neg) body = body.substring(1);
                    re.append(neg ? "[^/" : "[").append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = end;
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return re.toString();
        }

        /** Go's filepath.Clean for '/'-paths. */
        static String clean(String p) {
            boolean abs = p.startsWith("/");
            List<String> out = new ArrayList<>();
            for (String s : p.split("/")) {
                if (s.isEmpty() || s.equals(".")) continue;
                if (s.equals("..")) {
                    if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) out.remove(out.size() - 1);
                    else if (!abs) out.add("..");
                } else {
                    out.add(s);
                }
            }
            String r = String.join("/", out);
            return abs ? "/" + r : r.isEmpty() ? "." : r;
        }
    }
}
