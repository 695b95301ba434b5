package io.jcompose.engine.api;

import java.io.IOException;

/** The client broke HTTP/1.1 framing (bad request line, header, chunk): answer 400 if possible and close. */
final class HttpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    HttpProtocolException(String message) {
        super(message);
    }
}
