package io.jcompose.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A tiny HTTP/1.1 client over a unix socket (JDK only, one request per connection), for fixtures and tests
 * that must not depend on the project's own Docker client. Handles Content-Length, chunked and read-to-close.
 */
public final class UnixHttp {
    private UnixHttp() {}

    public record Response(int status, String body) {}

    public static Response get(Path socket, String path) throws IOException {
        return request(socket, "GET", path, null);
    }

    public static Response post(Path socket, String path, String jsonBody) throws IOException {
        return request(socket, "POST", path, jsonBody);
    }

    public static Response delete(Path socket, String path) throws IOException {
        return request(socket, "DELETE", path, null);
    }

    /** True if {@code GET /_ping} answers 200 "OK" within the socket's connect; never throws. */
    public static boolean pingOk(Path socket) {
        try {
            Response r = get(socket, "/_ping");
            return r.status() == 200 && r.body().strip().equals("OK");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static Response request(Path socket, String method, String path, String jsonBody) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (jsonBody == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.wrap(body);
            while (b.hasRemaining()) ch.write(b);
            byte[] raw = Channels.newInputStream(ch).readAllBytes();
            return parse(raw);
        }
    }

    static Response parse(byte[] raw) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) throw new IOException("malformed HTTP response (" + raw.length + " bytes, no header end)");
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2) throw new IOException("malformed status line '" + lines[0] + "'");
        boolean chunked = false;
        for (String h : lines) {
            if (h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:") && h.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
        }
        int start = end + 4;
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pos = start;
            while (true) {
                int eol = indexOf(raw, new byte[] {'\r', '\n'}, pos);
                if (eol < 0) break;
                String sizeLine = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII).split(";")[0].trim();
                int size = Integer.parseInt(sizeLine, 16);
                if (size == 0) break;
                out.write(raw, eol + 2, size);
                pos = eol + 2 + size + 2;
            }
            body = out.toByteArray();
        } else {
            body = java.util.Arrays.copyOfRange(raw, start, raw.length);
        }
        return new Response(Integer.parseInt(status[1]), new String(body, StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
