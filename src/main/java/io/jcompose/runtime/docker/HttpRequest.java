package io.jcompose.runtime.docker;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An HTTP/1.1 request. {@code target} is the path with query. The body is either bytes (sent with
 * Content-Length, and replayable on a stale pooled connection) or a stream (sent chunked), or none.
 */
record HttpRequest(String method, String target, SortedMap<String, String> headers, byte[] body,
                   InputStream bodyStream) {
    HttpRequest {
        SortedMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = copy;
    }

    static HttpRequest of(String method, String target) {
        return new HttpRequest(method, target, new TreeMap<>(), null, null);
    }

    HttpRequest header(String name, String value) {
        SortedMap<String, String> h = new TreeMap<>(headers);
        h.put(name, value);
        return new HttpRequest(method, target, h, body, bodyStream);
    }

    HttpRequest json(byte[] json) {
        return header("Content-Type", "application/json").withBody(json);
    }

    HttpRequest withBody(byte[] bytes) {
        return new HttpRequest(method, target, headers, bytes, null);
    }

    HttpRequest withBodyStream(InputStream stream, String contentType) {
        return new HttpRequest(method, target, headers, null, stream).header("Content-Type", contentType);
    }

    boolean replayable() {
        return bodyStream == null;
    }

    /** Builds {@code path?k=v&…}, skipping null values; keys in the given order. */
    static String target(String path, Map<String, ?> query) {
        StringBuilder sb = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, ?> e : query.entrySet()) {
            if (e.getValue() == null) continue;
            sb.append(sep).append(enc(e.getKey())).append('=').append(enc(String.valueOf(e.getValue())));
            sep = '&';
        }
        return sb.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
