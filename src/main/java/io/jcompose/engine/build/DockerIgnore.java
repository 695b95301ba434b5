package io.jcompose.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} as moby's patternmatcher/ignorefile: lines starting with '#' are comments, lines are
 * trimmed, {@code !} makes an exception, patterns are cleaned (filepath.Clean) and a leading '/' dropped;
 * {@code **} matches any number of directories; the last matching pattern decides, and a path is excluded when
 * it or one of its parent directories matches (MatchesOrParentMatches).
 *
 * <p>Example: {@code node_modules}, {@code **}{@code /*.log}, {@code !keep.log}.
 */
public final class DockerIgnore {
    private enum Type { EXACT, PREFIX, SUFFIX, REGEX }

    private record Rule(String cleaned, boolean exclusion, Type type, Pattern regex) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    /** Reads a .dockerignore file's text. */
    public static DockerIgnore parse(String text) throws BuildException {
        List<String> patterns = new ArrayList<>();
        boolean first = true;
        for (String line : text.split("\n", -1)) {
            if (first && line.startsWith("\uFEFF")) line = line.substring(1);
            first = false;
            if (line.startsWith("#")) continue;
            String p = line.strip();
            if (p.isEmpty()) continue;
            boolean invert = p.charAt(0) == '!';
            if (invert) p = p.substring(1).strip();
            if (!p.isEmpty()) {
                p = clean(p);
                if (p.length() > 1 && p.charAt(0) == '/') p = p.substring(1);
            }
            patterns.add(invert ? "!" + p : p);
        }
        return of(patterns);
    }

    /** From already-read patterns (patternmatcher.New). */
    public static DockerIgnore of(List<String> patterns) throws BuildException {
        List<Rule> rules = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw.strip();
            if (p.isEmpty()) continue;
            boolean exclusion = false;
            if (p.charAt(0) == '!') {
                if (p.length() == 1) throw new BuildException(".dockerignore: illegal exclusion pattern: \"!\"");
                exclusion = true;
                p = p.substring(1);
            }
            p = clean(p);
            try {
                GoGlob.compile(p.replace("**", "*")); // the filepath.Match syntax check
            } catch (GoGlob.BadPattern e) {
                throw new BuildException(".dockerignore: " + e.getMessage());
            }
            rules.add(compile(p, exclusion));
        }
        return new DockerIgnore(rules);
    }

    private static Rule compile(String pattern, boolean exclusion) {
        StringBuilder re = new StringBuilder("^");
        Type type = Type.EXACT;
        int n = pattern.length();
        for (int i = 0, k = 0; i < n; k++) {
            char ch = pattern.charAt(i++);
            if (ch == '*') {
                if (i < n && pattern.charAt(i) == '*') {
                    i++;
                    if (i < n && pattern.charAt(i) == '/') i++;
                    if (i >= n) {
                        if (type == Type.EXACT) type = Type.PREFIX;
                        else {
                            re.append(".*");
                            type = Type.REGEX;
                        }
                    } else {
                        re.append("(.*/)?");
                        type = Type.REGEX;
                    }
                    if (k == 0) type = Type.SUFFIX;
                } else {
                    re.append("[^/]*");
                    type = Type.REGEX;
                }
            } else if (ch == '?') {
                re.append("[^/]");
                type = Type.REGEX;
            } else if (ch == '\\') {
                re.append(i < n ? Pattern.quote(String.valueOf(pattern.charAt(i++))) : "\\\\");
                type = Type.REGEX;
            } else if (ch == '[' || ch == ']') {
                re.append(ch);
                type = Type.REGEX;
            } else if (".+()|{}$".indexOf(ch) >= 0) {
                re.append('\\').append(ch);
            } else {
                re.append(ch);
            }
        }
        Pattern regex = null;
        if (type == Type.REGEX) {
            re.append('$');
            regex = Pattern.compile(re.toString(), Pattern.DOTALL);
        }
        return new Rule(pattern, exclusion, type, regex);
    }

    private static boolean matches(Rule r, String path) {
        return switch (r.type) {
            case EXACT -> path.equals(r.cleaned);
            case PREFIX -> path.startsWith(r.cleaned.substring(0, r.cleaned.length() - 2));
            case SUFFIX -> {
                String suffix = r.cleaned.substring(2);
                yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
            }
            case REGEX -> r.regex.matcher(path).matches();
        };
    }

    /** Whether {@code path} (relative, '/'-separated) is excluded from the context. */
    public boolean excludes(String path) {
        String file = clean(path);
        if (file.equals(".")) return false;
        int slash = file.lastIndexOf('/');
        String parent = slash < 0 ? "." : file.substring(0, slash);
        String[] parentDirs = parent.split("/");
        boolean matched = false;
        for (Rule r : rules) {
            if (r.exclusion != matched) continue;
            boolean m = matches(r, file);
            if (!m && !parent.equals(".")) {
                StringBuilder prefix = new StringBuilder();
                for (String d : parentDirs) {
                    if (prefix.length() > 0) prefix.append('/');
                    prefix.append(d);
                    if (matches(r, prefix.toString())) {
                        m = true;
                        break;
                    }
                }
            }
            if (m) matched = !r.exclusion;
        }
        return matched;
    }

    /** True when some exception ('!') could re-include a path under an excluded directory. */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exclusion);
    }

    /** Go's filepath.Clean for relative or absolute '/'-paths. */
    static String clean(String p) {
        if (p.isEmpty()) return ".";
        boolean abs = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) out.remove(out.size() - 1);
                else if (!abs) out.add("..");
            } else out.add(s);
        }
        String r = String.join("/", out);
        if (abs) return "/" + r;
        return r.isEmpty() ? "." : r;
    }
}
