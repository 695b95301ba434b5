package io.jcompose.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.EngineException.Category;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Versioned JSON calls on the Docker Engine API, with status → error category mapping. The API version is
 * negotiated on first use: min(ours, the engine's), from {@code GET /_ping}'s {@code API-Version} header
 * (or {@code GET /version} when the header is missing).
 */
final class DockerApi implements AutoCloseable {
    static final String OUR_VERSION = "1.41";

    final ObjectMapper json = new ObjectMapper();
    private final Http1Client http;
    private final String fixedVersion;
    private volatile String version;
    /** Whether the engine is ours; learnt from /version by the first caller that needs to know. */
    private volatile Boolean jcomposeEngine;

    /** {@code fixedVersion}: skip negotiation and use this version (null: negotiate). */
    DockerApi(Http1Client http, String fixedVersion) {
        this.http = http;
        this.fixedVersion = fixedVersion;
    }

    String endpoint() {
        return http.endpoint();
    }

    long calls() {
        return http.requestCount();
    }

    Http1Client http() {
        return http;
    }

    /** The negotiated API version, e.g. {@code 1.41}. */
    String version() {
        String v = version;
        if (v != null) return v;
        synchronized (this) {
            if (version == null) version = fixedVersion != null ? fixedVersion : negotiate();
            return version;
        }
    }

    /** Uses the version an unversioned {@code /_ping} reported, saving the negotiation call. */
    synchronized void learnVersion(String server) {
        if (version == null && fixedVersion == null && server != null && !server.isEmpty()) {
            version = compare(server, OUR_VERSION) < 0 ? server : OUR_VERSION;
        }
    }

    private String negotiate() {
        String server;
        try (HttpResponse r = http.execute(HttpRequest.of("GET", "/_ping"))) {
            byte[] body = r.bytes();
            if (r.status() >= 400) throw error(r.status(), body, "ping the engine");
            server = r.header("API-Version");
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (server == null || server.isEmpty()) {
            server = rawJson("GET", "/version", null, "read the engine version").path("ApiVersion").asText("");
        }
        if (server.isEmpty()) return OUR_VERSION;
        return compare(server, OUR_VERSION) < 0 ? server : OUR_VERSION;
    }

    /** Compares dotted versions numerically: 1.9 < 1.41. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code /v1.41/containers/json?…} */
    String path(String path, Map<String, ?> query) {
        return HttpRequest.target("/v" + version() + path, query == null ? Map.of() : query);
    }

    static Map<String, Object> query(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /**
     * Whether the engine is jcompose's own (it takes build secrets and {@code JcomposeFiles}): its /version names
     * the platform "jcompose …". Asked once per client.
     */
    boolean isJcomposeEngine() {
        Boolean b = jcomposeEngine;
        if (b == null) {
            JsonNode v = get("/version", null, "read the engine version");
            b = v.path("Platform").path("Name").asText("").toLowerCase(java.util.Locale.ROOT).contains("jcompose");
            jcomposeEngine = b;
        }
        return b;
    }

    JsonNode get(String path, Map<String, ?> query, String what) {
        return rawJson("GET", path(path, query), null, what);
    }

    /** POST; statuses in {@code tolerated} (e.g. 304 "already started") count as success. */
    JsonNode post(String path, Map<String, ?> query, Object body, String what, int... tolerated) {
        return rawJson("POST", path(path, query), body, what, tolerated);
    }

    JsonNode delete(String path, Map<String, ?> query, String what) {
        return rawJson("DELETE", path(path, query), null, what);
    }

    private JsonNode rawJson(String method, String target, Object body, String what, int... tolerated) {
        HttpRequest req = HttpRequest.of(method, target);
        if (body != null) req = req.json(bytes(body));
        try (HttpResponse r = http.execute(req)) {
            byte[] b = r.bytes();
            if (r.status() >= 300 && java.util.Arrays.stream(tolerated).noneMatch(t -> t == r.status())) {
                throw error(r.status(), b, what);
            }
            if (b.length == 0) return MissingNode.getInstance();
            try {
                return json.readTree(b);
            } catch (IOException e) {
                // Some endpoints answer plain text ("OK", "Created"); callers of those ignore the body.
                return MissingNode.getInstance();
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Opens a streaming response; the caller closes it. Non-2xx responses are turned into errors here. */
    HttpResponse stream(HttpRequest req, String what) {
        HttpResponse r;
        try {
            r = http.execute(req);
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (r.status() >= 300) {
            byte[] b;
            try {
                b = r.bytes();
            } catch (IOException e) {
                b = new byte[0];
            }
            throw error(r.status(), b, what);
        }
        return r;
    }

    /** Encodes an object name for a path segment; image references keep their slashes (Docker routes them). */
    static String seg(String name) {
        return HttpRequest.enc(name).replace("%2F", "/").replace("%3A", ":").replace("%40", "@");
    }

    byte[] bytes(Object body) {
        try {
            return body instanceof byte[] b ? b : json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    /** Maps an HTTP error to a category, keeping the engine's {@code message}. */
    EngineException error(int status, byte[] body, String what) {
        String message = engineMessage(body);
        Category category = category(status);
        if (message.isEmpty()) message = "HTTP " + status;
        return new EngineException(category, what + ": " + message, message, null);
    }

    static Category category(int status) {
        if (status == 404) return Category.NOT_FOUND;
        if (status == 409) return Category.CONFLICT;
        if (status == 400) return Category.INVALID;
        if (status == 401 || status == 403) return Category.UNAUTHORIZED;
        if (status >= 500) return Category.UNAVAILABLE;
        return Category.OTHER;
    }

    private String engineMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                JsonNode n = json.readTree(body);
                if (n.hasNonNull("message")) return n.get("message").asText().strip();
            } catch (IOException ignored) {
                // not JSON after all: use the text
            }
        }
        return text;
    }

    EngineException unreachable(IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = why.toLowerCase();
        if (lower.contains("no such file")) why = "no such socket";
        else if (lower.contains("refused")) why = "connection refused";
        else if (lower.contains("permission denied")) why = "permission denied";
        return new EngineException(Category.UNAVAILABLE, "cannot reach the engine at " + http.endpoint() + " (" + why
                + ")", why, e);
    }

    @Override
    public void close() {
        http.close();
    }
}
