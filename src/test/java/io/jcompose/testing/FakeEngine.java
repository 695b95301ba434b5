package io.jcompose.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for {@code jcompose engine} in the EngineFixture's own test: answers every request with 200 "OK"
 * on {@code --socket} and exits 0 on SIGTERM. Usage: {@code FakeEngine engine --root DIR --socket PATH}.
 */
public final class FakeEngine {
    private FakeEngine() {}

    public static void main(String[] args) throws IOException {
        Path socket = null;
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("--socket")) socket = Path.of(args[i + 1]);
        if (socket == null) {
            System.err.println("fake engine: --socket PATH is required");
            System.exit(2);
        }
        Path s = socket;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(s);
            } catch (IOException ignored) {
                // exiting anyway
            }
        }));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            System.out.println("fake engine listening on " + socket);
            while (true) {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(8192);
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().contains("\r\n\r\n") && c.read(in) > 0) {
                        in.flip();
                        head.append(StandardCharsets.ISO_8859_1.decode(in));
                        in.clear();
                    }
                    c.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"
                            .getBytes(StandardCharsets.US_ASCII)));
                }
            }
        }
    }
}
