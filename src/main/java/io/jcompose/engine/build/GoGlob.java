package io.jcompose.engine.build;

import java.util.regex.Pattern;

/**
 * Go's {@code path/filepath.Match} syntax (what COPY/ADD sources and .dockerignore use): {@code *} any run of
 * non-separators, {@code ?} one non-separator, {@code [a-z]} / {@code [^a-z]} classes, {@code \} escapes.
 * Malformed patterns ({@code [}, {@code [-x]}, {@code [a-b-c]}, a trailing {@code \}) are errors, as
 * {@code filepath.ErrBadPattern}.
 */
final class GoGlob {
    static final class BadPattern extends Exception {
        BadPattern(String pattern) {
            super("syntax error in pattern \"" + pattern + "\"");
        }
    }

    private GoGlob() {}

    static boolean hasMeta(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('\\') >= 0;
    }

    static boolean match(String pattern, String name) throws BadPattern {
        return compile(pattern).matcher(name).matches();
    }

    static Pattern compile(String pattern) throws BadPattern {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else if (c == '\\') {
                if (i + 1 >= n) throw new BadPattern(pattern);
                re.append(Pattern.quote(String.valueOf(pattern.charAt(i + 1))));
                i += 2;
            } else if (c == '[') {
                i = charClass(pattern, i + 1, re);
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Parses a class after '[' the way Go's matchChunk does; returns the index after ']'. */
    private static int charClass(String p, int i, StringBuilder re) throws BadPattern {
        int n = p.length();
        StringBuilder cls = new StringBuilder("[");
        if (i < n && p.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        cls.append("&&[^/]"); // a class never matches the separator
        StringBuilder items = new StringBuilder();
        int count = 0;
        while (true) {
            if (i < n && p.charAt(i) == ']' && count > 0) {
                i++;
                break;
            }
            int[] lo = classChar(p, i);
            i = lo[1];
            int hi = lo[0];
            if (i < n && p.charAt(i) == '-') {
                int[] h = classChar(p, i + 1);
                hi = h[0];
                i = h[1];
            }
            items.append(esc(lo[0]));
            if (hi != lo[0]) items.append('-').append(esc(hi));
            count++;
        }
        // Java: [^abc&&[^/]] needs grouping to negate only the items.
        boolean neg = cls.charAt(1) == '^';
        re.append(neg ? "(?:(?![" + items + "])[^/])" : "[" + items + "&&[^/]]");
        return i;
    }

    private static int[] classChar(String p, int i) throws BadPattern {
        int n = p.length();
        if (i >= n) throw new BadPattern(p);
        char c = p.charAt(i);
        if (c == '-' || c == ']') throw new BadPattern(p);
        if (c == '\\') {
            if (i + 1 >= n) throw new BadPattern(p);
            return new int[] {p.charAt(i + 1), i + 2};
        }
        return new int[] {c, i + 1};
    }

    private static String esc(int c) {
        return "\\x{" + Integer.toHexString(c) + "}";
    }
}
