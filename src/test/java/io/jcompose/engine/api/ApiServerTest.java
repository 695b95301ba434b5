package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.engine.Infra;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server on a real unix socket, in process: progressive streams, two-way hijacks, shutdown. Needs root (peer check). */
@Tag("integration")
@Timeout(60)
class ApiServerTest {
    Path root;
    ApiServer server;
    final Routes routes = new Routes();
    final CountDownLatch clientReadFirstLine = new CountDownLatch(1);
    final CountDownLatch handlerEntered = new CountDownLatch(1);
    final CountDownLatch releaseHandler = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        Infra.require(Infra.isRoot(), "root (only root peers are admitted)");
        root = Infra.tempRoot();
        routes.get("/progress", (q, s) -> {
            OutputStream out = s.stream(200, "application/json");
            out.write("{\"status\":\"first\"}\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The second line is only written once the client has seen the first: proves flush() delivers now.
            if (!clientReadFirstLine.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("client never saw line 1");
            out.write("{\"status\":\"second\"}\n".getBytes(StandardCharsets.US_ASCII));
        });
        routes.post("/exec/{id}/start", (q, s) -> {
            Response.Hijacked h = s.hijack("application/vnd.docker.raw-stream");
            // A reader blocked on the socket while this thread writes: must not deadlock (see ChannelTransport).
            Thread reader = new Thread(() -> {
                try {
                    byte[] in = h.in().readAllBytes();
                    h.out().write(("echo:" + new String(in, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    h.out().flush();
                    h.closeWrite();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
            h.out().write("ready\n".getBytes(StandardCharsets.US_ASCII));
            h.out().flush();
            reader.join(20_000);
        });
        routes.get("/slow", (q, s) -> {
            handlerEntered.countDown();
            releaseHandler.await(30, TimeUnit.SECONDS);
            s.text(200, "text/plain", "late");
        });
        routes.get("/_ping", (q, s) -> s.text(200, "text/plain", "OK"));
    }

    @AfterEach
    void tearDown() throws Exception {
        releaseHandler.countDown();
        if (server != null) server.close();
        if (root != null) Infra.deleteTempRoot(root);
    }

    void start(Duration grace) throws IOException {
        start(grace, Duration.ofMinutes(5));
    }

    void start(Duration grace, Duration idle) throws IOException {
        server = ApiServer.start(new ApiServer.Options(root.resolve("s.sock"), Optional.empty(), 8, grace, "test/1", idle), routes);
    }

    SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(root.resolve("s.sock")));
        return ch;
    }

    static void send(SocketChannel ch, String s) throws IOException {
        ch.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Reads until {@code marker} has arrived; returns everything read. */
    static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int b = in.read();
            if (b < 0) throw new IOException("end of stream before \"" + marker + "\"; got: " + got.toString(StandardCharsets.ISO_8859_1));
            got.write(b);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void streamedLinesArriveWhenFlushed() throws Exception {
        start(Duration.ofSeconds(1));
        try (SocketChannel ch = connect()) {
            InputStream in = Channels.newInputStream(ch);
            send(ch, "GET /v1.41/progress HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = readUntil(in, "{\"status\":\"first\"}\n");
            assertThat(head).contains("Transfer-Encoding: chunked");
            clientReadFirstLine.countDown();
            assertThat(readUntil(in, "0\r\n\r\n")).contains("{\"status\":\"second\"}\n");
        }
    }

    @Test
    void hijackedConnectionCarriesBothDirectionsAtOnce() throws Exception {
        start(Duration.ofSeconds(1));
        try (SocketChannel ch = connect()) {
            InputStream in = Channels.newInputStream(ch);
            send(ch, "POST /v1.41/exec/e1/start HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\n\r\n");
            assertThat(readUntil(in, "ready\n")).startsWith("HTTP/1.1 101 UPGRADED\r\n");
            send(ch, "stdin data");
            ch.shutdownOutput();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("echo:stdin data");
        }
    }

    @Test
    void closeDropsIdleConnectionsWaitsForBusyOnesThenCuts() throws Exception {
        start(Duration.ofMillis(300));
        SocketChannel idle = connect();
        SocketChannel busy = connect();
        try (idle; busy) {
            InputStream idleIn = Channels.newInputStream(idle);
            send(idle, "GET /_ping HTTP/1.1\r\n\r\n");
            readUntil(idleIn, "\r\n\r\nOK");
            send(busy, "GET /slow HTTP/1.1\r\n\r\n");
            assertThat(handlerEntered.await(20, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            server.close();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(250L, 5_000L); // waited for the busy request, up to the grace period
            assertThat(Files.exists(root.resolve("s.sock"))).isFalse();
            assertThat(idleIn.read()).isEqualTo(-1);
            assertThat(Channels.newInputStream(busy).read()).isEqualTo(-1); // cut, no late answer
        }
    }

    @Test
    void idleConnectionsAreClosedButStreamsAreNot() throws Exception {
        start(Duration.ofSeconds(1), Duration.ofMillis(200));
        try (SocketChannel idle = connect(); SocketChannel streaming = connect()) {
            InputStream idleIn = Channels.newInputStream(idle);
            send(idle, "GET /_ping HTTP/1.1\r\n\r\n");
            readUntil(idleIn, "\r\n\r\nOK");
            InputStream streamIn = Channels.newInputStream(streaming);
            send(streaming, "GET /progress HTTP/1.1\r\n\r\n");
            readUntil(streamIn, "first");
            long t0 = System.nanoTime();
            assertThat(idleIn.read()).isEqualTo(-1); // blocks until the reaper closes it
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(100L);
            // The stream is busy, not idle: it stays (the idle one leaves the set as its thread finishes).
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 1);
            clientReadFirstLine.countDown();
            assertThat(readUntil(streamIn, "0\r\n\r\n")).contains("second");
        }
    }

    @Test
    void inFlightRequestFinishesWithinGrace() throws Exception {
        start(Duration.ofSeconds(20));
        try (SocketChannel busy = connect()) {
            send(busy, "GET /slow HTTP/1.1\r\n\r\n");
            assertThat(handlerEntered.await(20, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(server::close);
            closer.start();
            // The socket file goes once every connection knows the server is closing.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(root.resolve("s.sock")));
            releaseHandler.countDown();
            String answer = new String(Channels.newInputStream(busy).readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("Connection: close").endsWith("late");
            closer.join(20_000);
            assertThat(closer.isAlive()).isFalse();
        }
    }
}
