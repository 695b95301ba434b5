package io.jcompose.engine.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads HTTP/1.x requests from a stream: the head (request line + headers), then a body stream framed by
 * {@code Transfer-Encoding: chunked} or {@code Content-Length} (neither: no body). Limits keep a hostile or broken
 * client from making us buffer without end.
 */
final class HttpReader {
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_HEADERS = 200;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private HttpReader() {}

    /** Reads the next request head; null at a clean end of stream before any byte of a request. */
    static RequestHead readHead(InputStream in) throws IOException {
        String line;
        int budget = MAX_HEAD;
        // RFC 9112 §2.2: a server should ignore at least one empty line before the request line.
        do {
            line = readLine(in, true);
            if (line == null) return null;
            budget -= line.length() + 2;
        } while (line.isEmpty());

        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()) {
            throw new HttpProtocolException("malformed request line: " + abbreviate(line));
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new HttpProtocolException("unsupported protocol " + abbreviate(parts[2]));
        }
        Headers headers = new Headers();
        int count = 0;
        while (true) {
            String h = readLine(in, false);
            budget -= h.length() + 2;
            if (budget < 0) throw new HttpProtocolException("request head larger than " + MAX_HEAD + " bytes");
            if (h.isEmpty()) break;
            if (++count > MAX_HEADERS) throw new HttpProtocolException("more than " + MAX_HEADERS + " header fields");
            if (h.charAt(0) == ' ' || h.charAt(0) == '\t') throw new HttpProtocolException("obsolete header line folding");
            int colon = h.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(h.substring(0, colon)).matches()) {
                throw new HttpProtocolException("malformed header field: " + abbreviate(h));
            }
            headers.add(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        RequestHead head = new RequestHead(parts[0], parts[1], parts[2], headers);
        if (!head.chunked() && headers.all("Content-Length").size() > 1
                && headers.all("Content-Length").stream().distinct().count() > 1) {
            throw new HttpProtocolException("conflicting Content-Length headers");
        }
        return head;
    }

    /** The request body as a stream that ends where the body ends (the connection stays readable after it). */
    static InputStream body(RequestHead head, InputStream in) throws IOException {
        if (head.chunked()) return new ChunkedInputStream(in);
        var cl = head.headers().first("Content-Length");
        if (cl.isEmpty()) return InputStream.nullInputStream();
        long length;
        try {
            length = Long.parseLong(cl.get().trim());
        } catch (NumberFormatException e) {
            throw new HttpProtocolException("invalid Content-Length " + abbreviate(cl.get()));
        }
        if (length < 0) throw new HttpProtocolException("negative Content-Length " + length);
        return new FixedLengthInputStream(in, length);
    }

    /**
     * One line without its CRLF (a bare LF is accepted, as most servers do). At end of stream: null if
     * {@code eofOk} and nothing was read, otherwise a protocol error.
     */
    static String readLine(InputStream in, boolean eofOk) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofOk && buf.size() == 0) return null;
                throw new HttpProtocolException("connection closed in the middle of a line");
            }
            if (b == '\n') break;
            if (buf.size() >= MAX_LINE) throw new HttpProtocolException("line longer than " + MAX_LINE + " bytes");
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') len--;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? "\"" + s + "\"" : "\"" + s.substring(0, 80) + "…\"";
    }
}
