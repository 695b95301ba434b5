package io.jcompose.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.engine.build.BuildException;
import io.jcompose.engine.build.BuildRequest;
import io.jcompose.engine.build.NamedContexts;
import io.jcompose.engine.build.Builder;
import io.jcompose.engine.build.EngineImages;
import io.jcompose.engine.build.ImageLayout;
import io.jcompose.engine.build.JsonProgress;
import io.jcompose.engine.build.ProgressSink;
import io.jcompose.engine.build.RunExecutor;
import io.jcompose.engine.build.RuncRunExecutor;
import io.jcompose.engine.image.ImageException;
import io.jcompose.engine.image.ImageReference;
import io.jcompose.engine.image.ImageService;
import io.jcompose.engine.image.RegistryAuth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Docker's classic builder endpoint, served by {@link Builder}:
 * <pre>
 * POST /build?dockerfile=&amp;t=&amp;t=&amp;buildargs={}&amp;target=&amp;labels={}&amp;nocache=&amp;pull=&amp;networkmode=&amp;platform=&amp;q=
 *      body: the context tar (plain, gzip or bzip2); X-Registry-Config: base64 JSON {registry: AuthConfig}
 *      → 200, JSON lines: {"stream":"Step 1/3 : FROM busybox\n"} … {"aux":{"ID":"sha256:…"}}
 *        {"stream":"Successfully built 0123456789ab\n"} {"stream":"Successfully tagged x:latest\n"}
 *        a failure after the start: {"errorDetail":{"message":m},"error":m}
 * POST /session, POST /grpc, POST /build?version=2  → 501: BuildKit is not supported (DOCKER_BUILDKIT=0)
 * </pre>
 * Build secrets (compose's {@code build.secrets}, for {@code RUN --mount=type=secret}) have no place in the
 * classic API; ours take the header {@value #SECRETS_HEADER}: base64(url) of a JSON object
 * {@code {"<id>": "<base64 of the secret's bytes>"}}. They live in 0600 files for the build's duration only and
 * are not part of any cache key (as with BuildKit). The Docker CLI can send it via {@code HttpHeaders} in its
 * config.json.
 * Named contexts (compose's {@code build.additional_contexts}) take {@value #CONTEXTS_HEADER}: JSON (or base64url
 * JSON) {@code {"<name>": {"type":"dir","path":".jcompose/contexts/<dir>"} | {"type":"image","ref":"<image>"}}};
 * directory contexts travel in the context tar under that reserved prefix (see {@link NamedContexts}).
 * Accepted and ignored as dockerd's classic builder mostly does: rm, forcerm, shmsize, memory, cpu*, cachefrom,
 * ulimits, squash, extrahosts, cgroupparent, isolation. A bad parameter is a 400 before any output. Base images
 * come from (and are pulled into) the engine's image store; the result is stored there with its tags.
 *
 * <p>Layout under {@code <state root>/build}: {@code images} (the builder's OCI layout: its own layers),
 * {@code cache} (step cache), {@code tmp} (contexts, upper dirs), {@code run} (RUN containers' bundles, runc
 * state), {@code cache-mounts} (RUN --mount=type=cache).
 */
public final class BuildRoutes {
    static final String SECRETS_HEADER = "X-Jcompose-Build-Secrets";
    /** Named contexts (compose's {@code build.additional_contexts}): see {@link NamedContexts}. */
    static final String CONTEXTS_HEADER = "X-Jcompose-Build-Contexts";
    static final String NO_BUILDKIT = "BuildKit is not supported by the jcompose engine; set DOCKER_BUILDKIT=0 (the classic builder API is)";

    private final ImageService images;
    private final ImageLayout layout;
    private final Path cache;
    private final Path tmp;
    private final RunExecutor runner;

    private BuildRoutes(ImageService images, ImageLayout layout, Path cache, Path tmp, RunExecutor runner) {
        this.images = images;
        this.layout = layout;
        this.cache = cache;
        this.tmp = tmp;
        this.runner = runner;
    }

    /** Registers /build (and BuildKit's endpoints, which answer with the hint); {@code buildRoot} is created. */
    public static void register(Routes routes, ImageService images, Path buildRoot, String rootId) throws IOException {
        Files.createDirectories(buildRoot);
        RunExecutor runner = new RuncRunExecutor(images.layerStore(), buildRoot.resolve("run"), buildRoot.resolve("cache-mounts"),
                "runc", rootId); // unmounts what a crash left mounted, so tmp can go next
        // Contexts and upper dirs of builds a crash interrupted (their overlays are unmounted by now).
        Path tmp = buildRoot.resolve("tmp");
        if (Files.isDirectory(tmp)) {
            try (var old = Files.list(tmp)) {
                for (Path p : old.toList()) deleteTree(p);
            }
        }
        BuildRoutes r = new BuildRoutes(images, new ImageLayout(buildRoot.resolve("images")), buildRoot.resolve("cache"),
                buildRoot.resolve("tmp"), runner);
        Handler buildkit = (req, res) -> {
            throw new ApiException(501, NO_BUILDKIT);
        };
        routes.post("/build", r::build).post("/session", buildkit).post("/grpc", buildkit);
    }

    private void build(Request req, Response res) throws IOException {
        if (req.queryParam("version").orElse("1").equals("2")) throw new ApiException(501, NO_BUILDKIT);
        if (req.queryParam("remote").filter(s -> !s.isBlank()).isPresent()) {
            throw ApiException.invalid("remote build contexts (URLs, git) are not supported by the jcompose engine; send the context tar in the body");
        }
        BuildRequest request;
        try {
            request = BuildRequest.fromQuery(req.query());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        Map<String, RegistryAuth> auths = registryConfig(req.headers().first("X-Registry-Config").orElse(""));
        Map<String, byte[]> secrets = secrets(req.headers().first(SECRETS_HEADER).orElse(""));
        NamedContexts named = contexts(req.headers().first(CONTEXTS_HEADER).orElse(""));
        boolean quiet = req.flag("q");
        OutputStream out = res.stream(200, "application/json");
        JsonProgress json = new JsonProgress(out);
        ProgressSink progress = quiet ? new ProgressSink() {
            @Override public void stream(String text) {}

            @Override public void aux(String imageId) {
                json.aux(imageId);
                json.stream(imageId + "\n"); // dockerd's quiet build prints only the ID
            }

            @Override public void error(String message) {
                json.error(message);
            }

            @Override public void error(String message, int code) {
                json.error(message, code);
            }
        } : json;
        Path secretDir = null;
        try {
            RunExecutor run = runner;
            if (!secrets.isEmpty()) {
                Files.createDirectories(tmp);
                secretDir = Files.createTempDirectory(tmp, "secrets-", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                TreeMap<String, Path> files = new TreeMap<>();
                int i = 0;
                for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
                    Path f = secretDir.resolve(Integer.toString(i++));
                    Files.write(f, e.getValue());
                    files.put(e.getKey(), f);
                }
                run = (spec, output) -> runner.run(spec.withSecrets(files), output);
            }
            EngineImages base = new EngineImages(images, ref -> authFor(auths, ref), progress::stream);
            Builder builder = new Builder(layout, cache, tmp, base, run, Clock.systemUTC(), base::publish);
            builder.build(req.body(), request, named, progress);
        } catch (BuildException e) {
            // Already reported in-band by the builder; the stream simply ends.
        } catch (UncheckedIOException e) {
            // The client went away mid-build: nobody is left to tell.
        } catch (RuntimeException e) {
            progress.error("build failed: " + e);
        } finally {
            if (secretDir != null) {
                try (var files = Files.list(secretDir)) {
                    for (Path f : files.toList()) Files.deleteIfExists(f);
                    Files.deleteIfExists(secretDir);
                } catch (IOException e) {
                    // 0600 files under the engine's root; the next start's tmp cleanup removes them
                }
            }
            try {
                out.close();
            } catch (IOException e) {
                // the client is gone
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var kids = Files.list(p)) {
                for (Path k : kids.toList()) deleteTree(k);
            }
        }
        Files.deleteIfExists(p);
    }

    /** {@code X-Registry-Config}: base64(url) JSON {"registry": {"username":…,"password":…}}. */
    static Map<String, RegistryAuth> registryConfig(String header) {
        Map<String, RegistryAuth> out = new TreeMap<>();
        if (header.isBlank()) return out;
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            try {
                json = Base64.getDecoder().decode(header.trim());
            } catch (IllegalArgumentException e2) {
                throw ApiException.invalid("X-Registry-Config is not base64: " + e2.getMessage());
            }
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw ApiException.invalid("X-Registry-Config is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String enc = Base64.getUrlEncoder().encodeToString(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
            try {
                out.put(registryKey(e.getKey()), RegistryAuth.fromHeader(enc));
            } catch (ImageException ex) {
                throw ApiException.invalid("X-Registry-Config entry " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return out;
    }

    /** The {@value #CONTEXTS_HEADER} header (see {@link NamedContexts}); a bad one is a 400 naming the header. */
    static NamedContexts contexts(String header) {
        try {
            return NamedContexts.parse(header);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(CONTEXTS_HEADER + ": " + e.getMessage());
        }
    }

    /** The {@value #SECRETS_HEADER} header: id → bytes. */
    static Map<String, byte[]> secrets(String header) {
        Map<String, byte[]> out = new TreeMap<>();
        if (header.isBlank()) return out;
        try {
            JsonNode n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(header.trim().replace('+', '-').replace('/', '_')));
            if (n == null || !n.isObject()) throw ApiException.invalid(SECRETS_HEADER + " must be a JSON object of id to base64 content");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().matches("[A-Za-z0-9._-]+")) throw ApiException.invalid(SECRETS_HEADER + ": invalid secret id \"" + e.getKey() + "\"");
                out.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
            }
            return out;
        } catch (IllegalArgumentException | IOException e) {
            throw ApiException.invalid(SECRETS_HEADER + " is not base64 JSON {\"id\": \"base64 content\"}: " + e.getMessage());
        }
    }

    /** "https://index.docker.io/v1/" → "docker.io"; "localhost:5000" stays. */
    static String registryKey(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        if (k.equals("index.docker.io") || k.equals("registry-1.docker.io")) k = ImageReference.DOCKER_HUB;
        return k;
    }

    private static RegistryAuth authFor(Map<String, RegistryAuth> auths, String ref) {
        try {
            String domain = ImageReference.parse(ref).domain();
            return Optional.ofNullable(auths.get(domain)).orElse(RegistryAuth.NONE);
        } catch (RuntimeException e) {
            return RegistryAuth.NONE;
        }
    }
}
