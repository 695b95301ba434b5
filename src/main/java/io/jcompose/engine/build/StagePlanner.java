package io.jcompose.engine.build;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a parsed Dockerfile plus the client's build args into substituted {@link Step}s, stage by stage, with
 * Docker's scoping rules:
 * <ul>
 * <li>ARGs before the first FROM (meta args) and the platform args are visible only in FROM lines; a stage
 *     sees a meta arg after re-declaring it ({@code ARG VERSION}).</li>
 * <li>Inside a stage, an ARG is visible from its declaration on; the client's value wins over the default;
 *     ENV wins over ARG when both name a variable.</li>
 * <li>Which words are substituted: FROM, COPY/ADD (sources, dest, --from, --chown, --chmod), ENV, LABEL,
 *     WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, ARG defaults; RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK are left to
 *     the shell.</li>
 * <li>TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT, BUILDPLATFORM, BUILDOS, BUILDARCH, BUILDVARIANT are
 *     predefined; the proxy args (HTTP_PROXY, …) reach RUN without a declaration.</li>
 * </ul>
 * Not thread-safe: one planner per build (it records which build args were consumed).
 */
final class StagePlanner {
    static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Dockerfile dockerfile;
    private final BuildRequest request;
    private final ShellLex lex;
    private final ShellLex rawLex;
    private final Map<String, String> platformArgs = new LinkedHashMap<>();
    private final Map<String, Optional<String>> metaArgs = new LinkedHashMap<>();
    private final Set<String> consumed = new HashSet<>();
    private final String file;

    StagePlanner(String file, Dockerfile dockerfile, BuildRequest request, Platform build, Platform target)
            throws DockerfileException {
        this.file = file;
        this.dockerfile = dockerfile;
        this.request = request;
        this.lex = new ShellLex(dockerfile.escape());
        this.rawLex = new ShellLex(dockerfile.escape(), true);
        platformArgs.put("BUILDPLATFORM", build.toString());
        platformArgs.put("BUILDOS", build.os());
        platformArgs.put("BUILDARCH", build.architecture());
        platformArgs.put("BUILDVARIANT", build.variant());
        platformArgs.put("TARGETPLATFORM", target.toString());
        platformArgs.put("TARGETOS", target.os());
        platformArgs.put("TARGETARCH", target.architecture());
        platformArgs.put("TARGETVARIANT", target.variant());
        for (Instruction.Arg a : dockerfile.metaArgs()) {
            for (Instruction.ArgDef d : a.args()) {
                Optional<String> v = clientValue(d.name());
                if (v.isEmpty() && d.defaultValue().isPresent())
                    v = Optional.of(expand(a, d.defaultValue().get(), this::globalLookup));
                metaArgs.put(d.name(), v);
            }
        }
    }

    private Optional<String> clientValue(String name) {
        Optional<String> v = request.buildArgs().getOrDefault(name, Optional.empty());
        if (request.buildArgs().containsKey(name)) consumed.add(name);
        return v;
    }

    private Optional<String> globalLookup(String name) {
        if (metaArgs.containsKey(name)) return metaArgs.get(name);
        return Optional.ofNullable(platformArgs.get(name));
    }

    /** The stage's base: an image reference, "scratch", or another stage's name/index — FROM substituted. */
    String baseOf(Dockerfile.Stage s) throws DockerfileException {
        String ref = expand(s.from(), s.from().image(), this::globalLookup);
        if (ref.isBlank())
            throw new DockerfileException(file, s.from().line(), "base name (" + s.from().image() + ") should not be blank");
        return ref;
    }

    Optional<String> platformOf(Dockerfile.Stage s) throws DockerfileException {
        if (s.from().platform().isEmpty()) return Optional.empty();
        return Optional.of(expand(s.from(), s.from().platform().get(), this::globalLookup));
    }

    /** The stages needed for {@code target} (it included), in Dockerfile order. */
    List<Dockerfile.Stage> stagesFor(Optional<String> target) throws DockerfileException {
        Dockerfile.Stage last = dockerfile.stages().get(dockerfile.stages().size() - 1);
        Dockerfile.Stage t = target.isEmpty() ? last : dockerfile.stage(target.get()).orElseThrow(() ->
                new DockerfileException(file, 0, "target stage \"" + target.get() + "\" could not be found"));
        Set<Integer> needed = new TreeSet<>();
        collect(t, needed);
        List<Dockerfile.Stage> out = new ArrayList<>();
        for (int i : needed) out.add(dockerfile.stages().get(i));
        return out;
    }

    private void collect(Dockerfile.Stage s, Set<Integer> needed) throws DockerfileException {
        if (!needed.add(s.index())) return;
        List<String> refs = new ArrayList<>();
        refs.add(baseOf(s));
        for (Instruction i : s.commands()) {
            if (i instanceof Instruction.Copy c && c.from().isPresent()) refs.add(c.from().get());
            if (i instanceof Instruction.Run r)
                for (Instruction.Mount m : r.mounts()) if (m.options().containsKey("from")) refs.add(m.options().get("from"));
        }
        for (String r : refs) {
            Optional<Dockerfile.Stage> dep = dockerfile.stage(r);
            if (dep.isPresent() && dep.get().index() < s.index()) collect(dep.get(), needed);
        }
    }

    /** Build args the client gave that no built stage declared: Docker's warning, or empty. */
    Optional<String> unusedArgsWarning() {
        Set<String> left = new TreeSet<>(request.buildArgs().keySet());
        left.removeAll(consumed);
        left.removeAll(PROXY_ARGS);
        return left.isEmpty() ? Optional.empty()
                : Optional.of("[Warning] One or more build-args [" + String.join(" ", left) + "] were not consumed\n");
    }

    /** Plans {@code stage} on top of a base whose config is {@code base} (empty for scratch). */
    List<Step> plan(Dockerfile.Stage stage, ContainerConfig base, String baseImageId) throws DockerfileException {
        List<Step> steps = new ArrayList<>();
        ContainerConfig cfg = base.withoutOnBuild().withImage(baseImageId);
        // dockerd (setDefaultPath) and BuildKit give every stage a PATH when its base has none.
        if (cfg.envValue("PATH").isEmpty()) cfg = cfg.withEnv("PATH", DEFAULT_PATH);
        Map<String, Optional<String>> args = new LinkedHashMap<>(); // declared in this stage, in order
        Set<String> dirs = new LinkedHashSet<>();
        boolean cmdSet = false;
        for (Instruction ins : stage.commands()) {
            final ContainerConfig now = cfg;
            java.util.function.Function<String, Optional<String>> lookup = n -> {
                Optional<String> e = now.envValue(n);
                if (e.isPresent()) return e;
                Optional<String> a = args.get(n);
                return a == null ? Optional.empty() : a;
            };
            String nop = "/bin/sh -c #(nop) ";
            if (ins instanceof Instruction.Env e) {
                for (Instruction.KeyValue kv : e.vars()) {
                    String k = expand(ins, kv.key(), lookup);
                    if (k.isEmpty()) throw error(ins, "ENV names can not be blank");
                    cfg = cfg.withEnv(k, expand(ins, kv.value(), lookup));
                }
                StringBuilder b = new StringBuilder();
                for (String x : cfg.env()) if (e.vars().stream().anyMatch(kv -> x.startsWith(kv.key() + "="))) b.append(' ').append(x);
                steps.add(new Step.Meta(ins, cfg, nop + " ENV" + b));
            } else if (ins instanceof Instruction.Arg a) {
                for (Instruction.ArgDef d : a.args()) {
                    Optional<String> v = clientValue(d.name());
                    if (v.isEmpty() && d.defaultValue().isPresent()) v = Optional.of(expand(ins, d.defaultValue().get(), lookup));
                    if (v.isEmpty() && metaArgs.containsKey(d.name())) v = metaArgs.get(d.name());
                    if (v.isEmpty() && platformArgs.containsKey(d.name())) v = Optional.of(platformArgs.get(d.name()));
                    if (!request.buildArgs().containsKey(d.name()) && metaArgs.containsKey(d.name())) consumed.add(d.name());
                    args.put(d.name(), v);
                }
                steps.add(new Step.Meta(ins, cfg, nop + " " + ins.text().strip()));
            } else if (ins instanceof Instruction.Label l) {
                StringBuilder b = new StringBuilder();
                for (Instruction.KeyValue kv : l.labels()) {
                    String k = expand(ins, kv.key(), lookup);
                    String v = expand(ins, kv.value(), lookup);
                    if (k.isEmpty()) throw error(ins, "LABEL names can not be blank");
                    cfg = cfg.withLabel(k, v);
                    b.append(' ').append(k).append('=').append(v);
                }
                steps.add(new Step.Meta(ins, cfg, nop + " LABEL" + b));
            } else if (ins instanceof Instruction.Workdir w) {
                String p = expand(ins, w.path(), lookup);
                cfg = cfg.withWorkingDir(resolveWorkdir(cfg.workingDir(), p));
                dirs.add(cfg.workingDir());
                steps.add(new Step.Meta(ins, cfg, "/bin/sh -c #(nop) WORKDIR " + cfg.workingDir()));
            } else if (ins instanceof Instruction.User u) {
                cfg = cfg.withUser(expand(ins, u.user(), lookup));
                steps.add(new Step.Meta(ins, cfg, nop + " USER " + cfg.user()));
            } else if (ins instanceof Instruction.Expose x) {
                List<String> ports = new ArrayList<>();
                for (String p : x.ports()) for (String one : portSpecs(ins, expand(ins, p, lookup))) {
                    cfg = cfg.withExposedPort(one);
                    ports.add(one);
                }
                steps.add(new Step.Meta(ins, cfg, nop + " EXPOSE " + String.join(" ", new TreeSet<>(ports))));
            } else if (ins instanceof Instruction.Volume v) {
                List<String> vs = new ArrayList<>();
                for (String p : v.paths()) {
                    String e = expand(ins, p, lookup).strip();
                    if (e.isEmpty()) throw error(ins, "VOLUME specified can not be an empty string");
                    cfg = cfg.withVolume(e);
                    vs.add(e);
                }
                steps.add(new Step.Meta(ins, cfg, nop + " VOLUME [" + String.join(" ", vs) + "]"));
            } else if (ins instanceof Instruction.StopSignal s) {
                String sig = expand(ins, s.signal(), lookup);
                if (!sig.matches("(SIG)?[A-Z0-9+-]+|\\d+"))
                    throw error(ins, "invalid signal: " + sig);
                cfg = cfg.withStopSignal(sig);
                steps.add(new Step.Meta(ins, cfg, nop + " STOPSIGNAL " + sig));
            } else if (ins instanceof Instruction.Cmd c) {
                List<String> argv = withShell(cfg, c.command());
                cfg = cfg.withCmd(Optional.of(argv));
                cmdSet = true;
                steps.add(new Step.Meta(ins, cfg, nop + " CMD " + goList(argv)));
            } else if (ins instanceof Instruction.Entrypoint e) {
                List<String> argv = withShell(cfg, e.command());
                cfg = cfg.withEntrypoint(Optional.of(argv));
                // An ENTRYPOINT resets an inherited CMD unless this stage set one (dockerd's rule).
                if (!cmdSet) cfg = cfg.withCmd(Optional.empty());
                steps.add(new Step.Meta(ins, cfg, nop + " ENTRYPOINT " + goList(argv)));
            } else if (ins instanceof Instruction.Shell s) {
                cfg = cfg.withShell(s.shell());
                steps.add(new Step.Meta(ins, cfg, nop + " SHELL " + goList(s.shell())));
            } else if (ins instanceof Instruction.Healthcheck h) {
                cfg = cfg.withHealthcheck(Optional.of(new ContainerConfig.Health(h.test(), h.interval(), h.timeout(),
                        h.startPeriod(), h.startInterval(), h.retries())));
                steps.add(new Step.Meta(ins, cfg, nop + " HEALTHCHECK &{" + goList(h.test()) + "}"));
            } else if (ins instanceof Instruction.Onbuild o) {
                cfg = cfg.withOnBuild(o.expression());
                steps.add(new Step.Meta(ins, cfg, nop + " ONBUILD " + o.expression()));
            } else if (ins instanceof Instruction.Maintainer m) {
                steps.add(new Step.Meta(ins, cfg, nop + " MAINTAINER " + m.maintainer()));
            } else if (ins instanceof Instruction.From) {
                throw error(ins, "FROM inside a stage"); // cannot happen: the parser splits stages at FROM
            } else if (ins instanceof Instruction.Copy c) {
                steps.add(copy(c, cfg, lookup, dirs));
            } else if (ins instanceof Instruction.Run r) {
                steps.add(run(r, cfg, args));
            }
        }
        return steps;
    }

    private Step copy(Instruction.Copy c, ContainerConfig cfg, java.util.function.Function<String, Optional<String>> lookup,
                      Set<String> dirs) throws DockerfileException {
        List<String> sources = new ArrayList<>();
        for (String s : c.sources()) {
            String e = expand(c, s, lookup);
            if (c.add() && e.matches("(?i)(https?|git)://.*|git@.*"))
                throw error(c, "ADD from a URL is not supported by the jcompose builder; use RUN with curl/wget (" + e + ")");
            sources.add(e);
        }
        List<Step.InlineFile> inline = new ArrayList<>();
        for (Instruction.Heredoc h : c.heredocs())
            inline.add(new Step.InlineFile(h.name(), h.expand() ? expandRaw(c, h.content(), lookup) : h.content()));
        String rawDest = expand(c, c.dest(), lookup);
        String dest = rawDest.startsWith("/") ? rawDest : (cfg.workingDir().isEmpty() ? "/" : cfg.workingDir() + "/") + rawDest;
        boolean destIsDir = rawDest.endsWith("/") || rawDest.equals(".") || rawDest.endsWith("/.");
        dest = normalize(dest);
        if (dirs.contains(dest) || dest.equals(normalize(cfg.workingDir().isEmpty() ? "/" : cfg.workingDir()))) destIsDir = true;
        boolean wildcard = sources.stream().anyMatch(s -> s.matches(".*[*?\\[].*"));
        if ((sources.size() + inline.size() > 1 || wildcard) && !destIsDir)
            throw error(c, "When using " + (c.add() ? "ADD" : "COPY") + " with more than one source file, the destination must be a directory and end with a /");
        Optional<Step.Ownership> chown = Optional.empty();
        if (c.chown().isPresent()) {
            String o = expand(c, c.chown().get(), lookup);
            String[] ug = o.split(":", 2);
            if (ug[0].isEmpty()) throw error(c, "invalid --chown=" + o + ": empty user");
            // "--chown=user" alone: the gid is the uid's number (Docker's documented rule).
            chown = Optional.of(new Step.Ownership(ug[0], ug.length == 2 ? ug[1] : ""));
        }
        Optional<Integer> chmod = Optional.empty();
        if (c.chmod().isPresent()) {
            String m = expand(c, c.chmod().get(), lookup);
            if (!m.matches("[0-7]{1,4}")) throw error(c, "invalid --chmod=" + m + ": only octal modes such as 0755 are supported");
            chmod = Optional.of(Integer.parseInt(m, 8));
        }
        Optional<String> from = Optional.empty();
        if (c.from().isPresent()) from = Optional.of(expand(c, c.from().get(), lookup));
        List<String> excludes = new ArrayList<>();
        for (String x : c.excludes()) excludes.add(expand(c, x, lookup));
        String kw = c.add() ? "ADD" : "COPY";
        String createdBy = "/bin/sh -c #(nop) " + kw + " " + (c.add() ? "file" : "file") + ":"
                + String.join(",", sources) + " in " + dest + (destIsDir && !dest.endsWith("/") ? "/" : "") + " ";
        if (destIsDir && !dest.endsWith("/")) dest = dest + "/";
        return new Step.CopyFiles(c, cfg, createdBy, sources, inline, dest, destIsDir, from, chown, chmod, excludes);
    }

    private Step run(Instruction.Run r, ContainerConfig cfg, Map<String, Optional<String>> args) throws DockerfileException {
        List<String> argv;
        List<Instruction.Heredoc> stdin = r.heredocs();
        Instruction.Command c = r.command();
        if (c.shellForm() && r.heredocs().size() == 1 && c.args().get(0).strip().equals("<<" + r.heredocs().get(0).name())) {
            // RUN <<EOF … EOF: the body is the script (buildkit runs it with the shell).
            argv = new ArrayList<>(cfg.effectiveShell());
            argv.add(r.heredocs().get(0).content());
            stdin = List.of();
        } else {
            argv = withShell(cfg, c);
            if (c.shellForm() && !r.heredocs().isEmpty()) {
                // RUN cat <<EOT > f / RUN <<EOT bash: as buildkit, the bodies and their delimiters follow the command
                // line in the script, so the shell itself feeds each here-document to its command.
                StringBuilder script = new StringBuilder(argv.get(argv.size() - 1));
                for (Instruction.Heredoc h : r.heredocs()) script.append('\n').append(h.content()).append(h.name());
                argv.set(argv.size() - 1, script.toString());
                stdin = List.of();
            }
        }
        SortedMap<String, String> buildArgs = new TreeMap<>();
        args.forEach((k, v) -> {
            if (v.isPresent() && cfg.envValue(k).isEmpty()) buildArgs.put(k, v.get());
        });
        // Docker's history line for RUN with args: "|2 A=1 B=2 /bin/sh -c make".
        String prefix = buildArgs.isEmpty() ? "" : "|" + buildArgs.size() + " " + String.join(" ",
                buildArgs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()) + " ";
        String network = r.network().orElse(request.networkMode());
        return new Step.RunCommand(r, cfg, prefix + (c.shellForm() ? String.join(" ", argv) : goList(argv)), argv,
                buildArgs, network, r.mounts(), stdin);
    }

    private static List<String> withShell(ContainerConfig cfg, Instruction.Command c) {
        if (!c.shellForm()) return c.args();
        List<String> argv = new ArrayList<>(cfg.effectiveShell());
        argv.add(c.args().get(0));
        return argv;
    }

    /** Go's fmt %v of a []string: {@code [a b c]}, as dockerd prints it in history. */
    private static String goList(List<String> l) {
        return "[" + String.join(" ", l.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList()) + "]";
    }

    static String resolveWorkdir(String current, String requested) {
        if (requested.startsWith("/")) return normalize(requested);
        return normalize((current.isEmpty() ? "/" : current) + "/" + requested);
    }

    /** Go's path.Clean for absolute paths. */
    static String normalize(String p) {
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (!parts.isEmpty()) parts.remove(parts.size() - 1);
            } else parts.add(s);
        }
        return "/" + String.join("/", parts);
    }

    /** nat.ParsePortSpecs for EXPOSE: "80", "80/udp", "8000-8002/tcp" → "80/tcp", …; an IP part is refused. */
    private List<String> portSpecs(Instruction ins, String spec) throws DockerfileException {
        String[] pp = spec.split("/", 2);
        String proto = pp.length == 2 ? pp[1].toLowerCase(Locale.ROOT) : "tcp";
        if (!Set.of("tcp", "udp", "sctp").contains(proto)) throw error(ins, "invalid proto: " + proto);
        String range = pp[0];
        String[] r = range.split("-", 2);
        try {
            int lo = Integer.parseInt(r[0]);
            int hi = r.length == 2 ? Integer.parseInt(r[1]) : lo;
            if (lo < 1 && !(lo == 0 && hi == 0) || hi > 65535 || hi < lo) throw new NumberFormatException();
            List<String> out = new ArrayList<>();
            for (int p = lo; p <= hi; p++) out.add(p + "/" + proto);
            return out;
        } catch (NumberFormatException e) {
            throw error(ins, "invalid containerPort: " + range);
        }
    }

    private String expand(Instruction ins, String word, java.util.function.Function<String, Optional<String>> env)
            throws DockerfileException {
        try {
            return lex.processWord(word, env);
        } catch (ShellLex.SubstitutionException e) {
            throw error(ins, e.getMessage());
        }
    }

    private String expandRaw(Instruction ins, String word, java.util.function.Function<String, Optional<String>> env)
            throws DockerfileException {
        try {
            return rawLex.processWord(word, env);
        } catch (ShellLex.SubstitutionException e) {
            throw error(ins, e.getMessage());
        }
    }

    private DockerfileException error(Instruction ins, String m) {
        return new DockerfileException(file, ins.line(), m);
    }
}
