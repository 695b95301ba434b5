package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a Dockerfile the way moby/buildkit's {@code dockerfile/parser} and {@code instructions} packages do:
 * parser directives at the top ({@code # escape=}, {@code # syntax=} ignored with a warning, {@code # check=}),
 * comments (also between continuation lines), line continuations with the escape character, heredocs for
 * RUN/COPY/ADD ({@code <<EOF}, {@code <<-EOF}, quoted names do not expand, several per line), JSON (exec) versus
 * shell form, builder flags ({@code --from}, {@code --mount=…}), multi-stage {@code FROM x AS name}, and ARGs
 * before the first FROM. Errors carry the line where the instruction starts, as Docker prints it.
 *
 * <p>Stateless; {@link #parse(String, String)} may be called from many threads.
 */
public final class DockerfileParser {
    private static final Pattern DIRECTIVE = Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\u000b\\f\\r ]+");
    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)([^<]*)$");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYWORDS = List.of("add", "arg", "cmd", "copy", "entrypoint", "env", "expose",
            "from", "healthcheck", "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume",
            "workdir");

    /** A logical line: continuations joined, comments dropped, heredoc bodies attached. */
    private record Node(int startLine, int endLine, String line, List<Instruction.Heredoc> heredocs) {}

    private final class Lines {
        final String file;
        final List<String> raw;
        final List<String> warnings = new ArrayList<>();
        char escape = '\\';
        Pattern continuation = continuationPattern('\\');
        boolean directivesDone;
        final Set<String> seenDirectives = new java.util.HashSet<>();

        Lines(String file, String text) {
            this.file = file;
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            List<String> ls = new ArrayList<>(List.of(text.split("\n", -1)));
            if (!ls.isEmpty() && ls.get(ls.size() - 1).isEmpty()) ls.remove(ls.size() - 1);
            this.raw = ls;
        }

        /** buildkit's processLine: trims the newline (and left space on the first line), drops comments, reads directives. */
        String process(String line, boolean stripLeft) throws DockerfileException {
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (stripLeft) line = stripLeading(line);
            directive(line);
            return isComment(line) ? "" : line;
        }

        private void directive(String line) throws DockerfileException {
            if (directivesDone) return;
            Matcher m = DIRECTIVE.matcher(line);
            if (!m.matches()) {
                directivesDone = true;
                return;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2);
            if (!seenDirectives.add(key))
                throw new DockerfileException(file, 0, "only one " + key + " parser directive can be used");
            switch (key) {
                case "escape" -> {
                    if (!value.equals("\\") && !value.equals("`"))
                        throw new DockerfileException(file, 0, "invalid escape token '" + value + "' does not match ` or \\");
                    escape = value.charAt(0);
                    continuation = continuationPattern(escape);
                }
                case "syntax" -> warnings.add("ignoring parser directive '# syntax=" + value
                        + "': the jcompose builder has no frontend images and uses its built-in Dockerfile parser");
                default -> { } // check=, and unknown directives: comments, as in buildkit
            }
        }
    }

    private static Pattern continuationPattern(char escape) {
        return Pattern.compile(Pattern.quote(String.valueOf(escape)) + "[ \\t]*$");
    }

    /** Parses {@code text}; {@code file} is only used in messages (e.g. "Dockerfile", "build/Dockerfile.dev"). */
    public Dockerfile parse(String file, String text) throws DockerfileException {
        Lines lines = new Lines(file, text);
        List<Node> nodes = nodes(lines);
        List<Instruction.Arg> metaArgs = new ArrayList<>();
        List<Dockerfile.Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        List<Instruction> commands = new ArrayList<>();
        for (Node n : nodes) {
            Instruction i = instruction(file, lines.escape, n, false);
            if (i instanceof Instruction.From f) {
                if (from != null) stages.add(new Dockerfile.Stage(stages.size(), from.stageName(), from, commands));
                from = f;
                commands = new ArrayList<>();
            } else if (from == null) {
                if (i instanceof Instruction.Arg a) metaArgs.add(a);
                else throw new DockerfileException(file, n.startLine(), "no build stage in current context: "
                        + i.keyword() + " before the first FROM (only ARG may come before FROM)");
            } else {
                commands.add(i);
            }
        }
        if (from == null) {
            throw new DockerfileException(file, 0, nodes.isEmpty() ? "file with no instructions"
                    : "no FROM instruction: a Dockerfile needs at least one build stage");
        }
        stages.add(new Dockerfile.Stage(stages.size(), from.stageName(), from, commands));
        Set<String> names = new java.util.HashSet<>();
        for (Dockerfile.Stage s : stages) {
            if (s.name().isPresent() && !names.add(s.name().get()))
                throw new DockerfileException(file, s.from().line(), "duplicate stage name \"" + s.name().get() + "\"");
        }
        return new Dockerfile(lines.escape, metaArgs, stages, lines.warnings);
    }

    private List<Node> nodes(Lines l) throws DockerfileException {
        List<Node> out = new ArrayList<>();
        int i = 0;
        List<String> raw = l.raw;
        while (i < raw.size()) {
            String first = l.process(raw.get(i), true);
            i++;
            int start = i;
            String[] t = trimContinuation(first, l);
            String line = t[0];
            boolean end = t[1] != null;
            if (end && line.isEmpty()) continue;
            while (!end && i < raw.size()) {
                String r = raw.get(i);
                String p = l.process(r, false);
                i++;
                if (isComment(r)) continue;
                if (stripLeading(p).isEmpty()) continue; // an empty continuation line: buildkit warns and skips it
                String[] c = trimContinuation(p, l);
                line += c[0];
                end = c[1] != null;
            }
            List<Instruction.Heredoc> heredocs = new ArrayList<>();
            String kw = WHITESPACE.split(line.strip(), 2)[0].toLowerCase(Locale.ROOT);
            if (Set.of("run", "copy", "add").contains(kw) && line.contains("<<")) {
                for (HeredocWord h : heredocWords(line)) {
                    StringBuilder content = new StringBuilder();
                    boolean terminated = false;
                    while (i < raw.size()) {
                        String r = raw.get(i);
                        i++;
                        String candidate = r.endsWith("\r") ? r.substring(0, r.length() - 1) : r;
                        if (h.chomp) candidate = candidate.replaceFirst("^\\t+", "");
                        if (candidate.equals(h.name)) {
                            terminated = true;
                            break;
                        }
                        content.append(h.chomp ? r.replaceFirst("^\\t+", "") : r).append('\n');
                    }
                    if (!terminated) throw new DockerfileException(l.file, start, "unterminated heredoc <<" + h.name);
                    heredocs.add(new Instruction.Heredoc(h.name, content.toString(), h.expand, h.chomp));
                }
            }
            out.add(new Node(start, i, line, heredocs));
        }
        return out;
    }

    /** [line without the continuation char, non-null if the logical line ends here]. */
    private static String[] trimContinuation(String line, Lines l) {
        Matcher m = l.continuation.matcher(line);
        if (m.find()) return new String[] {line.substring(0, m.start()), null};
        return new String[] {line, ""};
    }

    static boolean isComment(String line) {
        return stripLeading(line).startsWith("#");
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return s.substring(i);
    }

    private record HeredocWord(String name, boolean chomp, boolean expand) {}

    /** buildkit's heredocsFromLine: shell words of the form {@code [n]<<[-]NAME}, NAME possibly quoted. */
    static List<HeredocWord> heredocWords(String line) {
        List<HeredocWord> out = new ArrayList<>();
        for (String word : rawWords(line)) {
            Matcher m = HEREDOC.matcher(word);
            if (!m.matches() || m.group(3).isEmpty()) continue;
            String rest = m.group(3);
            String name = unquote(rest);
            if (name.isEmpty() || WHITESPACE.matcher(name).find()) continue;
            boolean quoted = rest.indexOf('"') >= 0 || rest.indexOf('\'') >= 0;
            out.add(new HeredocWord(name, m.group(2).equals("-"), !quoted));
        }
        return out;
    }

    /** Splits on unquoted whitespace, keeping quotes and backslashes as written. */
    private static List<String> rawWords(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                w.append(c);
            } else if (c == '\\' && i + 1 < s.length()) {
                w.append(c).append(s.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (w.length() > 0) words.add(w.toString());
                w.setLength(0);
            } else {
                w.append(c);
            }
        }
        if (w.length() > 0) words.add(w.toString());
        return words;
    }

    private static String unquote(String s) {
        StringBuilder b = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else b.append(c);
            } else if (c == '\'' || c == '"') quote = c;
            else if (c == '\\' && i + 1 < s.length()) b.append(s.charAt(++i));
            else b.append(c);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- instructions

    private Instruction instruction(String file, char escape, Node n, boolean inOnbuild) throws DockerfileException {
        String[] cmdline = WHITESPACE.split(n.line().strip(), 2);
        String keyword = cmdline[0].toLowerCase(Locale.ROOT);
        String rest = "";
        List<String> flagWords = List.of();
        if (cmdline.length == 2) {
            Object[] ex = extractBuilderFlags(cmdline[1]);
            rest = (String) ex[0];
            @SuppressWarnings("unchecked") List<String> fw = (List<String>) ex[1];
            flagWords = fw;
        }
        int line = n.startLine();
        String text = n.line().strip();
        Flags flags = new Flags(file, line, keyword.toUpperCase(Locale.ROOT), flagWords);
        try {
            return switch (keyword) {
                case "from" -> from(flags, text, rest);
                case "run" -> run(flags, text, rest, n.heredocs());
                case "copy", "add" -> copy(flags, text, rest, keyword.equals("add"), n.heredocs(), escape);
                case "env" -> new Instruction.Env(line, text, nameVals(flags, "ENV", rest, escape));
                case "label" -> new Instruction.Label(line, text, nameVals(flags, "LABEL", rest, escape));
                case "arg" -> arg(flags, text, rest, escape);
                case "cmd" -> {
                    flags.done();
                    yield new Instruction.Cmd(line, text, maybeJson(flags, rest));
                }
                case "entrypoint" -> {
                    flags.done();
                    yield new Instruction.Entrypoint(line, text, maybeJson(flags, rest));
                }
                case "shell" -> {
                    flags.done();
                    Instruction.Command c = maybeJson(flags, rest);
                    if (c.shellForm() || c.args().isEmpty())
                        throw flags.error("SHELL requires the arguments to be in JSON form");
                    yield new Instruction.Shell(line, text, c.args());
                }
                case "workdir" -> new Instruction.Workdir(line, text, one(flags, rest));
                case "user" -> new Instruction.User(line, text, one(flags, rest));
                case "stopsignal" -> new Instruction.StopSignal(line, text, one(flags, rest));
                case "maintainer" -> new Instruction.Maintainer(line, text, one(flags, rest));
                case "expose" -> {
                    flags.done();
                    List<String> ports = whitespaceList(rest);
                    if (ports.isEmpty()) throw flags.error("EXPOSE requires at least one argument");
                    yield new Instruction.Expose(line, text, ports);
                }
                case "volume" -> {
                    flags.done();
                    List<String> paths = jsonOrWhitespaceList(flags, rest);
                    if (paths.isEmpty()) throw flags.error("VOLUME requires at least one argument");
                    for (String p : paths)
                        if (p.strip().isEmpty()) throw flags.error("VOLUME specified can not be an empty string");
                    yield new Instruction.Volume(line, text, paths);
                }
                case "healthcheck" -> healthcheck(flags, text, rest);
                case "onbuild" -> {
                    flags.done();
                    if (inOnbuild) throw flags.error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                    String expr = rest.strip();
                    if (expr.isEmpty()) throw flags.error("ONBUILD requires at least one argument");
                    String trigger = WHITESPACE.split(expr, 2)[0].toUpperCase(Locale.ROOT);
                    if (trigger.equals("ONBUILD"))
                        throw flags.error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                    if (trigger.equals("FROM") || trigger.equals("MAINTAINER"))
                        throw flags.error(trigger + " isn't allowed as an ONBUILD trigger");
                    instruction(file, escape, new Node(line, line, expr, List.of()), true); // validate it now
                    yield new Instruction.Onbuild(line, text, expr);
                }
                default -> throw new DockerfileException(file, line, "unknown instruction \""
                        + cmdline[0].toUpperCase(Locale.ROOT) + "\"" + suggestion(keyword));
            };
        } catch (FlagException e) {
            throw new DockerfileException(file, line, e.getMessage());
        }
    }

    private static String suggestion(String keyword) {
        String best = null;
        int bestD = 3;
        for (String k : KEYWORDS) {
            int d = distance(keyword, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best == null ? " (did you mean one of " + String.join(", ", KEYWORDS).toUpperCase(Locale.ROOT) + "?)"
                : " (did you mean " + best.toUpperCase(Locale.ROOT) + "?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            prev = cur;
        }
        return prev[b.length()];
    }

    private Instruction from(Flags flags, String text, String rest) throws DockerfileException, FlagException {
        Optional<String> platform = flags.string("platform");
        flags.done();
        List<String> args = whitespaceList(rest);
        if (!(args.size() == 1 || (args.size() == 3 && args.get(1).equalsIgnoreCase("as"))))
            throw flags.error("FROM requires either one or three arguments");
        Optional<String> name = Optional.empty();
        if (args.size() == 3) {
            String n = args.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(n).matches())
                throw flags.error("invalid name for build stage: \"" + args.get(2)
                        + "\", name can't start with a number or contain symbols");
            name = Optional.of(n);
        }
        return new Instruction.From(flags.line, text, args.get(0), name, platform);
    }

    private Instruction run(Flags flags, String text, String rest, List<Instruction.Heredoc> heredocs)
            throws DockerfileException, FlagException {
        List<String> mountSpecs = flags.strings("mount");
        Optional<String> network = flags.string("network");
        Optional<String> security = flags.string("security");
        flags.done();
        if (network.isPresent() && !Set.of("default", "none", "host").contains(network.get()))
            throw flags.error("unsupported network mode \"" + network.get() + "\" (use default, none or host)");
        List<Instruction.Mount> mounts = new ArrayList<>();
        for (String spec : mountSpecs) mounts.add(mount(flags, spec));
        Instruction.Command c = maybeJson(flags, rest);
        if (c.args().isEmpty() || (c.shellForm() && c.args().get(0).isBlank()))
            throw flags.error("RUN requires at least one argument");
        return new Instruction.Run(flags.line, text, c, mounts, network, security, heredocs);
    }

    private static final Set<String> MOUNT_TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");

    /** {@code type=cache,target=/root/.cache,sharing=locked}; keys as buildkit's runmount.go accepts them. */
    private Instruction.Mount mount(Flags flags, String spec) throws DockerfileException {
        Map<String, String> opts = new TreeMap<>();
        String type = "bind";
        Optional<String> target = Optional.empty();
        for (String field : splitCsv(spec)) {
            String[] kv = field.split("=", 2);
            String key = kv[0].strip().toLowerCase(Locale.ROOT);
            String value = kv.length == 2 ? kv[1] : null;
            switch (key) {
                case "type" -> {
                    if (value == null || !MOUNT_TYPES.contains(value.toLowerCase(Locale.ROOT)))
                        throw flags.error("unsupported mount type \"" + value + "\" in --mount=" + spec);
                    type = value.toLowerCase(Locale.ROOT);
                }
                case "target", "dst", "destination" -> target = Optional.ofNullable(value);
                case "source", "src" -> opts.put("source", value == null ? "" : value);
                case "readonly", "ro", "readwrite", "rw", "required" -> opts.put(key, value == null ? "true" : value);
                case "from", "id", "sharing", "mode", "uid", "gid", "env", "size" -> {
                    if (value == null) throw flags.error("invalid field '" + field + "' must be a key=value pair");
                    opts.put(key, value);
                }
                default -> throw flags.error("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (type.equals("secret") && !opts.containsKey("id") && target.isEmpty() && !opts.containsKey("env"))
            throw flags.error("secret mount needs id= or target=: --mount=" + spec);
        if (!type.equals("secret") && !type.equals("ssh") && target.isEmpty())
            throw flags.error("mount has no target: --mount=" + spec);
        return new Instruction.Mount(type, target, new TreeMap<>(opts));
    }

    private static List<String> splitCsv(String s) {
        // encoding/csv as buildkit uses it: commas split, double quotes group.
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                if (q && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else q = !q;
            } else if (c == ',' && !q) {
                out.add(f.toString());
                f.setLength(0);
            } else f.append(c);
        }
        out.add(f.toString());
        return out;
    }

    private Instruction copy(Flags flags, String text, String rest, boolean add, List<Instruction.Heredoc> heredocs,
                             char escape) throws DockerfileException, FlagException {
        String kw = add ? "ADD" : "COPY";
        Optional<String> from = add ? Optional.empty() : flags.string("from");
        Optional<String> chown = flags.string("chown");
        Optional<String> chmod = flags.string("chmod");
        boolean link = flags.bool("link");
        boolean parents = !add && flags.bool("parents");
        List<String> excludes = flags.strings("exclude");
        Optional<String> checksum = add ? flags.string("checksum") : Optional.empty();
        boolean keepGitDir = add && flags.bool("keep-git-dir");
        if (add) flags.string("unpack");
        flags.done();
        List<String> words = jsonOrWhitespaceList(flags, rest);
        if (words.size() < 2)
            throw flags.error(kw + " requires at least two arguments, but only one was provided. Destination could not be determined");
        if (chmod.isPresent() && !chmod.get().matches("[0-7]{1,4}") && !chmod.get().contains("$"))
            throw flags.error("invalid --chmod=" + chmod.get() + ": only octal modes are supported");
        List<String> sources = new ArrayList<>();
        List<Instruction.Heredoc> used = new ArrayList<>();
        for (String w : words.subList(0, words.size() - 1)) {
            Matcher m = HEREDOC.matcher(w);
            Optional<Instruction.Heredoc> h = Optional.empty();
            if (m.matches() && !m.group(3).isEmpty()) {
                String name = unquote(m.group(3));
                h = heredocs.stream().filter(d -> d.name().equals(name)).findFirst();
            }
            if (h.isPresent()) used.add(h.get());
            else sources.add(w);
        }
        return new Instruction.Copy(flags.line, text, add, sources, words.get(words.size() - 1), from, chown, chmod,
                link, checksum, keepGitDir, parents, excludes, used);
    }

    private Instruction arg(Flags flags, String text, String rest, char escape) throws DockerfileException {
        flags.done();
        List<String> words = parseWords(rest, escape);
        if (words.isEmpty()) throw flags.error("ARG requires at least one argument");
        List<Instruction.ArgDef> defs = new ArrayList<>();
        for (String w : words) {
            String[] kv = w.split("=", 2);
            if (kv[0].isEmpty()) throw flags.error("ARG names can not be blank");
            defs.add(new Instruction.ArgDef(kv[0], kv.length == 2 ? Optional.of(kv[1]) : Optional.empty()));
        }
        return new Instruction.Arg(flags.line, text, defs);
    }

    /** buildkit's parseNameVal: {@code KEY name value} (legacy, value = rest of line) or {@code KEY a=b c="d e"}. */
    private List<Instruction.KeyValue> nameVals(Flags flags, String key, String rest, char escape)
            throws DockerfileException {
        flags.done();
        List<String> words = parseWords(rest, escape);
        if (words.isEmpty()) throw flags.error(key + " requires at least one argument");
        List<Instruction.KeyValue> out = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            String[] parts = WHITESPACE.split(rest.strip(), 2);
            if (parts.length < 2) throw flags.error(key + " must have two arguments");
            out.add(new Instruction.KeyValue(parts[0], parts[1]));
            return out;
        }
        for (String w : words) {
            if (!w.contains("="))
                throw flags.error("Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            String[] kv = w.split("=", 2);
            if (kv[0].isEmpty()) throw flags.error(key + " names can not be blank");
            out.add(new Instruction.KeyValue(kv[0], kv[1]));
        }
        return out;
    }

    private Instruction healthcheck(Flags flags, String text, String rest) throws DockerfileException, FlagException {
        Optional<String> interval = flags.string("interval");
        Optional<String> timeout = flags.string("timeout");
        Optional<String> startPeriod = flags.string("start-period");
        Optional<String> startInterval = flags.string("start-interval");
        Optional<String> retries = flags.string("retries");
        flags.done();
        String[] parts = WHITESPACE.split(rest.strip(), 2);
        String type = parts[0].toUpperCase(Locale.ROOT);
        if (type.equals("NONE")) {
            if (parts.length > 1 || interval.isPresent() || timeout.isPresent() || startPeriod.isPresent()
                    || startInterval.isPresent() || retries.isPresent())
                throw flags.error("HEALTHCHECK NONE takes no arguments");
            return new Instruction.Healthcheck(flags.line, text, List.of("NONE"), Duration.ZERO, Duration.ZERO,
                    Duration.ZERO, Duration.ZERO, 0);
        }
        if (!type.equals("CMD")) throw flags.error("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        if (parts.length < 2) throw flags.error("Missing command after HEALTHCHECK CMD");
        Instruction.Command c = maybeJson(flags, parts[1]);
        List<String> test = new ArrayList<>();
        if (c.shellForm()) {
            test.add("CMD-SHELL");
            test.add(c.args().get(0));
        } else {
            test.add("CMD");
            test.addAll(c.args());
        }
        int r = 0;
        if (retries.isPresent()) {
            try {
                r = Integer.parseInt(retries.get());
            } catch (NumberFormatException e) {
                throw flags.error("invalid --retries=" + retries.get() + ": not a number");
            }
            if (r < 0) throw flags.error("--retries cannot be negative (" + r + ")");
        }
        return new Instruction.Healthcheck(flags.line, text, test, duration(flags, "interval", interval),
                duration(flags, "timeout", timeout), duration(flags, "start-period", startPeriod),
                duration(flags, "start-interval", startInterval), r);
    }

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    /** Go's time.ParseDuration; a non-zero healthcheck duration must be at least 1ms, as buildkit checks. */
    private static Duration duration(Flags flags, String name, Optional<String> value) throws DockerfileException {
        if (value.isEmpty()) return Duration.ZERO;
        Optional<Duration> d = parseGoDuration(value.get());
        if (d.isEmpty()) throw flags.error("invalid --" + name + "=" + value.get() + ": not a duration like 30s or 1m30s");
        if (!d.get().isZero() && d.get().compareTo(Duration.ofMillis(1)) < 0)
            throw flags.error("Interval \"" + name + "\" cannot be less than 1ms");
        return d.get();
    }

    static Optional<Duration> parseGoDuration(String s) {
        if (s.equals("0")) return Optional.of(Duration.ZERO);
        Matcher m = GO_DURATION.matcher(s);
        int pos = 0;
        java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) return Optional.empty();
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        return pos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos.longValue()));
    }

    private static String one(Flags flags, String rest) throws DockerfileException {
        flags.done();
        String v = rest.strip();
        if (v.isEmpty()) throw flags.error(flags.keyword + " requires exactly one argument");
        return v;
    }

    private static List<String> whitespaceList(String rest) {
        String r = rest.strip();
        return r.isEmpty() ? List.of() : List.of(WHITESPACE.split(r));
    }

    /** parseMaybeJSON: a JSON array of strings is exec form; anything else not starting with '[' is shell form. */
    private static Instruction.Command maybeJson(Flags flags, String rest) throws DockerfileException {
        String r = rest.strip();
        if (r.isEmpty()) return new Instruction.Command(List.of(), false);
        Optional<List<String>> json = json(flags, r);
        return json.map(a -> new Instruction.Command(a, false))
                .orElseGet(() -> new Instruction.Command(List.of(r), true));
    }

    private static List<String> jsonOrWhitespaceList(Flags flags, String rest) throws DockerfileException {
        String r = rest.strip();
        Optional<List<String>> json = json(flags, r);
        return json.isPresent() ? json.get() : whitespaceList(r);
    }

    private static Optional<List<String>> json(Flags flags, String r) throws DockerfileException {
        if (!r.startsWith("[")) return Optional.empty();
        JsonNode node;
        try {
            node = JSON.readTree(r);
        } catch (Exception e) {
            return Optional.empty(); // not JSON: shell form, as in buildkit
        }
        if (node == null || !node.isArray()) return Optional.empty();
        List<String> out = new ArrayList<>();
        for (JsonNode e : node) {
            if (!e.isTextual()) throw flags.error("unexpected non-string in JSON array: " + e);
            out.add(e.textValue());
        }
        return Optional.of(out);
    }

    /** buildkit's parseWords: whitespace-separated words; quotes and escapes are kept for the expansion step. */
    static List<String> parseWords(String rest, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        boolean blankOk = false;
        int n = rest.length();
        for (int pos = 0; pos <= n; pos++) {
            char ch = pos < n ? rest.charAt(pos) : 0;
            if (!inWord && quote == 0) {
                if (pos == n) break;
                if (Character.isWhitespace(ch)) continue;
                inWord = true;
            }
            if (pos == n) {
                if (blankOk || word.length() > 0) words.add(word.toString());
                break;
            }
            if (quote == 0) {
                if (Character.isWhitespace(ch)) {
                    inWord = false;
                    if (blankOk || word.length() > 0) words.add(word.toString());
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                } else if (ch == escape) {
                    if (pos + 1 == n) continue;
                    word.append(ch);
                    ch = rest.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) {
                quote = 0;
            } else if (ch == escape && quote != '\'') {
                if (pos + 1 == n) continue;
                word.append(ch);
                ch = rest.charAt(++pos);
            }
            word.append(ch);
        }
        return words;
    }

    /** buildkit's extractBuilderFlags: leading {@code --name[=value]} words; returns [rest, List of words]. */
    static Object[] extractBuilderFlags(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int phase = 0; // 0 spaces, 1 word, 2 quote
        char quote = 0;
        boolean blankOk = false;
        int n = line.length();
        for (int pos = 0; pos <= n; pos++) {
            char ch = pos < n ? line.charAt(pos) : 0;
            if (phase == 0) {
                if (pos == n) break;
                if (Character.isWhitespace(ch)) continue;
                if (ch != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') return new Object[] {line.substring(pos), words};
                phase = 1;
            }
            if (pos == n) {
                if (!word.toString().equals("--") && (blankOk || word.length() > 0)) words.add(word.toString());
                break;
            }
            if (phase == 1) {
                if (Character.isWhitespace(ch)) {
                    phase = 0;
                    if (word.toString().equals("--")) return new Object[] {line.substring(pos), words};
                    if (blankOk || word.length() > 0) words.add(word.toString());
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = 2;
                    continue;
                }
                if (ch == '\\') {
                    if (pos + 1 == n) continue;
                    ch = line.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) {
                phase = 1;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == n) {
                    phase = 1;
                    continue;
                }
                ch = line.charAt(++pos);
            }
            word.append(ch);
        }
        return new Object[] {"", words};
    }

    private static final class FlagException extends Exception {
        FlagException(String m) {
            super(m);
        }
    }

    /** buildkit's BFlags: the flags an instruction accepts; anything else is "unknown flag". */
    private static final class Flags {
        final String file;
        final int line;
        final String keyword;
        final Map<String, List<String>> given = new LinkedHashMap<>();
        final List<String> bad = new ArrayList<>();

        Flags(String file, int line, String keyword, List<String> words) {
            this.file = file;
            this.line = line;
            this.keyword = keyword;
            for (String w : words) {
                if (!w.startsWith("--")) {
                    bad.add("invalid flag " + w);
                    continue;
                }
                String[] kv = w.substring(2).split("=", 2);
                given.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv.length == 2 ? kv[1] : null);
            }
        }

        DockerfileException error(String m) {
            return new DockerfileException(file, line, m);
        }

        Optional<String> string(String name) throws FlagException {
            List<String> v = given.remove(name);
            if (v == null) return Optional.empty();
            if (v.size() > 1) throw new FlagException("duplicate flag specified: " + name);
            if (v.get(0) == null) throw new FlagException("missing a value on flag: " + name);
            return Optional.of(v.get(0));
        }

        List<String> strings(String name) throws FlagException {
            List<String> v = given.remove(name);
            if (v == null) return List.of();
            for (String s : v) if (s == null) throw new FlagException("missing a value on flag: " + name);
            return v;
        }

        boolean bool(String name) throws FlagException {
            List<String> v = given.remove(name);
            if (v == null) return false;
            if (v.size() > 1) throw new FlagException("duplicate flag specified: " + name);
            String s = v.get(0);
            if (s == null || s.equalsIgnoreCase("true")) return true;
            if (s.equalsIgnoreCase("false")) return false;
            throw new FlagException("expecting boolean value for flag " + name + ", not: " + s);
        }

        void done() throws DockerfileException {
            if (!bad.isEmpty()) throw error(bad.get(0));
            if (!given.isEmpty()) throw error("unknown flag: --" + given.keySet().iterator().next()
                    + " (" + keyword + " does not take it)");
        }
    }
}
