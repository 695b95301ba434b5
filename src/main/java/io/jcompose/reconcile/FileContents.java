package io.jcompose.reconcile;

import io.jcompose.model.Config;
import io.jcompose.model.FileReference;
import io.jcompose.model.Project;
import io.jcompose.model.Secret;
import io.jcompose.model.Service;
import io.jcompose.runtime.FileSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The bytes of a project's secrets and configs, read when {@code up} plans: a {@code file:} source from the host
 * (the loader made its path absolute against the project directory), an {@code environment:} source from the
 * project's environment (the variables interpolation saw: env files, the process environment on top) and an
 * inline {@code content:}. Each source is read once per instance, so the config hash and the container spec see
 * the same bytes. A source is read only when a service that uses it is planned: an unused secret whose variable is
 * unset is no error, as in docker compose.
 *
 * <p>Failures are one-line {@link IllegalStateException}s naming the secret/config and what to do.
 */
public final class FileContents {
    /** Reads files and inline content; every environment source counts as unset. */
    public static final FileContents NO_ENVIRONMENT = new FileContents(k -> null);

    private final Function<String, String> env;
    private final Map<String, byte[]> cache = new HashMap<>();

    private FileContents(Function<String, String> env) {
        this.env = env;
    }

    /** Sources resolved against {@code env} (null: unset). */
    public static FileContents reading(Function<String, String> env) {
        return new FileContents(java.util.Objects.requireNonNull(env, "env"));
    }

    /**
     * The files of one service, in the order the service lists them (secrets first): defaults applied, bytes read.
     * Targets: a secret's defaults to {@code /run/secrets/<source>} and a relative one lies under
     * {@code /run/secrets}; a config's defaults to {@code /<source>} and a relative one lies under {@code /}.
     * uid/gid default to 0 and mode to 0444 (docker compose's defaults for both kinds).
     */
    public List<FileSpec> of(Project p, Service s) {
        List<FileSpec> out = new ArrayList<>();
        for (FileReference r : s.secrets()) out.add(spec(p, s, FileSpec.Kind.SECRET, r));
        for (FileReference r : s.configs()) out.add(spec(p, s, FileSpec.Kind.CONFIG, r));
        return out;
    }

    /**
     * Config-hash input: {@code <source>} → sha256 of its bytes, per kind, only for what the service uses; empty
     * when it uses none. Renaming a key or changing bytes changes the hash and so recreates the container.
     */
    SortedMap<String, String> digests(Project p, Service s, FileSpec.Kind kind) {
        SortedMap<String, String> out = new TreeMap<>();
        for (FileReference r : kind == FileSpec.Kind.SECRET ? s.secrets() : s.configs()) {
            out.put(r.source(), sha256(bytes(p, s, kind, r.source())));
        }
        return out;
    }

    private FileSpec spec(Project p, Service s, FileSpec.Kind kind, FileReference r) {
        byte[] content = bytes(p, s, kind, r.source());
        Optional<String> file = kind == FileSpec.Kind.SECRET
                ? Optional.ofNullable(p.secrets().get(r.source())).flatMap(Secret::file)
                : Optional.ofNullable(p.configs().get(r.source())).flatMap(Config::file);
        String base = kind == FileSpec.Kind.SECRET ? "/run/secrets/" : "/";
        String target = r.target().filter(t -> !t.isEmpty()).map(t -> t.startsWith("/") ? t : base + t).orElse(base + r.source());
        return new FileSpec(kind, r.source(), target, content, file.orElse(""), r.uid().orElse(""), r.gid().orElse(""),
                r.mode().orElse(0444));
    }

    private synchronized byte[] bytes(Project p, Service s, FileSpec.Kind kind, String key) {
        String cacheKey = kind.word() + ":" + key;
        byte[] b = cache.get(cacheKey);
        if (b == null) {
            b = read(p, s, kind, key);
            cache.put(cacheKey, b);
        }
        return b;
    }

    private byte[] read(Project p, Service s, FileSpec.Kind kind, String key) {
        String what = "service " + s.name() + ": " + kind.word() + " \"" + key + "\"";
        Optional<String> file, variable, content;
        boolean external;
        if (kind == FileSpec.Kind.SECRET) {
            Secret d = p.secrets().get(key);
            if (d == null) throw new IllegalStateException(what + " is not defined in the top-level secrets; define it or remove the reference");
            file = d.file(); variable = d.environment(); content = d.content(); external = d.external();
        } else {
            Config d = p.configs().get(key);
            if (d == null) throw new IllegalStateException(what + " is not defined in the top-level configs; define it or remove the reference");
            file = d.file(); variable = d.environment(); content = d.content(); external = d.external();
        }
        if (external) {
            throw new IllegalStateException(what + " is external: external " + kind.word()
                    + "s live in Docker Swarm, which jcompose does not use; give it a file, environment or content source");
        }
        if (file.isPresent()) {
            Path path = Path.of(file.get());
            try {
                return Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new IllegalStateException(what + ": file " + path + " does not exist; create it or fix " + kind.word() + "s." + key + ".file");
            } catch (IOException e) {
                throw new IllegalStateException(what + ": cannot read " + path + " (" + e.getMessage() + ")");
            }
        }
        if (variable.isPresent()) {
            String v = env.apply(variable.get());
            if (v == null) {
                throw new IllegalStateException(what + ": environment variable " + variable.get()
                        + " is not set; set it (or put it in .env) before 'up'");
            }
            return v.getBytes(StandardCharsets.UTF_8);
        }
        if (content.isPresent()) return content.get().getBytes(StandardCharsets.UTF_8);
        throw new IllegalStateException(what + " has no source; give it file, environment or content");
    }

    private static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
