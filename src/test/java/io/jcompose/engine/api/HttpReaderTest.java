package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpReaderTest {
    static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void parsesRequestLineAndHeadersCaseInsensitively() throws IOException {
        RequestHead h = HttpReader.readHead(in("GET /v1.41/info?x=1 HTTP/1.1\r\nHost: docker\r\nX-Two: a\r\nx-two: b\r\n\r\n"));
        assertThat(h.method()).isEqualTo("GET");
        assertThat(h.target()).isEqualTo("/v1.41/info?x=1");
        assertThat(h.http11()).isTrue();
        assertThat(h.headers().first("HOST")).contains("docker");
        assertThat(h.headers().all("X-TWO")).containsExactly("a", "b");
        assertThat(h.keepAlive()).isTrue();
    }

    @Test
    void toleratesBareLfAndLeadingEmptyLines() throws IOException {
        RequestHead h = HttpReader.readHead(in("\r\n\nPOST /x HTTP/1.0\nContent-Length: 0\n\n"));
        assertThat(h.method()).isEqualTo("POST");
        assertThat(h.http11()).isFalse();
        assertThat(h.keepAlive()).isFalse();
    }

    @Test
    void cleanEndOfStreamIsNoRequest() throws IOException {
        assertThat(HttpReader.readHead(in(""))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /x\r\n\r\n",
            "GET /x HTTP/2.0\r\n\r\n",
            "GET  /x HTTP/1.1\r\n\r\n",
            "GET /x HTTP/1.1\r\nNo colon here\r\n\r\n",
            "GET /x HTTP/1.1\r\nBad Name: v\r\n\r\n",
            "GET /x HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
            "GET /x HTTP/1.1\r\nA: b\r\n",
            "GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"})
    void rejectsMalformedHeads(String raw) {
        assertThatThrownBy(() -> HttpReader.readHead(in(raw))).isInstanceOf(HttpProtocolException.class);
    }

    @Test
    void rejectsAnOverlongLine() {
        String raw = "GET /" + "a".repeat(HttpReader.MAX_LINE) + " HTTP/1.1\r\n\r\n";
        assertThatThrownBy(() -> HttpReader.readHead(in(raw))).isInstanceOf(HttpProtocolException.class).hasMessageContaining("longer");
    }

    @Test
    void contentLengthBodyEndsAtItsLengthAndLeavesTheNextRequest() throws IOException {
        InputStream s = in("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\n\r\n");
        RequestHead h = HttpReader.readHead(s);
        assertThat(new String(HttpReader.body(h, s).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(HttpReader.readHead(s).target()).isEqualTo("/b");
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws IOException {
        InputStream s = in("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 999\r\n\r\n"
                + "5;name=val\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        RequestHead h = HttpReader.readHead(s);
        assertThat(h.chunked()).isTrue();
        assertThat(new String(HttpReader.body(h, s).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello 0123456789");
        assertThat(HttpReader.readHead(s).target()).isEqualTo("/b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5\r\nhel", "-1\r\n\r\n"})
    void rejectsBrokenChunks(String chunks) throws IOException {
        InputStream s = in("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
        InputStream body = HttpReader.body(HttpReader.readHead(s), s);
        assertThatThrownBy(body::readAllBytes).isInstanceOf(HttpProtocolException.class);
    }

    @Test
    void truncatedContentLengthBodyFails() throws IOException {
        InputStream s = in("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort");
        InputStream body = HttpReader.body(HttpReader.readHead(s), s);
        assertThatThrownBy(body::readAllBytes).isInstanceOf(HttpProtocolException.class).hasMessageContaining("5 bytes");
    }

    @Test
    void noLengthMeansNoBody() throws IOException {
        InputStream s = in("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        assertThat(HttpReader.body(HttpReader.readHead(s), s).readAllBytes()).isEmpty();
        assertThat(HttpReader.readHead(s).target()).isEqualTo("/b");
    }

    @Test
    void chunkedOutputRoundTripsAndFlushSendsAChunk() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ChunkedOutputStream out = new ChunkedOutputStream(wire, 16);
        out.write("{\"status\":\"a\"}\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(wire.toString(StandardCharsets.US_ASCII)).isEqualTo("f\r\n{\"status\":\"a\"}\n\r\n");
        byte[] big = "x".repeat(40).getBytes(StandardCharsets.US_ASCII);
        out.write(big);
        out.write('y');
        out.flush();
        out.flush(); // nothing buffered: must not write an empty (terminating) chunk
        out.close();
        String w = wire.toString(StandardCharsets.US_ASCII);
        assertThat(w).endsWith("1\r\ny\r\n0\r\n\r\n");
        InputStream back = new ChunkedInputStream(new ByteArrayInputStream(wire.toByteArray()));
        assertThat(new String(back.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("{\"status\":\"a\"}\n" + "x".repeat(40) + "y");
    }
}
