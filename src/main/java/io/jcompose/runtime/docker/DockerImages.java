package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.DockerApi.query;
import static io.jcompose.runtime.docker.DockerApi.seg;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.runtime.BuildProgress;
import io.jcompose.runtime.BuildSpec;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.EngineException.Category;
import io.jcompose.runtime.ImageInfo;
import io.jcompose.runtime.Images;
import io.jcompose.runtime.PullProgress;
import io.jcompose.runtime.RegistryAuth;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

final class DockerImages implements Images {
    private final DockerApi api;
    private final RegistryCredentials credentials;

    /** Where {@link BuildSpec.SecretSource.Environment} secrets are read (jcompose's environment). */
    java.util.function.Function<String, String> env = System::getenv;

    DockerImages(DockerApi api, RegistryCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    /**
     * Docker's classic builder: {@code POST /build} with the context tar (see {@link ContextTar}), the spec as query
     * parameters, every configured registry credential in {@code X-Registry-Config} (for base images), and build
     * secrets in {@code X-Jcompose-Build-Secrets} (only the jcompose engine reads it: a classic dockerd has no way to
     * take secrets, so they are refused rather than silently dropped). No BuildKit session is opened. {@code forcerm}:
     * dockerd removes a failed step's container too.
     */
    @Override
    public String build(BuildSpec spec, Consumer<BuildProgress> progress) {
        String what = "build " + spec.image();
        if (!spec.additionalContexts().isEmpty() && !api.isJcomposeEngine()) {
            throw new EngineException(Category.INVALID, what + ": build.additional_contexts (" + String.join(", ",
                    spec.additionalContexts().keySet()) + ") need BuildKit or the jcompose engine, and the classic builder API of "
                    + api.endpoint() + " has no way to receive them; build on the jcompose engine (--runtime builtin),"
                    + " or use a build stage or COPY --from=<image> instead");
        }
        if (!spec.secrets().isEmpty() && !api.isJcomposeEngine()) {
            throw new EngineException(Category.INVALID, what + ": build secrets (" + String.join(", ", spec.secrets().keySet())
                    + ") need BuildKit, which jcompose does not use, and the classic builder of " + api.endpoint()
                    + " cannot receive them; build on the jcompose engine (--runtime builtin) or drop build.secrets");
        }
        if (!java.nio.file.Files.isDirectory(spec.context())) {
            throw new EngineException(Category.INVALID, what + ": the build context " + spec.context()
                    + " is not a directory; check build.context (relative to the project directory)");
        }
        java.nio.file.Path tar = null;
        try {
            String secretsHeader = secretsHeader(spec);
            List<ContextTar.Named> named = new ArrayList<>();
            String contextsHeader = contextsHeader(spec, named);
            List<ContextTar.Extra> extras = new ArrayList<>();
            List<String> keep = new ArrayList<>();
            String dockerfile = dockerfileIn(spec, extras, keep);
            try {
                tar = java.nio.file.Files.createTempFile("jcompose-context-", ".tar");
                try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(tar), 1 << 16)) {
                    ContextTar.write(spec.context(), keep, extras, named, out);
                }
            } catch (IOException e) {
                throw new EngineException(Category.INVALID, what + ": cannot read the build context " + spec.context()
                        + ": " + e.getMessage(), e.getMessage(), e);
            }
            StringBuilder target = new StringBuilder(api.path("/build", query("dockerfile", dockerfile,
                    "buildargs", api.json.writeValueAsString(buildArgs(spec)),
                    "labels", spec.labels().isEmpty() ? null : api.json.writeValueAsString(spec.labels()),
                    "target", spec.target().orElse(null), "nocache", spec.noCache() ? "1" : null,
                    "pull", spec.pull() ? "1" : null, "networkmode", spec.network().orElse(null),
                    "platform", spec.platform().orElse(null), "rm", "1", "forcerm", "1")));
            for (String t : spec.tags()) target.append("&t=").append(HttpRequest.enc(t));
            HttpRequest req = HttpRequest.of("POST", target.toString())
                    .withBodyStream(java.nio.file.Files.newInputStream(tar), "application/x-tar");
            String registries = registryConfig();
            if (registries != null) req = req.header("X-Registry-Config", registries);
            if (secretsHeader != null) req = req.header("X-Jcompose-Build-Secrets", secretsHeader);
            if (contextsHeader != null) req = req.header(CONTEXTS_HEADER, contextsHeader);
            String id = null;
            StringBuilder partial = new StringBuilder();
            try (HttpResponse r = api.stream(req, what); JsonParser p = api.json.getFactory().createParser(
                        new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                JsonNode n;
                while ((n = api.json.readTree(p)) != null) {
                    if (n.hasNonNull("error")) {
                        flush(partial, progress);
                        String m = n.path("errorDetail").path("message").asText(n.path("error").asText()).strip();
                        throw new EngineException(Category.OTHER, what + ": " + m, m, null);
                    }
                    if (n.path("aux").hasNonNull("ID")) id = n.path("aux").path("ID").asText();
                    if (n.hasNonNull("stream")) {
                        partial.append(n.path("stream").asText());
                        int nl;
                        while ((nl = partial.indexOf("\n")) >= 0) {
                            progress.accept(new BuildProgress(partial.substring(0, nl)));
                            partial.delete(0, nl + 1);
                        }
                    } else if (n.hasNonNull("status")) {
                        // A base image pull inside the build.
                        progress.accept(new BuildProgress(n.path("status").asText() + (n.hasNonNull("id") ? " " + n.path("id").asText() : "")));
                    }
                }
            }
            flush(partial, progress);
            return id != null ? id : inspect(spec.image()).id();
        } catch (IOException e) {
            throw api.unreachable(e);
        } finally {
            if (tar != null) {
                try {
                    java.nio.file.Files.deleteIfExists(tar);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans /tmp
                }
            }
        }
    }

    private static void flush(StringBuilder partial, Consumer<BuildProgress> progress) {
        if (partial.length() > 0) progress.accept(new BuildProgress(partial.toString()));
        partial.setLength(0);
    }

    /**
     * The Dockerfile's name in the context tar. An inline one, or one outside the context, travels as an extra
     * entry with a content-derived name (so the name is stable between builds and the cache still hits).
     */
    static String dockerfileIn(BuildSpec spec, List<ContextTar.Extra> extras, List<String> keep) throws IOException {
        byte[] content = null;
        if (spec.dockerfileInline().isPresent()) {
            content = spec.dockerfileInline().get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            java.nio.file.Path file = spec.context().resolve(spec.dockerfile().orElse("Dockerfile")).normalize();
            if (file.startsWith(spec.context())) {
                String rel = spec.context().relativize(file).toString();
                keep.add(rel);
                return rel;
            }
            try {
                content = java.nio.file.Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new EngineException(Category.INVALID, "build " + spec.image() + ": Dockerfile " + file + " does not exist");
            }
        }
        String name = ".jcompose-dockerfile-" + sha256(content).substring(0, 12);
        extras.add(new ContextTar.Extra(name, content));
        return name;
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** buildargs: a declared argument without a value is sent as null (the Dockerfile's default applies). */
    private static Map<String, String> buildArgs(BuildSpec spec) {
        Map<String, String> out = new java.util.TreeMap<>();
        spec.args().forEach((k, v) -> out.put(k, v.orElse(null)));
        return out;
    }

    /** X-Registry-Config: every registry the Docker config knows, as the Docker CLI sends it; null if none. */
    private String registryConfig() {
        Map<String, RegistryAuth> all = credentials.all();
        if (all.isEmpty()) return null;
        com.fasterxml.jackson.databind.node.ObjectNode root = api.json.createObjectNode();
        all.forEach((registry, a) -> {
            com.fasterxml.jackson.databind.node.ObjectNode n = root.putObject(registry);
            if (!a.identityToken().isEmpty()) {
                n.put("identitytoken", a.identityToken());
            } else {
                n.put("username", a.username());
                n.put("password", a.password());
            }
            n.put("serveraddress", a.serverAddress());
        });
        return java.util.Base64.getUrlEncoder().encodeToString(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * {@value #CONTEXTS_HEADER}: base64url of {@code {"<name>": {"type":"dir","path":".jcompose/contexts/<dir>"} |
     * {"type":"image","ref":"<image>"}}}; null without additional contexts. Directory contexts are added to
     * {@code named} (their files go into the context tar under that path). A value {@code docker-image://<ref>} is an
     * image, one without a scheme a local directory (absolute after the composer resolved it against the project
     * directory; a relative one is taken relative to the build context). Other schemes are refused.
     */
    static String contextsHeader(BuildSpec spec, List<ContextTar.Named> named) {
        if (spec.additionalContexts().isEmpty()) return null;
        com.fasterxml.jackson.databind.node.ObjectNode root = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        int i = 0;
        for (Map.Entry<String, String> e : spec.additionalContexts().entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            String where = "build " + spec.image() + ": build.additional_contexts." + name;
            if (!CONTEXT_NAME.matcher(name).matches()) {
                throw new EngineException(Category.INVALID, where + ": invalid context name; use letters, digits and . _ - / : @ +");
            }
            com.fasterxml.jackson.databind.node.ObjectNode n = root.putObject(name);
            if (value.startsWith("docker-image://")) {
                String ref = value.substring("docker-image://".length());
                if (ref.isBlank() || ref.chars().anyMatch(Character::isWhitespace)) {
                    throw new EngineException(Category.INVALID, where + ": \"" + value + "\" names no image");
                }
                n.put("type", "image").put("ref", ref);
            } else if (value.startsWith("service:")) {
                throw new EngineException(Category.INVALID, where + ": \"" + value + "\": service contexts are not supported;"
                        + " build that service first and use docker-image://<its image>");
            } else if (value.contains("://") || value.startsWith("git@")) {
                throw new EngineException(Category.INVALID, where + ": \"" + value + "\" is not supported;"
                        + " use a local directory or docker-image://<image>");
            } else {
                java.nio.file.Path dir = spec.context().resolve(value).normalize();
                if (!java.nio.file.Files.isDirectory(dir)) {
                    throw new EngineException(Category.INVALID, where + ": " + dir + " is not a directory");
                }
                // The name itself when it is a plain file name, else "_<i>" (no name starts with '_'): '/' or ':'
                // may be in a name.
                String sub = DIR_NAME.matcher(name).matches() ? name : "_" + i;
                String prefix = ".jcompose/contexts/" + sub + "/";
                named.add(new ContextTar.Named(prefix, dir));
                n.put("type", "dir").put("path", prefix.substring(0, prefix.length() - 1));
            }
            i++;
        }
        return java.util.Base64.getUrlEncoder().encodeToString(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static final String CONTEXTS_HEADER = "X-Jcompose-Build-Contexts";
    private static final java.util.regex.Pattern CONTEXT_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}");
    private static final java.util.regex.Pattern DIR_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** X-Jcompose-Build-Secrets: base64url of {"id": "base64 of the bytes"}; null without secrets. */
    private String secretsHeader(BuildSpec spec) throws IOException {
        if (spec.secrets().isEmpty()) return null;
        com.fasterxml.jackson.databind.node.ObjectNode root = api.json.createObjectNode();
        for (Map.Entry<String, BuildSpec.SecretSource> e : spec.secrets().entrySet()) {
            byte[] bytes;
            if (e.getValue() instanceof BuildSpec.SecretSource.File f) {
                try {
                    bytes = java.nio.file.Files.readAllBytes(f.path());
                } catch (java.nio.file.NoSuchFileException ex) {
                    throw new EngineException(Category.INVALID, "build " + spec.image() + ": secret " + e.getKey()
                            + ": file " + f.path() + " does not exist");
                }
            } else {
                String var = ((BuildSpec.SecretSource.Environment) e.getValue()).variable();
                String v = env.apply(var);
                if (v == null) {
                    throw new EngineException(Category.INVALID, "build " + spec.image() + ": secret " + e.getKey()
                            + ": environment variable " + var + " is not set");
                }
                bytes = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            root.put(e.getKey(), java.util.Base64.getEncoder().encodeToString(bytes));
        }
        return java.util.Base64.getUrlEncoder().encodeToString(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void pull(String reference, Optional<RegistryAuth> auth, Consumer<PullProgress> progress) {
        String[] nameTag = splitReference(reference);
        String what = "pull " + reference;
        HttpRequest req = HttpRequest.of("POST", api.path("/images/create",
                query("fromImage", nameTag[0], "tag", nameTag[1])));
        Optional<RegistryAuth> credential = auth.isPresent() ? auth : credentials.forReference(reference);
        if (credential.isPresent()) req = req.header("X-Registry-Auth", RegistryCredentials.header(credential.get()));
        try (HttpResponse r = api.stream(req, what); JsonParser p = api.json.getFactory().createParser(
                    new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            JsonNode n;
            while ((n = api.json.readTree(p)) != null) {
                if (n.hasNonNull("error")) throw pullError(what, n.path("error").asText());
                progress.accept(InfoJson.progress(n));
            }
        } catch (IOException e) {
            throw api.unreachable(e);
        }
    }

    @Override
    public void push(String reference, Optional<RegistryAuth> auth, Consumer<PullProgress> progress) {
        String[] nameTag = splitReference(reference);
        String what = "push " + reference;
        HttpRequest req = HttpRequest.of("POST", api.path("/images/" + seg(nameTag[0]) + "/push", query("tag", nameTag[1])));
        // dockerd requires the header even for registries without authentication.
        req = req.header("X-Registry-Auth", RegistryCredentials.header((auth.isPresent() ? auth : credentials.forReference(reference))
                .orElse(new RegistryAuth("", "", "", ""))));
        try (HttpResponse r = api.stream(req, what); JsonParser p = api.json.getFactory().createParser(
                    new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            JsonNode n;
            while ((n = api.json.readTree(p)) != null) {
                if (n.hasNonNull("error")) throw pullError(what, n.path("error").asText());
                progress.accept(InfoJson.progress(n));
            }
        } catch (IOException e) {
            throw api.unreachable(e);
        }
    }

    /** The engine reports pull failures inside a 200 stream; classify them by their words. */
    static EngineException pullError(String what, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        Category c;
        if (m.contains("not found") || m.contains("manifest unknown") || m.contains("does not exist")) {
            c = Category.NOT_FOUND;
        } else if (m.contains("unauthorized") || m.contains("authentication required") || m.contains("denied")) {
            c = Category.UNAUTHORIZED;
        } else if (m.contains("connection refused") || m.contains("no such host") || m.contains("timeout")
                || m.contains("i/o timeout")) {
            c = Category.UNAVAILABLE;
        } else {
            c = Category.OTHER;
        }
        return new EngineException(c, what + ": " + message, message, null);
    }

    /** {@code reg:5000/a/b:1} → [reg:5000/a/b, 1]; a digest reference keeps {@code @sha256:…} as its "tag". */
    static String[] splitReference(String ref) {
        int at = ref.indexOf('@');
        if (at >= 0) return new String[] {ref.substring(0, at), ref.substring(at + 1)};
        int colon = ref.lastIndexOf(':');
        int slash = ref.lastIndexOf('/');
        if (colon > slash) return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
        return new String[] {ref, "latest"};
    }

    @Override
    public ImageInfo inspect(String reference) {
        return InfoJson.image(api.get("/images/" + seg(reference) + "/json", null, "inspect image " + reference));
    }

    @Override
    public List<ImageInfo> list(List<String> labelFilters) {
        JsonNode r = api.get("/images/json", query("filters",
                labelFilters.isEmpty() ? null : SpecJson.filters(Map.of("label", labelFilters))), "list images");
        List<ImageInfo> out = new ArrayList<>();
        r.forEach(n -> out.add(InfoJson.image(n)));
        out.sort(Comparator.comparing(ImageInfo::id));
        return out;
    }

    @Override
    public void remove(String reference, boolean force) {
        api.delete("/images/" + seg(reference), query("force", force), "remove image " + reference);
    }

    @Override
    public void tag(String source, String target) {
        String[] nameTag = splitReference(target);
        api.post("/images/" + seg(source) + "/tag", query("repo", nameTag[0], "tag", nameTag[1]), null,
                "tag image " + source + " as " + target);
    }
}
