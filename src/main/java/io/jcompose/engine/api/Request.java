package io.jcompose.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One routed request as a handler sees it.
 *
 * @param method  the HTTP method ("GET"); a HEAD served by a GET route keeps "HEAD"
 * @param path    the decoded path without its version prefix ({@code /v1.41/containers/x/json} → {@code /containers/x/json})
 * @param version the API version from the prefix, or {@link ApiVersion#MAX} without one
 * @param params  the route template's parameters ({@code /containers/{id}/json} → id)
 * @param query   decoded query parameters; a name may repeat
 * @param body    the request body (empty stream if none); it ends where the body ends
 */
public record Request(String method, String path, ApiVersion version, SortedMap<String, String> params,
                      Map<String, List<String>> query, Headers headers, InputStream body, Peer peer) {
    public Request {
        params = new TreeMap<>(params);
        query = Map.copyOf(query);
    }

    /** A path parameter the route template declares; a missing one is a bug in the route, not the client's. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) throw new IllegalStateException("route has no parameter {" + name + "}");
        return v;
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /**
     * A boolean query parameter the way Docker reads them ({@code httputils.BoolValue}): absent, empty, "0", "no",
     * "false" or "none" is false; any other value is true.
     */
    public boolean flag(String name) {
        String v = queryParam(name).orElse("").trim().toLowerCase(java.util.Locale.ROOT);
        return !(v.isEmpty() || v.equals("0") || v.equals("no") || v.equals("false") || v.equals("none"));
    }

    /** The body parsed as JSON into {@code type}; an empty body or bad JSON is a 400 with Docker-like text. */
    public <T> T json(Class<T> type) throws IOException {
        byte[] bytes = body.readAllBytes();
        if (bytes.length == 0) throw ApiException.invalid("bad parameter: request body is empty, expected JSON");
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiException.invalid("invalid JSON: " + e.getOriginalMessage());
        }
    }
}
