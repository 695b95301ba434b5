package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP side of the server over byte arrays: framing, keep-alive, errors, streams and hijacks. */
class ConnectionTest {
    /** Everything the client sent, and what the server wrote back. */
    static final class FakeTransport implements Transport {
        final InputStream in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean closed;
        boolean outputShut;

        FakeTransport(String request) {
            this.in = new ByteArrayInputStream(request.getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override public InputStream in() { return in; }
        @Override public OutputStream out() { return out; }
        @Override public void shutdownOutput() { outputShut = true; }
        @Override public void close() { closed = true; }

        String written() {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static Routes routes() {
        Routes r = new Routes();
        SystemRoutes.register(r, new EngineIdentity("id-1", "host", "9.9.9", java.nio.file.Path.of("/state"), "abc123",
                false, List.of("io.jcompose.root-id=abc123")), () -> new ObjectCounts(2, 0, 1, 4));
        r.post("/echo", (q, s) -> s.text(200, "text/plain", new String(q.body().readAllBytes(), StandardCharsets.UTF_8)));
        r.get("/containers/{id}/json", (q, s) -> {
            if (!q.param("id").equals("known")) throw ApiException.notFound("No such container: " + q.param("id"));
            s.json(200, Map.of("Id", q.param("id"), "Version", q.version().toString(), "All", q.flag("all")));
        });
        r.get("/events", (q, s) -> {
            OutputStream out = s.stream(200, "application/json");
            for (int i = 0; i < 3; i++) {
                out.write(("{\"n\":" + i + "}\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
        r.post("/containers/{id}/attach", (q, s) -> {
            Response.Hijacked h = s.hijack("application/vnd.docker.raw-stream");
            byte[] in = h.in().readAllBytes(); // the client's stdin, until it half-closes
            h.out().write(("got:" + new String(in, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
            h.closeWrite();
        });
        r.get("/boom", (q, s) -> {
            throw new IllegalStateException("kaput");
        });
        r.delete("/nothing", (q, s) -> {});
        return r;
    }

    static FakeTransport serve(String request) {
        FakeTransport t = new FakeTransport(request);
        new Connection(t, new Dispatcher(routes()), new Peer("root", "root"), "test/1").serve();
        assertThat(t.closed).as("connection closed at the end").isTrue();
        return t;
    }

    static List<String> statusLines(String written) {
        // Anywhere, not per line: a body without a final newline runs into the next status line.
        return java.util.regex.Pattern.compile("HTTP/1\\.[01] \\d{3} [^\r]*").matcher(written).results()
                .map(java.util.regex.MatchResult::group).toList();
    }

    @Test
    void keepAliveServesPipelinedRequestsInOrder() {
        String w = serve("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /v1.38/containers/known/json?all=1 HTTP/1.1\r\n\r\n").written();
        assertThat(statusLines(w)).containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK");
        assertThat(w).contains("\r\n\r\nOK").contains("\r\n\r\nhello").contains("\"Version\":\"1.38\"").contains("\"All\":true");
        assertThat(w).contains("Api-Version: 1.41").contains("Docker-Experimental: false").contains("Ostype: linux")
                .contains("Server: test/1");
    }

    @Test
    void unreadBodyIsDrainedSoTheNextRequestParses() {
        String w = serve("POST /v1.41/containers/known/json HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /containers/known/json HTTP/1.1\r\n\r\n").written();
        assertThat(statusLines(w)).containsExactly("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK");
    }

    @Test
    void chunkedRequestBody() {
        String w = serve("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").written();
        assertThat(w).contains("Content-Length: 5").endsWith("abcde");
    }

    @Test
    void unknownRouteIsDockersPageNotFound() {
        String w = serve("GET /v1.41/nope HTTP/1.1\r\n\r\n").written();
        assertThat(w).startsWith("HTTP/1.1 404 Not Found\r\n").contains("Content-Type: application/json")
                .endsWith("\r\n\r\n{\"message\":\"page not found\"}\n").contains("Content-Length: 29");
    }

    @Test
    void versionOutOfRangeIsA400WithDockersText() {
        String w = serve("GET /v1.99/version HTTP/1.1\r\n\r\nGET /v1.12/info HTTP/1.1\r\n\r\n").written();
        assertThat(w).contains("{\"message\":\"client version 1.99 is too new. Maximum supported API version is 1.41\"}")
                .contains("client version 1.12 is too old. Minimum supported API version is 1.24");
        assertThat(statusLines(w)).containsExactly("HTTP/1.1 400 Bad Request", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void handlerErrorsBecomeJsonMessages() {
        String w = serve("GET /containers/gone/json HTTP/1.1\r\n\r\nGET /boom HTTP/1.1\r\n\r\n").written();
        assertThat(w).contains("{\"message\":\"No such container: gone\"}").contains("HTTP/1.1 500 Internal Server Error")
                .contains("kaput");
    }

    @Test
    void handlerThatAnswersNothingSends204() {
        String w = serve("DELETE /nothing HTTP/1.1\r\n\r\n").written();
        assertThat(w).startsWith("HTTP/1.1 204 No Content\r\n").doesNotContain("Content-Length");
    }

    @Test
    void headOfPingHasLengthButNoBody() {
        String w = serve("HEAD /_ping HTTP/1.1\r\n\r\n").written();
        assertThat(w).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 2").endsWith("\r\n\r\n");
    }

    @Test
    void streamIsChunkedWithOneChunkPerFlush() {
        String w = serve("GET /events HTTP/1.1\r\n\r\nGET /_ping HTTP/1.1\r\n\r\n").written();
        assertThat(w).contains("Transfer-Encoding: chunked").contains("\r\n\r\n8\r\n{\"n\":0}\n\r\n8\r\n{\"n\":1}\n\r\n8\r\n{\"n\":2}\n\r\n0\r\n\r\n");
        assertThat(statusLines(w)).hasSize(2); // the connection stayed usable after the stream
    }

    @Test
    void streamToHttp10IsCloseDelimited() {
        String w = serve("GET /events HTTP/1.0\r\n\r\n").written();
        assertThat(w).startsWith("HTTP/1.0 200 OK").contains("Connection: close").doesNotContain("chunked")
                .endsWith("{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
    }

    @Test
    void hijackWithUpgradeAnswers101AndKeepsEarlyBytes() {
        FakeTransport t = serve("POST /containers/c1/attach?stream=1 HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nstdin-bytes");
        assertThat(t.written()).isEqualTo("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\ngot:stdin-bytes");
        assertThat(t.outputShut).isTrue();
    }

    @Test
    void hijackWithoutUpgradeIsDockersOld200RawStream() {
        FakeTransport t = serve("POST /containers/c1/attach HTTP/1.1\r\n\r\nabc");
        assertThat(t.written()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\ngot:abc");
    }

    @Test
    void connectionCloseIsHonoured() {
        String w = serve("GET /_ping HTTP/1.1\r\nConnection: close\r\n\r\nGET /_ping HTTP/1.1\r\n\r\n").written();
        assertThat(statusLines(w)).containsExactly("HTTP/1.1 200 OK");
        assertThat(w).contains("Connection: close");
    }

    @Test
    void malformedRequestGets400AndClose() {
        String w = serve("GARBAGE\r\n\r\nGET /_ping HTTP/1.1\r\n\r\n").written();
        assertThat(w).startsWith("HTTP/1.1 400 Bad Request").contains("malformed request line");
        assertThat(statusLines(w)).hasSize(1);
    }

    @Test
    void expectContinueGets100First() {
        String w = serve("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi").written();
        assertThat(w).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK").endsWith("hi");
    }

    @Test
    void versionAndInfoAreDockerShaped() throws Exception {
        String w = serve("GET /v1.38/version HTTP/1.1\r\n\r\nGET /info HTTP/1.1\r\n\r\n").written();
        var mapper = Json.MAPPER;
        List<String> bodies = w.lines().filter(l -> l.startsWith("{")).toList();
        var version = mapper.readTree(bodies.get(0));
        assertThat(version.get("ApiVersion").asText()).isEqualTo("1.41");
        assertThat(version.get("MinAPIVersion").asText()).isEqualTo("1.24");
        assertThat(version.get("Version").asText()).isEqualTo("9.9.9");
        assertThat(version.get("Os").asText()).isEqualTo("linux");
        assertThat(version.get("Components").get(0).get("Name").asText()).isEqualTo("Engine");
        var info = mapper.readTree(bodies.get(1));
        assertThat(info.get("ID").asText()).isEqualTo("id-1");
        assertThat(info.get("Containers").asInt()).isEqualTo(3);
        assertThat(info.get("ContainersRunning").asInt()).isEqualTo(2);
        assertThat(info.get("Images").asInt()).isEqualTo(4);
        assertThat(info.get("DockerRootDir").asText()).isEqualTo("/state");
        assertThat(info.get("ServerVersion").asText()).isEqualTo("9.9.9");
        assertThat(info.get("Driver").asText()).isEqualTo("overlay2");
        assertThat(info.get("Runtimes").has("runc")).isTrue();
        assertThat(info.get("Swarm").get("LocalNodeState").asText()).isEqualTo("inactive");
        assertThat(info.get("Labels").get(0).asText()).isEqualTo("io.jcompose.root-id=abc123");
    }
}
