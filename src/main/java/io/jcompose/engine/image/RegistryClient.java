package io.jcompose.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A client of the OCI distribution API. Every manifest and blob is checked against its digest over the exact
 * bytes received. Pulls try the configured mirrors of the reference's domain first, then the registry itself.
 * Auth: the client's credentials, sent as Basic or exchanged for a Bearer token after a {@code WWW-Authenticate}
 * challenge; tokens are cached per realm, service, scope and user. Plain HTTP is used only where
 * {@link RegistryConfig#allowsPlainHttp} says so (see {@link #exchange} for the order of attempts).
 */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MANIFEST = 4 << 20;
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final RegistryConfig config;
    private final HttpClient http;
    private final Map<String, String> schemes = new ConcurrentHashMap<>();
    private final Map<String, String> confirmedSchemes = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> challengeAuth = new ConcurrentHashMap<>();

    private record Token(String header, Instant expires) {}

    /** An image manifest (or index) with the digest of its exact bytes. */
    public record Manifest(Digest digest, String mediaType, byte[] bytes) {
        public Manifest {
            bytes = bytes.clone();
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new ImageException(ImageException.Kind.INVALID, "manifest " + digest + " is not valid JSON: " + e.getMessage());
            }
        }
    }

    /**
     * A resolved image: {@code repoDigest} is what the reference resolved to (the index digest for multi-platform
     * images, as Docker reports in RepoDigests); {@code manifest} the chosen platform's image manifest.
     */
    public record Resolved(Digest repoDigest, Manifest manifest) {}

    public RegistryClient(RegistryConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // blob redirects are followed by hand, see fetchBlob
                .connectTimeout(Duration.ofSeconds(15))
                .build();
    }

    public RegistryConfig config() {
        return config;
    }

    /** Fetches the manifest (or index) a reference names, from a mirror or the registry; the bytes are verified. */
    public Manifest getManifest(ImageReference ref, RegistryAuth auth) throws IOException {
        return getManifest(ref, ref.manifestReference(), auth);
    }

    private Manifest getManifest(ImageReference ref, String tagOrDigest, RegistryAuth auth) throws IOException {
        IOException last = null;
        for (Endpoint ep : pullEndpoints(ref)) {
            try {
                HttpResponse<byte[]> r = send(ep, ref, "pull", auth, HttpRequest.newBuilder()
                        .uri(ep.uri(ref, "/manifests/" + tagOrDigest))
                        .header("Accept", String.join(", ", MediaTypes.ACCEPT))
                        .GET(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 404 && ep.mirror) {
                    last = new IOException("mirror " + ep.base + " has no " + ref);
                    continue;
                }
                check(r, "manifest " + ref.repository() + ":" + tagOrDigest, ep);
                byte[] body = r.body();
                if (body.length > MAX_MANIFEST) throw new ImageException(ImageException.Kind.INVALID, "manifest of " + ref + " is larger than 4 MiB");
                Digest actual = Digest.of(body);
                if (Digest.isDigest(tagOrDigest) && !actual.equals(Digest.parse(tagOrDigest))) {
                    throw new DigestMismatchException("manifest " + ref.repository() + "@" + tagOrDigest + " from " + ep.base, Digest.parse(tagOrDigest), actual);
                }
                Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
                if (header.isPresent() && Digest.isDigest(header.get()) && !Digest.parse(header.get()).equals(actual)) {
                    throw new DigestMismatchException("manifest " + ref + " from " + ep.base, Digest.parse(header.get()), actual);
                }
                String mt = mediaType(body, r.headers());
                if (MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(mt) || "application/vnd.docker.distribution.manifest.v1+json".equals(mt)) {
                    throw new ImageException(ImageException.Kind.INVALID, ref + " uses the deprecated Docker schema1 manifest format, which is not supported; re-push it with a current client");
                }
                if (!MediaTypes.isIndex(mt) && !MediaTypes.isManifest(mt)) {
                    throw new ImageException(ImageException.Kind.INVALID, ref + ": unsupported manifest media type \"" + mt + "\"");
                }
                return new Manifest(actual, mt, body);
            } catch (IOException e) {
                if (!ep.mirror) throw e;
                last = e; // a broken mirror is skipped, as Docker does
            } catch (ImageException e) {
                if (!ep.mirror || e.kind() == ImageException.Kind.INVALID) throw e;
                last = new IOException(e.getMessage(), e);
            }
        }
        throw last != null ? last : new IOException("no endpoint for " + ref);
    }

    /** Resolves a reference to one image manifest, choosing {@code platform} from an index. */
    public Resolved resolve(ImageReference ref, RegistryAuth auth, Platform platform) throws IOException {
        Manifest top = getManifest(ref, auth);
        if (MediaTypes.isManifest(top.mediaType())) return new Resolved(top.digest(), top);
        Digest chosen = selectPlatform(top, platform)
                .orElseThrow(() -> new ImageException(ImageException.Kind.NOT_FOUND,
                        "no matching manifest for " + platform + " in the manifest list entries of " + ref
                                + " (available: " + platformsOf(top) + ")"));
        Manifest m = getManifest(ref, chosen.toString(), auth);
        if (!MediaTypes.isManifest(m.mediaType())) {
            throw new ImageException(ImageException.Kind.INVALID, ref + ": index entry " + chosen + " is not an image manifest");
        }
        return new Resolved(top.digest(), m);
    }

    /** The index entry for {@code platform}, skipping attestation manifests and unknown/unknown entries. */
    static Optional<Digest> selectPlatform(Manifest index, Platform platform) {
        for (JsonNode e : index.json().path("manifests")) {
            if (isAttestationOrUnknown(e)) continue;
            JsonNode p = e.path("platform");
            if (platform.matches(p.path("os").asText(), p.path("architecture").asText(), p.path("variant").asText(""))) {
                return Optional.of(Digest.parse(e.path("digest").asText()));
            }
        }
        return Optional.empty();
    }

    private static boolean isAttestationOrUnknown(JsonNode e) {
        if ("attestation-manifest".equals(e.path("annotations").path("vnd.docker.reference.type").asText())) return true;
        JsonNode p = e.path("platform");
        return p.isMissingNode() || "unknown".equals(p.path("os").asText()) || "unknown".equals(p.path("architecture").asText());
    }

    private static String platformsOf(Manifest index) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : index.json().path("manifests")) {
            if (isAttestationOrUnknown(e)) continue;
            JsonNode p = e.path("platform");
            String v = p.path("variant").asText("");
            out.add(p.path("os").asText() + "/" + p.path("architecture").asText() + (v.isEmpty() ? "" : "/" + v));
        }
        return String.join(", ", out);
    }

    /**
     * Downloads a blob into the store unless it is there already; the digest is checked while streaming and a
     * mismatch leaves nothing behind. Redirects are followed by hand so that Authorization is not sent to another
     * host (registries redirect blob GETs to storage with signed URLs).
     */
    public void fetchBlob(ImageReference ref, Digest digest, RegistryAuth auth, ContentStore store, LongConsumer progress) throws IOException {
        if (store.has(digest)) return;
        IOException last = null;
        for (Endpoint ep : pullEndpoints(ref)) {
            try {
                HttpResponse<InputStream> r = send(ep, ref, "pull", auth, HttpRequest.newBuilder()
                        .uri(ep.uri(ref, "/blobs/" + digest)).GET(), HttpResponse.BodyHandlers.ofInputStream());
                URI from = r.uri();
                for (int hop = 0; hop < 5 && isRedirect(r.statusCode()); hop++) {
                    close(r);
                    URI to = from.resolve(r.headers().firstValue("Location")
                            .orElseThrow(() -> new IOException("redirect without Location from " + ep.base)));
                    if (!to.getScheme().equals("https") && !config.allowsPlainHttp(hostPort(to))) {
                        throw new ImageException(ImageException.Kind.INVALID, "refusing plain-HTTP redirect to " + to.getHost() + " for " + digest);
                    }
                    HttpRequest.Builder b = HttpRequest.newBuilder().uri(to).GET();
                    String authz = r.request().headers().firstValue("Authorization").orElse(null);
                    if (authz != null && sameHost(from, to)) b.header("Authorization", authz);
                    r = rawSend(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                    from = to;
                }
                if (r.statusCode() == 404 && ep.mirror) {
                    close(r);
                    last = new IOException("mirror " + ep.base + " has no blob " + digest);
                    continue;
                }
                if (r.statusCode() / 100 != 2) {
                    close(r);
                    check(r, "blob " + digest + " of " + ref.repository(), ep);
                }
                try (InputStream in = r.body()) {
                    store.write(in, Optional.of(digest), progress);
                }
                return;
            } catch (DigestMismatchException e) {
                throw new DigestMismatchException(ref.repository() + " blob from " + ep.base, digest, extractActual(e, digest));
            } catch (IOException e) {
                if (!ep.mirror) throw e;
                last = e;
            }
        }
        throw last != null ? last : new IOException("no endpoint for " + ref);
    }

    private static Digest extractActual(DigestMismatchException e, Digest expected) {
        Matcher m = Pattern.compile("got sha256:([a-f0-9]{64})").matcher(e.getMessage());
        return m.find() ? new Digest(m.group(1)) : expected;
    }

    public boolean blobExists(ImageReference ref, Digest digest, RegistryAuth auth) throws IOException {
        Endpoint ep = upstream(ref);
        HttpResponse<Void> r = send(ep, ref, "pull,push", auth, HttpRequest.newBuilder()
                .uri(ep.uri(ref, "/blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        check(r, "blob " + digest, ep);
        return false;
    }

    /**
     * Uploads a blob: POST (with a cross-repository mount if {@code mountFrom} names a repository on the same
     * registry), then one monolithic PUT to the returned Location with {@code digest} appended to its query.
     * Returns true when the registry mounted the blob instead of receiving it.
     */
    public boolean pushBlob(ImageReference ref, Digest digest, Path file, Optional<String> mountFrom, RegistryAuth auth) throws IOException {
        Endpoint ep = upstream(ref);
        String q = mountFrom.map(from -> "?mount=" + enc(digest.toString()) + "&from=" + enc(from)).orElse("");
        HttpResponse<Void> post = send(ep, ref, "pull,push", auth, HttpRequest.newBuilder()
                .uri(URI.create(ep.uri(ref, "/blobs/uploads/") + q))
                .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (post.statusCode() == 201) return true; // mounted from the other repository
        if (post.statusCode() != 202) check(post, "starting upload of " + digest + " to " + ref.repository(), ep);
        String location = post.headers().firstValue("Location")
                .orElseThrow(() -> new IOException(ep.base + " started an upload without a Location header"));
        URI loc = post.uri().resolve(location);
        URI put = URI.create(loc + (loc.getRawQuery() == null ? "?" : "&") + "digest=" + enc(digest.toString()));
        HttpResponse<String> r = send(ep, ref, "pull,push", auth, HttpRequest.newBuilder().uri(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) check(r, "uploading blob " + digest + " to " + ref.repository(), ep);
        return false;
    }

    /** PUTs a manifest under a tag (or its digest) and checks the registry computed the same digest. */
    public Digest putManifest(ImageReference ref, String tagOrDigest, String mediaType, byte[] bytes, RegistryAuth auth) throws IOException {
        Endpoint ep = upstream(ref);
        HttpResponse<String> r = send(ep, ref, "pull,push", auth, HttpRequest.newBuilder()
                .uri(ep.uri(ref, "/manifests/" + tagOrDigest))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) check(r, "pushing manifest " + ref, ep);
        Digest mine = Digest.of(bytes);
        Optional<String> theirs = r.headers().firstValue("Docker-Content-Digest");
        if (theirs.isPresent() && Digest.isDigest(theirs.get()) && !Digest.parse(theirs.get()).equals(mine)) {
            throw new DigestMismatchException("manifest pushed to " + ref, mine, Digest.parse(theirs.get()));
        }
        return mine;
    }

    // ---- endpoints, auth and transport ----

    private record Endpoint(URI base, boolean mirror, String hostPort) {
        URI uri(ImageReference ref, String suffix) {
            String b = base.toString();
            if (b.endsWith("/")) b = b.substring(0, b.length() - 1);
            return URI.create(b + "/v2/" + ref.path() + suffix);
        }
    }

    private List<Endpoint> pullEndpoints(ImageReference ref) throws IOException {
        List<Endpoint> out = new ArrayList<>();
        for (URI m : config.mirrors().getOrDefault(ref.domain(), List.of())) {
            String hp = hostPort(m);
            if (m.getScheme().equals("http") && !config.allowsPlainHttp(hp)) {
                throw new ImageException(ImageException.Kind.INVALID, "mirror " + m + " uses plain HTTP but is neither loopback nor configured insecure");
            }
            out.add(new Endpoint(m, true, hp));
        }
        out.add(upstream(ref));
        return out;
    }

    private Endpoint upstream(ImageReference ref) {
        String hp = ref.apiHost();
        String scheme = schemes.getOrDefault(hp, RegistryConfig.isLoopback(hp) ? "http" : "https");
        return new Endpoint(URI.create(scheme + "://" + hp), false, hp);
    }

    private <T> HttpResponse<T> send(Endpoint ep, ImageReference ref, String actions, RegistryAuth auth,
                                     HttpRequest.Builder req, HttpResponse.BodyHandler<T> handler) throws IOException {
        String scope = "repository:" + ref.path() + ":" + actions;
        Optional<String> cached = cachedAuth(ep, scope, auth);
        HttpRequest first = withAuth(req, cached).timeout(Duration.ofMinutes(10)).build();
        HttpResponse<T> r = exchange(ep, first, handler);
        if (r.statusCode() != 401) return r;
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        close(r);
        String header = answerChallenge(ep, challenge, scope, auth, cached.orElse(null));
        challengeAuth.put(ep.hostPort + "|" + auth.username().orElse(""), challenge.toLowerCase(Locale.ROOT).startsWith("basic") ? "basic" : "bearer");
        return exchange(ep, withAuth(req, Optional.of(header)).build(), handler);
    }

    private static HttpRequest.Builder withAuth(HttpRequest.Builder b, Optional<String> header) {
        HttpRequest.Builder c = b.copy();
        header.ifPresent(h -> c.setHeader("Authorization", h));
        return c;
    }

    /** Avoids a 401 round trip per request once a registry's scheme (and token for the scope) is known. */
    private Optional<String> cachedAuth(Endpoint ep, String scope, RegistryAuth auth) {
        String kind = challengeAuth.get(ep.hostPort + "|" + auth.username().orElse(""));
        if ("basic".equals(kind)) return basicHeader(auth);
        if ("bearer".equals(kind)) {
            for (Map.Entry<String, Token> t : tokens.entrySet()) {
                if (t.getKey().startsWith(ep.hostPort + "|") && t.getKey().endsWith("|" + scope + "|" + auth.username().orElse(""))
                        && t.getValue().expires.isAfter(Instant.now())) {
                    return Optional.of(t.getValue().header);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Scheme choice for registries named without one. Loopback: plain HTTP first (the traffic never leaves the
     * host, and a plain server that ignores a TLS ClientHello would otherwise stall us until the connect timeout),
     * HTTPS if that fails before the scheme is confirmed. Configured-insecure hosts: Docker's rule, HTTPS first and
     * plain HTTP after a TLS failure. Everything else: HTTPS only.
     */
    private <T> HttpResponse<T> exchange(Endpoint ep, HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        boolean confirmed = ep.mirror || confirmedSchemes.containsKey(ep.hostPort);
        String scheme = req.uri().getScheme();
        try {
            HttpResponse<T> r = rawSend(req, handler);
            if (!confirmed && scheme.equals("http") && r.statusCode() == 400) {
                // A TLS server answering a plain request ("Client sent an HTTP request to an HTTPS server").
                close(r);
                try {
                    HttpResponse<T> tls = rawSend(withScheme(req, "https"), handler);
                    schemes.put(ep.hostPort, "https");
                    confirmedSchemes.put(ep.hostPort, "https");
                    return tls;
                } catch (IOException tlsFailed) {
                    return rawSend(req, handler);
                }
            }
            if (!confirmed) confirmedSchemes.put(ep.hostPort, scheme);
            return r;
        } catch (SSLException | java.net.http.HttpConnectTimeoutException e) {
            if (confirmed || !scheme.equals("https") || !config.allowsPlainHttp(ep.hostPort)) {
                throw new IOException("TLS to " + ep.hostPort + " failed (" + e.getMessage() + "); if it serves plain HTTP, add it to the insecure registries", e);
            }
            schemes.put(ep.hostPort, "http");
            return exchange(ep, withScheme(req, "http"), handler);
        } catch (ConnectException e) {
            throw new ConnectException("cannot connect to registry " + ep.base + ": connection refused");
        } catch (IOException e) {
            if (confirmed || !scheme.equals("http") || !RegistryConfig.isLoopback(ep.hostPort)) throw e;
            // The loopback registry may speak only TLS and have dropped our plain request.
            schemes.put(ep.hostPort, "https");
            return exchange(ep, withScheme(req, "https"), handler);
        }
    }

    private static HttpRequest withScheme(HttpRequest req, String scheme) {
        String u = req.uri().toString();
        URI to = URI.create(scheme + u.substring(u.indexOf(':')));
        HttpRequest.Builder b = HttpRequest.newBuilder(to).method(req.method(), req.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
        req.timeout().ifPresent(b::timeout);
        req.headers().map().forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
        return b.build();
    }

    private String answerChallenge(Endpoint ep, String challenge, String scope, RegistryAuth auth, String rejected) throws IOException {
        String lower = challenge.toLowerCase(Locale.ROOT);
        if (lower.startsWith("basic")) {
            return basicHeader(auth).orElseThrow(() -> new ImageException(ImageException.Kind.UNAUTHORIZED,
                    "registry " + ep.hostPort + " requires authentication: log in first (docker login " + ep.hostPort + ")"));
        }
        if (!lower.startsWith("bearer")) {
            throw new ImageException(ImageException.Kind.UNAUTHORIZED, "registry " + ep.hostPort + " sent an unsupported auth challenge: " + challenge);
        }
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        String realm = p.get("realm");
        if (realm == null) throw new IOException("registry " + ep.hostPort + " sent a Bearer challenge without realm");
        String service = p.getOrDefault("service", "");
        // Ask for the scope the whole operation needs (a push session's HEADs are challenged for "pull" only,
        // and a token cached from that challenge would then fail the upload).
        String key = ep.hostPort + "|" + realm + "|" + service + "|" + scope + "|" + auth.username().orElse("");
        Token cached = tokens.get(key);
        if (cached != null && cached.expires.isAfter(Instant.now()) && !cached.header.equals(rejected)) return cached.header;
        Token t = fetchToken(realm, service, scope, auth);
        tokens.put(key, t);
        return t.header;
    }

    private Token fetchToken(String realm, String service, String scope, RegistryAuth auth) throws IOException {
        URI realmUri = URI.create(realm);
        if (!realmUri.getScheme().equals("https") && !config.allowsPlainHttp(hostPort(realmUri))) {
            throw new ImageException(ImageException.Kind.UNAUTHORIZED, "refusing to send credentials to plain-HTTP token realm " + realm);
        }
        HttpResponse<byte[]> r;
        try {
            if (auth.identityToken().isPresent()) {
                // OAuth2 refresh-token grant, as Docker does with an identity token from `docker login`.
                String form = "grant_type=refresh_token&client_id=jcompose&service=" + enc(service) + "&scope=" + enc(scope)
                        + "&refresh_token=" + enc(auth.identityToken().get());
                r = http.send(HttpRequest.newBuilder(realmUri).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
            } else {
                String sep = realm.contains("?") ? "&" : "?";
                URI u = URI.create(realm + sep + "service=" + enc(service) + "&scope=" + enc(scope));
                HttpRequest.Builder b = HttpRequest.newBuilder(u).GET();
                basicHeader(auth).ifPresent(h -> b.header("Authorization", h));
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted fetching a token from " + realm);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new ImageException(ImageException.Kind.UNAUTHORIZED, "token server " + realmUri.getHost() + " refused the credentials for " + scope + " (HTTP " + r.statusCode() + ")");
        }
        if (r.statusCode() / 100 != 2) throw new IOException("token server " + realm + " answered HTTP " + r.statusCode());
        JsonNode n = JSON.readTree(r.body());
        String token = n.path("token").asText(n.path("access_token").asText(""));
        if (token.isEmpty()) throw new IOException("token server " + realm + " returned no token");
        long ttl = Math.max(60, n.path("expires_in").asLong(60));
        return new Token("Bearer " + token, Instant.now().plusSeconds(ttl - 10));
    }

    private static Optional<String> basicHeader(RegistryAuth auth) {
        if (auth.username().isEmpty()) return Optional.empty();
        String up = auth.username().get() + ":" + auth.password().orElse("");
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8)));
    }

    private static void check(HttpResponse<?> r, String what, Endpoint ep) {
        int s = r.statusCode();
        if (s / 100 == 2) return;
        String detail = errorDetail(r);
        String msg = what + " at " + ep.base + ": HTTP " + s + detail;
        switch (s) {
            case 401, 403 -> throw new ImageException(ImageException.Kind.UNAUTHORIZED, msg + "; check the credentials (docker login " + ep.hostPort + ")");
            case 404 -> throw new ImageException(ImageException.Kind.NOT_FOUND, msg + "; check the name and tag");
            default -> throw new ImageException(ImageException.Kind.UNAVAILABLE, msg);
        }
    }

    private static String errorDetail(HttpResponse<?> r) {
        Object b = r.body();
        byte[] bytes = b instanceof byte[] ba ? ba : b instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
        if (bytes == null || bytes.length == 0) return "";
        try {
            JsonNode e = JSON.readTree(bytes).path("errors").path(0);
            if (!e.isMissingNode()) return " (" + e.path("code").asText() + ": " + e.path("message").asText() + ")";
        } catch (IOException ignored) {
            // not a distribution error body; the status says enough
        }
        return "";
    }

    private static String mediaType(byte[] body, HttpHeaders h) {
        try {
            String mt = JSON.readTree(body).path("mediaType").asText("");
            if (!mt.isEmpty()) return mt;
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.INVALID, "registry returned a manifest that is not JSON: " + e.getMessage());
        }
        String ct = h.firstValue("Content-Type").orElse("");
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).trim();
    }

    private static boolean isRedirect(int s) {
        return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    }

    private static boolean sameHost(URI a, URI b) {
        return hostPort(a).equalsIgnoreCase(hostPort(b)) && a.getScheme().equals(b.getScheme());
    }

    static String hostPort(URI u) {
        return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    }

    private static void close(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
    }

    private <T> HttpResponse<T> rawSend(HttpRequest req, HttpResponse.BodyHandler<T> h) throws IOException {
        try {
            return http.send(req, h);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted talking to " + req.uri().getHost());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
