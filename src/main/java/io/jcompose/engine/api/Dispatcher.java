package io.jcompose.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes one request and runs its handler: decodes the target, strips and checks the version prefix, and turns
 * failures into Docker's error bodies. Unknown routes get Docker's 404 {@code {"message":"page not found"}}; as in
 * moby the route is matched before the version is checked.
 */
final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private final Routes routes;

    Dispatcher(Routes routes) {
        this.routes = routes;
    }

    void dispatch(RequestHead head, InputStream body, Exchange exchange, Peer peer) throws IOException {
        long start = System.nanoTime();
        try {
            Target target = Target.parse(head.target());
            String path = target.path();
            ApiVersion version = ApiVersion.MAX;
            Optional<ApiVersion.Prefixed> prefixed = ApiVersion.splitPrefix(path);
            if (prefixed.isPresent()) {
                version = prefixed.get().version();
                path = prefixed.get().rest();
            }
            Optional<Routes.Match> match = routes.match(head.method(), path);
            if (match.isEmpty()) throw ApiException.notFound("page not found");
            Optional<ApiException> unsupported = version.checkSupported();
            if (unsupported.isPresent()) throw unsupported.get();
            Request request = new Request(head.method(), path, version, match.get().params(), target.query(),
                    head.headers(), body, peer);
            match.get().route().handler().handle(request, exchange);
        } catch (ApiException e) {
            fail(exchange, e.status(), e.getMessage(), head, e.getCause());
        } catch (HttpProtocolException e) {
            throw e; // framing is broken: the connection cannot continue
        } catch (IOException e) {
            if (exchange.committed()) throw e; // most likely the client went away mid-stream
            fail(exchange, 500, e.getMessage() == null ? e.toString() : e.getMessage(), head, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(exchange, 503, "the engine is shutting down", head, null);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, head.method() + " " + head.target() + ": internal error", e);
            fail(exchange, 500, "internal error: " + e, head, null);
        } finally {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(String.format("%s %s -> %d (%d ms)", head.method(), head.target(), exchange.status(),
                        (System.nanoTime() - start) / 1_000_000));
            }
        }
    }

    private static void fail(Exchange exchange, int status, String message, RequestHead head, Throwable cause) throws IOException {
        if (cause != null) LOG.log(Level.FINE, head.method() + " " + head.target() + ": " + message, cause);
        if (exchange.committed()) {
            // Too late for a status: the only honest signal left is to cut the connection.
            throw new IOException("after the response started: " + message);
        }
        exchange.error(status, message);
    }
}
