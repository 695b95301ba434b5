package io.jcompose.runtime.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** HTTP/1.1 framing: request head out, status line and headers in. */
final class HttpWire {
    private static final int MAX_LINE = 64 * 1024;

    private HttpWire() {}

    /** Reads a CRLF- (or LF-) terminated line as ISO-8859-1. Throws EOFException at end of stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (sb.length() == 0) throw new EOFException("connection closed");
                throw new IOException("connection closed inside a line");
            }
            if (c == '\n') break;
            if (sb.length() >= MAX_LINE) throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            sb.append((char) c);
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
        return sb.toString();
    }

    static void writeHead(OutputStream out, HttpRequest req, String host, Map<String, String> extra)
            throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append(req.method()).append(' ').append(req.target()).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append("\r\n");
        sb.append("User-Agent: jcompose\r\n");
        req.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        extra.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Status line and headers of a response. Header names are case-insensitive; repeated values joined by ", ". */
    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }
    }

    static Head readHead(InputStream in) throws IOException {
        String status;
        do {
            status = readLine(in);
        } while (status.isEmpty()); // tolerate stray CRLF between responses
        if (!status.startsWith("HTTP/1.")) throw new IOException("not an HTTP response: \"" + abbreviate(status) + "\"");
        String[] parts = status.split(" ", 3);
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("malformed status line: \"" + abbreviate(status) + "\"");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        while (true) {
            String line = readLine(in);
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IOException("malformed header line: \"" + abbreviate(line) + "\"");
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new Head(code, parts.length > 2 ? parts[2] : "", headers);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
