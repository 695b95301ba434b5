package io.jcompose.engine.api;

/**
 * Serves one route. A handler answers through {@link Response} exactly once (a buffered body, a stream, or a
 * hijack), or throws: {@link ApiException} becomes Docker's error body with its status, anything else a 500.
 * A handler that returns without answering sends 204 No Content.
 */
@FunctionalInterface
public interface Handler {
    void handle(Request request, Response response) throws Exception;
}
