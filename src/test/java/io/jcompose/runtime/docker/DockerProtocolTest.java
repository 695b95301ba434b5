package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.FakeEngine.chunked;
import static io.jcompose.runtime.docker.FakeEngine.frame;
import static io.jcompose.runtime.docker.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.EngineException.Category;
import io.jcompose.runtime.Event;
import io.jcompose.runtime.EventFilter;
import io.jcompose.runtime.Feed;
import io.jcompose.runtime.LogFrame;
import io.jcompose.runtime.LogOptions;
import io.jcompose.runtime.PullProgress;
import io.jcompose.runtime.RegistryAuth;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP/1.1 client and API mapping against a scripted fake engine on a temp unix socket. */
class DockerProtocolTest {
    @TempDir
    Path dir;
    private FakeEngine engine;
    private DockerRuntime runtime;
    private final RegistryCredentials noCreds = new RegistryCredentials(MissingNode.getInstance(),
            (h, s) -> Optional.empty());

    @AfterEach
    void close() throws IOException {
        if (runtime != null) runtime.close();
        if (engine != null) engine.close();
    }

    private DockerRuntime start(FakeEngine.Handler h) throws IOException {
        engine = new FakeEngine(dir, (req, in, out) -> {
            if (req.target().equals("/_ping")) {
                out.write("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return true;
            }
            return h.handle(req, in, out);
        });
        runtime = DockerRuntime.forTest(engine.transport(), noCreds, null);
        return runtime;
    }

    @Test
    void keepAliveReusesOneConnectionAndCountsCalls() throws IOException {
        start((req, in, out) -> json(out, 200, "{\"Name\":\"v1\",\"Driver\":\"local\",\"Labels\":{\"a\":\"b\"}}"));
        assertThat(runtime.volumes().inspect("v1").labels()).containsEntry("a", "b");
        assertThat(runtime.volumes().inspect("v1").driver()).isEqualTo("local");
        assertThat(runtime.apiCalls()).isEqualTo(3); // ping + 2
        assertThat(runtime.connectionsOpened()).isEqualTo(1);
        assertThat(engine.connections.get()).isEqualTo(1);
        assertThat(engine.requests.get(1).target()).isEqualTo("/v1.41/volumes/v1");
    }

    @Test
    void chunkedResponseIsDecodedAndConnectionReused() throws IOException {
        String body = "{\"Name\":\"v1\",\"Driver\":\"local\",\"Mountpoint\":\"/var/lib/x\"}";
        start((req, in, out) -> chunked(out, 200, "application/json", List.of(
                body.substring(0, 5).getBytes(StandardCharsets.UTF_8),
                body.substring(5, 6).getBytes(StandardCharsets.UTF_8),
                body.substring(6).getBytes(StandardCharsets.UTF_8))));
        assertThat(runtime.volumes().inspect("v1").mountpoint()).isEqualTo("/var/lib/x");
        assertThat(runtime.volumes().inspect("v1").name()).isEqualTo("v1");
        assertThat(engine.connections.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"404,NOT_FOUND", "409,CONFLICT", "400,INVALID", "401,UNAUTHORIZED", "500,UNAVAILABLE",
            "503,UNAVAILABLE", "418,OTHER"})
    void statusMapsToCategoryAndKeepsEngineMessage(int status, Category category) throws IOException {
        start((req, in, out) -> json(out, status, "{\"message\":\"No such container: web-1\"}"));
        assertThatThrownBy(() -> runtime.containers().inspect("web-1"))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.category()).isEqualTo(category);
                    assertThat(e.engineMessage()).isEqualTo("No such container: web-1");
                    assertThat(e).hasMessage("inspect container web-1: No such container: web-1");
                });
    }

    @Test
    void plainTextErrorBodyIsKept() throws IOException {
        start((req, in, out) -> {
            out.write("HTTP/1.1 409 Conflict\r\nContent-Length: 9\r\n\r\nname used".getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        });
        assertThatThrownBy(() -> runtime.networks().remove("n"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.engineMessage()).isEqualTo("name used"));
    }

    @Test
    void missingSocketIsUnavailable() {
        runtime = DockerRuntime.forTest(new UnixTransport(dir.resolve("nothing.sock")), noCreds, null);
        assertThatThrownBy(() -> runtime.system().ping())
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.category()).isEqualTo(Category.UNAVAILABLE);
                    assertThat(e).hasMessage("cannot reach the engine at unix://" + dir.resolve("nothing.sock")
                            + " (no such socket)");
                });
    }

    @ParameterizedTest
    @CsvSource({"1.40,1.40", "1.41,1.41", "1.43,1.41", "1.9,1.9"})
    void versionIsNegotiatedDownToTheEngine(String server, String expected) throws IOException {
        engine = new FakeEngine(dir, (req, in, out) -> {
            if (req.target().equals("/_ping")) {
                out.write(("HTTP/1.1 200 OK\r\nAPI-Version: " + server + "\r\nContent-Length: 2\r\n\r\nOK")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return true;
            }
            return json(out, 200, "{\"Version\":\"20.10\",\"ApiVersion\":\"" + server + "\"}");
        });
        runtime = DockerRuntime.forTest(engine.transport(), noCreds, null);
        assertThat(runtime.system().version().apiVersion()).isEqualTo(server);
        assertThat(runtime.apiVersion()).isEqualTo(expected);
        assertThat(runtime.apiCalls()).isEqualTo(2); // negotiation ping + version
        assertThat(engine.requests.get(engine.requests.size() - 1).target()).isEqualTo("/v" + expected + "/version");
    }

    @Test
    void anExplicitPingAlsoNegotiates() throws IOException {
        start((req, in, out) -> json(out, 200, "{}"));
        assertThat(runtime.system().ping()).isEqualTo("1.41");
        runtime.system().info();
        assertThat(runtime.apiCalls()).isEqualTo(2);
        assertThat(engine.requests).extracting(FakeEngine.Request::target).containsExactly("/_ping", "/v1.41/info");
    }

    @Test
    void multiplexedLogFramesSurviveChunkBoundaries() throws IOException {
        byte[] all = concat(frame(1, "hello\n"), frame(2, "oops\n"), frame(1, "bye\n"));
        start((req, in, out) -> {
            if (req.target().contains("/json")) return json(out, 200, "{\"Id\":\"c1\",\"Config\":{\"Tty\":false}}");
            // Split inside the first header and inside the second payload.
            return chunked(out, 200, "application/vnd.docker.raw-stream",
                    List.of(Arrays.copyOfRange(all, 0, 3), Arrays.copyOfRange(all, 3, 17), Arrays.copyOfRange(all, 17,
                            all.length)));
        });
        List<String> got = new ArrayList<>();
        try (Feed<LogFrame> logs = runtime.containers().logs("c1", LogOptions.ALL.withTail(10))) {
            logs.forEachRemaining(f -> got.add(f.stream() + ":" + f.text()));
        }
        assertThat(got).containsExactly("STDOUT:hello\n", "STDERR:oops\n", "STDOUT:bye\n");
        FakeEngine.Request logReq = engine.requests.get(engine.requests.size() - 1);
        assertThat(logReq.target()).isEqualTo(
                "/v1.41/containers/c1/logs?stdout=true&stderr=true&follow=false&tail=10&timestamps=false");
    }

    @Test
    void ttyLogsAreRawStdout() throws IOException {
        start((req, in, out) -> {
            if (req.target().contains("/json")) return json(out, 200, "{\"Id\":\"c1\",\"Config\":{\"Tty\":true}}");
            return chunked(out, 200, "application/vnd.docker.raw-stream",
                    List.of("\u0001raw tty\r\n".getBytes(StandardCharsets.UTF_8)));
        });
        try (Feed<LogFrame> logs = runtime.containers().logs("c1", LogOptions.ALL)) {
            LogFrame f = logs.next();
            assertThat(f.stream()).isEqualTo(LogFrame.Stream.STDOUT);
            assertThat(f.text()).isEqualTo("\u0001raw tty\r\n");
            assertThat(logs.hasNext()).isFalse();
        }
    }

    @Test
    void truncatedFrameIsAnError() {
        byte[] f = frame(1, "hello");
        FrameReader r = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(f, f.length - 2)), true);
        assertThatThrownBy(r::next).isInstanceOf(IOException.class).hasMessageContaining("inside a frame");
        FrameReader bad = new FrameReader(new ByteArrayInputStream(new byte[] {9, 0, 0, 0, 0, 0, 0, 1, 1}), true);
        assertThatThrownBy(bad::next).hasMessageContaining("frame type 9");
    }

    @Test
    void malformedChunkSizeIsAnError() {
        InputStream in = new ChunkedInputStream(new ByteArrayInputStream("zz\r\nabc".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(in::readAllBytes).hasMessageContaining("malformed chunk size");
    }

    @Test
    void eventStreamYieldsEventsAndCloseEndsAFollow() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> opened = new CompletableFuture<>();
        start((req, in, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            try {
                opened.get(10, TimeUnit.SECONDS); // no event until the client has its feed: stream() must not block
            } catch (Exception e) {
                return false;
            }
            String e = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"abc\",\"Attributes\":"
                    + "{\"name\":\"web-1\"}},\"time\":1,\"timeNano\":1000000001}\n";
            out.write((Integer.toHexString(e.length()) + "\r\n" + e + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                release.get(10, TimeUnit.SECONDS); // keep the stream open like a real follow
            } catch (Exception ignored) {
                // test over
            }
            return false;
        });
        Feed<Event> feed = runtime.events().stream(new EventFilter(null, null,
                java.util.Map.of("type", List.of("container"))));
        opened.complete(null);
        Event first = feed.next();
        assertThat(first.action()).isEqualTo("start");
        assertThat(first.actorId()).isEqualTo("abc");
        assertThat(first.attributes()).containsEntry("name", "web-1");
        assertThat(first.time().getNano()).isEqualTo(1);
        CompletableFuture<Boolean> more = CompletableFuture.supplyAsync(feed::hasNext);
        feed.close();
        assertThat(more.get(5, TimeUnit.SECONDS)).isFalse();
        release.complete(null);
        assertThat(engine.requests.get(1).target()).isEqualTo("/v1.41/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D");
    }

    @Test
    void pullSendsAuthAndReportsErrorsInsideTheStream() throws IOException {
        start((req, in, out) -> chunked(out, 200, "application/json", List.of(
                "{\"status\":\"Pulling from x\",\"id\":\"1\"}\r\n".getBytes(StandardCharsets.UTF_8),
                "{\"status\":\"Downloading\",\"id\":\"ab\",\"progressDetail\":{\"current\":5,\"total\":10}}"
                        .getBytes(StandardCharsets.UTF_8),
                "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}"
                        .getBytes(StandardCharsets.UTF_8))));
        List<PullProgress> seen = new ArrayList<>();
        assertThatThrownBy(() -> runtime.images().pull("localhost:5000/a/b:1",
                Optional.of(new RegistryAuth("u", "p", "", "localhost:5000")), seen::add))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.category()).isEqualTo(Category.NOT_FOUND);
                    assertThat(e).hasMessage("pull localhost:5000/a/b:1: manifest unknown");
                });
        assertThat(seen).containsExactly(new PullProgress("1", "Pulling from x", 0, 0),
                new PullProgress("ab", "Downloading", 5, 10));
        FakeEngine.Request req = engine.requests.get(1);
        assertThat(req.target()).isEqualTo("/v1.41/images/create?fromImage=localhost%3A5000%2Fa%2Fb&tag=1");
        String auth = new String(Base64.getUrlDecoder().decode(req.headers().get("X-Registry-Auth")),
                StandardCharsets.UTF_8);
        assertThat(new ObjectMapper().readTree(auth).path("username").asText()).isEqualTo("u");
        assertThat(new ObjectMapper().readTree(auth).path("serveraddress").asText()).isEqualTo("localhost:5000");
    }

    @Test
    void staleKeptAliveConnectionIsRetriedTransparently() throws IOException {
        // The server answers and then closes without saying so: the pooled connection is dead.
        start((req, in, out) -> !json(out, 200, "{\"Name\":\"v\"}"));
        assertThat(runtime.volumes().inspect("v").name()).isEqualTo("v");
        assertThat(runtime.volumes().inspect("v").name()).isEqualTo("v");
        assertThat(runtime.apiCalls()).isEqualTo(3);
    }

    @Test
    void startOfARunningContainerIsANoOp() throws IOException {
        start((req, in, out) -> {
            out.write("HTTP/1.1 304 Not Modified\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        });
        runtime.containers().start("c1");
        runtime.containers().stop("c1", java.time.Duration.ofSeconds(3));
        assertThat(engine.requests.get(2).target()).isEqualTo("/v1.41/containers/c1/stop?t=3");
        assertThat(engine.connections.get()).isEqualTo(1);
    }

    @Test
    void chunkedRequestBodyAndHijackedBidirectionalStream() throws Exception {
        engine = new FakeEngine(dir, (req, in, out) -> {
            if (req.target().equals("/upload")) return json(out, 200, "{\"got\":\"" + req.bodyText() + "\"}");
            // Hijack: 101, then echo upper-cased bytes until the client half-closes.
            out.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            int c;
            while ((c = in.read()) >= 0) {
                out.write(Character.toUpperCase(c));
                out.flush();
            }
            return false;
        });
        try (Http1Client http = new Http1Client(engine.transport())) {
            try (HttpResponse r = http.execute(HttpRequest.of("POST", "/upload").withBodyStream(
                    new ByteArrayInputStream("streamed-body".getBytes(StandardCharsets.UTF_8)), "text/plain"))) {
                assertThat(new String(r.bytes(), StandardCharsets.UTF_8)).contains("streamed-body");
            }
            assertThat(engine.requests.get(0).headers()).containsEntry("Transfer-Encoding", "chunked");
            HttpResponse up = http.upgrade(HttpRequest.of("POST", "/exec/x/start").json("{}".getBytes()));
            assertThat(up.status()).isEqualTo(101);
            try (Connection raw = up.hijack()) {
                OutputStream o = raw.out();
                o.write("abc".getBytes(StandardCharsets.UTF_8));
                raw.shutdownOutput();
                assertThat(new String(raw.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ABC");
            }
            assertThat(engine.requests.get(1).headers()).containsEntry("Upgrade", "tcp");
        }
    }

    @Test
    void execHijacksTheStartAndCollectsDemultiplexedOutput() throws IOException {
        start((req, in, out) -> {
            if (req.target().endsWith("/exec")) return json(out, 201, "{\"Id\":\"e1\"}");
            if (req.target().endsWith("/json")) return json(out, 200, "{\"Running\":false,\"ExitCode\":4}");
            out.write(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(concat(frame(1, "out"), frame(2, "err")));
            out.flush();
            return false;
        });
        var r = runtime.containers().exec("c1", io.jcompose.runtime.ExecSpec.of("sh", "-c", "x"));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdoutText()).isEqualTo("out");
        assertThat(r.stderrText()).isEqualTo("err");
        assertThat(engine.requests.get(1).bodyText()).contains("\"Cmd\":[\"sh\",\"-c\",\"x\"]");
        assertThat(engine.requests.get(2).headers()).containsEntry("Upgrade", "tcp");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }
}
