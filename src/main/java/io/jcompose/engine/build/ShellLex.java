package io.jcompose.engine.build;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Variable substitution in Dockerfile words, as moby/buildkit's {@code shell.Lex.ProcessWord}: {@code $V},
 * {@code ${V}}, {@code ${V:-w}}, {@code ${V-w}}, {@code ${V:+w}}, {@code ${V+w}}, {@code ${V:?e}}, {@code ${V?e}},
 * {@code ${V#p}}/{@code ##}/{@code %}/{@code %%}; single quotes literal, double quotes expand, the escape
 * character escapes outside quotes and only {@code " $ escape} inside double quotes; quotes are removed.
 * An unset variable expands to the empty string.
 *
 * <pre>{@code new ShellLex('\\').processWord("${A:-x}-'$B'", env)  // "x-$B" when A is unset }</pre>
 */
final class ShellLex {
    /** A substitution that fails: {@code ${V:?msg}}, an unterminated quote, a bad modifier. */
    static final class SubstitutionException extends Exception {
        SubstitutionException(String m) {
            super(m);
        }
    }

    private final char escape;
    private final boolean rawQuotes; // quotes are ordinary characters (heredoc bodies)

    ShellLex(char escape) {
        this(escape, false);
    }

    ShellLex(char escape, boolean rawQuotes) {
        this.escape = escape;
        this.rawQuotes = rawQuotes;
    }

    String processWord(String word, Function<String, Optional<String>> env) throws SubstitutionException {
        return new Scan(word, env).stopOn((char) 0);
    }

    private final class Scan {
        final String s;
        final Function<String, Optional<String>> env;
        int pos;

        Scan(String s, Function<String, Optional<String>> env) {
            this.s = s;
            this.env = env;
        }

        boolean eof() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        String stopOn(char stop) throws SubstitutionException {
            StringBuilder r = new StringBuilder();
            while (!eof()) {
                char ch = peek();
                if (stop != 0 && ch == stop) {
                    pos++;
                    return r.toString();
                }
                if (ch == '$') r.append(dollar());
                else if (ch == '\'' && !rawQuotes) r.append(singleQuote());
                else if (ch == '"' && !rawQuotes) r.append(doubleQuote());
                else {
                    pos++;
                    if (ch == escape) {
                        if (eof()) break;
                        ch = s.charAt(pos++);
                    }
                    r.append(ch);
                }
            }
            if (stop != 0) throw new SubstitutionException("unexpected end of statement while looking for matching " + stop);
            return r.toString();
        }

        String singleQuote() throws SubstitutionException {
            pos++;
            StringBuilder r = new StringBuilder();
            while (true) {
                if (eof()) throw new SubstitutionException("unexpected end of statement while looking for matching single-quote");
                char ch = s.charAt(pos++);
                if (ch == '\'') return r.toString();
                r.append(ch);
            }
        }

        String doubleQuote() throws SubstitutionException {
            pos++;
            StringBuilder r = new StringBuilder();
            while (true) {
                if (eof()) throw new SubstitutionException("unexpected end of statement while looking for matching double-quote");
                char ch = peek();
                if (ch == '"') {
                    pos++;
                    return r.toString();
                }
                if (ch == '$') {
                    r.append(dollar());
                    continue;
                }
                pos++;
                if (ch == escape) {
                    if (eof()) continue;
                    char next = peek();
                    if (next == '"' || next == '$' || next == escape) {
                        ch = next;
                        pos++;
                    }
                }
                r.append(ch);
            }
        }

        String name() {
            StringBuilder n = new StringBuilder();
            while (!eof()) {
                char ch = peek();
                if (n.length() == 0 && Character.isDigit(ch)) {
                    while (!eof() && Character.isDigit(peek())) n.append(s.charAt(pos++));
                    return n.toString();
                }
                if (n.length() == 0 && "@*#?-$!0".indexOf(ch) >= 0) {
                    pos++;
                    return String.valueOf(ch);
                }
                if (!Character.isLetterOrDigit(ch) && ch != '_') break;
                n.append(ch);
                pos++;
            }
            return n.toString();
        }

        String dollar() throws SubstitutionException {
            pos++;
            if (eof() || peek() != '{') {
                String name = name();
                if (name.isEmpty()) return "$";
                return env.apply(name).orElse("");
            }
            pos++;
            if (eof()) throw new SubstitutionException("syntax error: missing '}'");
            char c0 = peek();
            if (c0 == '{' || c0 == '}' || c0 == ':') throw new SubstitutionException("syntax error: bad substitution");
            String name = name();
            if (eof()) throw new SubstitutionException("syntax error: missing '}'");
            char ch = s.charAt(pos++);
            Optional<String> value = env.apply(name);
            switch (ch) {
                case '}':
                    return value.orElse("");
                case '?': {
                    String word = word();
                    if (value.isEmpty()) throw new SubstitutionException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                    return value.get();
                }
                case '-': {
                    String word = word();
                    return value.isPresent() ? value.get() : word;
                }
                case '+': {
                    String word = word();
                    return value.isPresent() ? word : "";
                }
                case ':': {
                    if (eof()) throw new SubstitutionException("syntax error: missing '}'");
                    char modifier = s.charAt(pos++);
                    String word = word();
                    String v = value.orElse("");
                    switch (modifier) {
                        case '+':
                            return v.isEmpty() ? "" : word;
                        case '-':
                            return v.isEmpty() ? word : v;
                        case '?':
                            if (value.isEmpty()) throw new SubstitutionException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                            if (v.isEmpty()) throw new SubstitutionException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                            return v;
                        default:
                            throw new SubstitutionException("unsupported modifier (" + modifier + ") in substitution");
                    }
                }
                case '#':
                case '%': {
                    boolean longest = !eof() && peek() == ch;
                    if (longest) pos++;
                    String pattern = word();
                    return trim(value.orElse(""), pattern, ch == '#', longest);
                }
                default:
                    throw new SubstitutionException("unsupported modifier (" + ch + ") in substitution");
            }
        }

        private String word() throws SubstitutionException {
            try {
                return stopOn('}');
            } catch (SubstitutionException e) {
                if (eof()) throw new SubstitutionException("syntax error: missing '}'");
                throw e;
            }
        }
    }

    /** {@code ${v#p}} and friends: remove the shortest/longest prefix/suffix matching the glob {@code p}. */
    private static String trim(String v, String glob, boolean prefix, boolean longest) {
        Pattern p = Pattern.compile(globRegex(glob), Pattern.DOTALL);
        if (prefix) {
            for (int i = longest ? v.length() : 0; longest ? i >= 0 : i <= v.length(); i += longest ? -1 : 1)
                if (p.matcher(v.substring(0, i)).matches()) return v.substring(i);
        } else {
            for (int i = longest ? 0 : v.length(); longest ? i <= v.length() : i >= 0; i += longest ? 1 : -1)
                if (p.matcher(v.substring(i)).matches()) return v.substring(0, i);
        }
        return v;
    }

    private static String globRegex(String glob) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') r.append(".*");
            else if (c == '?') r.append('.');
            else if (c == '\\' && i + 1 < glob.length()) r.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            else r.append(Pattern.quote(String.valueOf(c)));
        }
        return r.toString();
    }
}
