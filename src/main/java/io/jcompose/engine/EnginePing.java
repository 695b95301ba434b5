package io.jcompose.engine;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Whether an engine answers on a socket: {@code GET /_ping} → 200, with a timeout. JDK only (no JNR on the CLI's path). */
public final class EnginePing {
    private EnginePing() {}

    public static boolean ping(Path socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: engine\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(512);
            try (Selector sel = Selector.open()) {
                ch.register(sel, SelectionKey.OP_READ);
                while (buf.position() < 12) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) return false;
                    sel.select(left);
                    if (ch.read(buf) < 0) break;
                }
            }
            String status = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
            return status.startsWith("HTTP/1.1 200") || status.startsWith("HTTP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }
}
