package io.jcompose.engine.api;

/** A parsed request line and header block, before routing. {@code target} is as sent (path and query, escaped). */
record RequestHead(String method, String target, String httpVersion, Headers headers) {

    boolean http11() {
        return "HTTP/1.1".equals(httpVersion);
    }

    /** Whether the client wants the connection kept after this exchange (HTTP/1.1 default on, 1.0 default off). */
    boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) return false;
        return http11() || headers.hasToken("Connection", "keep-alive");
    }

    /** Docker's hijack handshake: {@code Connection: Upgrade} with {@code Upgrade: tcp}. */
    boolean wantsUpgrade() {
        return headers.hasToken("Connection", "Upgrade") && headers.first("Upgrade").isPresent();
    }

    boolean chunked() {
        return headers.hasToken("Transfer-Encoding", "chunked");
    }
}
