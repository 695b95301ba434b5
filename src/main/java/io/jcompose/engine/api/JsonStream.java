package io.jcompose.engine.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream of JSON objects, one per line, each delivered at once: pull/push progress, /events, build output.
 * Example: {@code try (JsonStream s = JsonStream.start(res)) { s.send(Map.of("status", "Pulling fs layer")); }}
 * A failure after the start is reported in-band as Docker does: {@code s.send(JsonStream.error("…"))}.
 */
public final class JsonStream implements Closeable {
    private final OutputStream out;

    private JsonStream(OutputStream out) {
        this.out = out;
    }

    /** Answers 200 with {@code application/json} and returns the stream. */
    public static JsonStream start(Response response) throws IOException {
        return new JsonStream(response.stream(200, "application/json"));
    }

    /** Writes {@code message} as one JSON line and flushes it to the client. */
    public void send(Object message) throws IOException {
        out.write(Json.MAPPER.writeValueAsBytes(message));
        out.write('\n');
        out.flush();
    }

    /** Docker's in-band error message of a progress stream: {@code {"errorDetail":{"message":m},"error":m}}. */
    public static java.util.Map<String, Object> error(String message) {
        return new java.util.TreeMap<>(java.util.Map.of("errorDetail", java.util.Map.of("message", message), "error", message));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
