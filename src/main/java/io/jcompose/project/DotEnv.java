package io.jcompose.project;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code .env} / {@code env_file} syntax exactly as Compose reads it (quotes, escapes, {@code export}, comments,
 * {@code KEY: value}, interpolation of earlier keys and of {@code lookup}).
 *
 * <p>Worked example: {@code export A="x\ty" # c} gives {@code A} = x, tab, y; {@code B=${A}z} gives "x\tyz";
 * {@code C='$A'} stays {@code $A}; a bare {@code D} takes {@code D} from {@code lookup} or is left out.
 */
public final class DotEnv {
    private DotEnv() {}

    /**
     * Parses {@code text}; the result keeps file order. Interpolation in unquoted and double-quoted values asks
     * {@code lookup} (the process environment) first and then the keys defined earlier in the file, as compose-go
     * does (the process environment wins). A key with no {@code =} takes its value from {@code lookup}, or is absent.
     * Errors are {@link ComposeFileException}s located at {@code file:line}.
     */
    public static Map<String, String> parse(String file, String text, Function<String, Optional<String>> lookup) {
        return new Parser(file, text, lookup).parse();
    }

    private static final class Parser {
        private final String file;
        private final String src;
        private final Function<String, Optional<String>> lookup;
        private final Map<String, String> out = new LinkedHashMap<>();
        private int pos;

        Parser(String file, String src, Function<String, Optional<String>> lookup) {
            this.file = file;
            // A BOM would otherwise become part of the first key.
            this.src = src.startsWith("\uFEFF") ? src.substring(1) : src;
            this.lookup = lookup;
        }

        Map<String, String> parse() {
            while (statementStart()) {
                int keyLine = line(pos);
                // "export KEY=..." — only when followed by white space ("exportFOO" and "export.FOO" are keys).
                if (src.startsWith("export", pos) && pos + 6 < src.length() && isSpace(src.charAt(pos + 6))) {
                    pos += 6;
                    while (pos < src.length() && isSpace(src.charAt(pos))) pos++;
                }
                int keyStart = pos;
                char sep = 0;
                while (pos < src.length()) {
                    char c = src.charAt(pos);
                    if (c == '=' || c == ':' || c == '\n') {
                        sep = c;
                        break;
                    }
                    if (!isSpace(c) && !isKeyChar(c)) {
                        int eol = src.indexOf('\n', keyStart);
                        String lineText = src.substring(keyStart, eol < 0 ? src.length() : eol);
                        throw error(keyLine, "unexpected character \"" + c + "\" in variable name \"" + lineText
                                + "\"; write KEY=VALUE with KEY made of letters, digits, _ . - [ ]");
                    }
                    pos++;
                }
                String key = src.substring(keyStart, pos).stripTrailing();
                if (key.isEmpty()) throw error(keyLine, "missing variable name before \"" + sep + "\"");
                if (key.chars().anyMatch(ch -> isSpace((char) ch))) {
                    throw error(keyLine, "variable name \"" + key + "\" contains a space");
                }
                if (sep == 0 || sep == '\n') {
                    // "KEY" alone: inherited from the environment, or absent.
                    lookup.apply(key).ifPresent(v -> out.put(key, v));
                    continue;
                }
                pos++; // the separator
                while (pos < src.length() && isSpace(src.charAt(pos))) pos++;
                out.put(key, value(key, keyLine));
            }
            return out;
        }

        /** Skips blank space and comment lines; false at the end of input. */
        private boolean statementStart() {
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (Character.isWhitespace(c) || c == '\u0085' || c == '\u00A0') {
                    pos++;
                } else if (c == '#') {
                    int eol = src.indexOf('\n', pos);
                    if (eol < 0) {
                        pos = src.length();
                        return false;
                    }
                    pos = eol;
                } else {
                    return true;
                }
            }
            return false;
        }

        private String value(String key, int keyLine) {
            char quote = pos < src.length() ? src.charAt(pos) : 0;
            if (quote != '"' && quote != '\'') {
                int eol = src.indexOf('\n', pos);
                String raw = src.substring(pos, eol < 0 ? src.length() : eol);
                pos = eol < 0 ? src.length() : eol;
                int comment = raw.indexOf(" #");
                if (comment >= 0) raw = raw.substring(0, comment);
                return expand(raw.stripTrailing(), keyLine, key);
            }
            StringBuilder chars = new StringBuilder();
            boolean escaped = false;
            for (int i = pos + 1; i < src.length(); i++) {
                char c = src.charAt(i);
                if (c != quote) {
                    if (!escaped && c == '\\') {
                        escaped = true;
                        continue;
                    }
                    if (escaped) {
                        escaped = false;
                        chars.append('\\');
                    }
                    chars.append(c);
                    continue;
                }
                if (escaped) { // \" or \' inside its own quotes
                    escaped = false;
                    chars.append(c);
                    continue;
                }
                pos = i + 1;
                String v = chars.toString();
                return quote == '"' ? expand(unescape(v), keyLine, key) : v;
            }
            int eol = src.indexOf('\n', pos);
            throw error(keyLine, "unterminated quoted value " + src.substring(pos, eol < 0 ? src.length() : eol)
                    + "; close the " + (quote == '"' ? "double" : "single") + " quote");
        }

        private String expand(String v, int line, String key) {
            if (v.indexOf('$') < 0) return v;
            Function<String, Optional<String>> env = name -> {
                Optional<String> fromLookup = lookup.apply(name);
                return fromLookup.isPresent() ? fromLookup : Optional.ofNullable(out.get(name));
            };
            return new Interpolator().interpolate(v, env, new Location(file, line, 1), key);
        }

        private ComposeFileException error(int line, String problem) {
            return new ComposeFileException(new Location(file, line, 1), "", problem);
        }

        private int line(int at) {
            int n = 1;
            for (int i = 0; i < at && i < src.length(); i++) if (src.charAt(i) == '\n') n++;
            return n;
        }
    }

    /**
     * The shell escapes double quotes understand: {@code \a \b \f \n \r \t \v \\ \" \$} and octal {@code \0NNN};
     * anything else ({@code \x07}, {@code \U…}, {@code \ }) is kept as written. {@code \$} becomes {@code $$} so the
     * interpolation that follows keeps a literal dollar.
     */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(i + 1);
            String rep = switch (n) {
                case 'a' -> "\u0007";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'v' -> "\u000b";
                case '\\' -> "\\";
                case '"' -> "\"";
                case '$' -> "$$";
                default -> null;
            };
            if (rep != null) {
                out.append(rep);
                i++;
                continue;
            }
            if (n == '0') {
                int end = i + 2;
                while (end < s.length() && end < i + 5 && Character.isDigit(s.charAt(end))) end++;
                String digits = s.substring(i + 2, end);
                if (!digits.isEmpty() && digits.chars().allMatch(d -> d >= '0' && d <= '7')) {
                    int v = Integer.parseInt(digits, 8);
                    if (v <= 0377) {
                        out.append((char) v);
                        i = end - 1;
                        continue;
                    }
                }
                if (digits.isEmpty()) { // "\0" alone is NUL
                    out.append('\0');
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u000b' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u00A0';
    }

    private static boolean isKeyChar(char c) {
        return c == '_' || c == '.' || c == '-' || c == '[' || c == ']' || Character.isLetterOrDigit(c);
    }
}
