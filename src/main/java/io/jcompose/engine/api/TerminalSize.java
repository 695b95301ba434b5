package io.jcompose.engine.api;

/** The {@code h} and {@code w} query parameters of Docker's resize endpoints (containers and exec sessions). */
record TerminalSize(int height, int width) {
    static TerminalSize of(Request req) {
        try {
            return new TerminalSize(Integer.parseInt(req.queryParam("h").orElse("0")), Integer.parseInt(req.queryParam("w").orElse("0")));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("invalid terminal size: h and w must be numbers");
        }
    }
}
