package io.jcompose.engine.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A private {@code docker-registry} (distribution 2.8) on 127.0.0.1:&lt;free port&gt; with its own config and storage.
 * The one place tests start a registry, so the shared harness fixture can replace it.
 */
public final class RegistryTestSupport implements AutoCloseable {
    /** Auth modes: none, htpasswd Basic, or Bearer tokens from {@code realm} signed by a key whose cert is {@code certBundle}. */
    public sealed interface Auth permits NoAuth, Basic, Token {}
    public record NoAuth() implements Auth {}
    public record Basic(String user, String password) implements Auth {}
    public record Token(String realm, String service, String issuer, Path certBundle) implements Auth {}

    private final Process process;
    private final int port;
    private final Path storage;
    private final Path log;

    private RegistryTestSupport(Process process, int port, Path storage, Path log) {
        this.process = process;
        this.port = port;
        this.storage = storage;
        this.log = log;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/docker-registry"));
    }

    public static RegistryTestSupport start(Path dir, Auth auth) throws IOException {
        Infra.require(available(), "/usr/bin/docker-registry (apt-get install docker-registry)");
        int port = freePort();
        Path storage = Files.createDirectories(dir.resolve("storage"));
        StringBuilder cfg = new StringBuilder("""
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(storage, port));
        if (auth instanceof Basic b) {
            Path htpasswd = dir.resolve("htpasswd");
            Process p = new ProcessBuilder("htpasswd", "-Bbn", b.user(), b.password()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            try {
                if (p.waitFor() != 0) throw new IOException("htpasswd failed: " + new String(out));
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            Files.write(htpasswd, out);
            cfg.append("auth:\n  htpasswd:\n    realm: test-realm\n    path: ").append(htpasswd).append('\n');
        } else if (auth instanceof Token t) {
            cfg.append("auth:\n  token:\n    realm: ").append(t.realm()).append("\n    service: ").append(t.service())
                    .append("\n    issuer: ").append(t.issuer()).append("\n    rootcertbundle: ").append(t.certBundle()).append('\n');
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, cfg);
        Path log = dir.resolve("registry.log");
        Process proc = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RegistryTestSupport r = new RegistryTestSupport(proc, port, storage, log);
        try {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!proc.isAlive()) throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
                try {
                    int s = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    return s == 200 || s == 401;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The registry's file for a blob: corrupt it to test digest checks. */
    public Path blobData(Digest d) {
        return storage.resolve("docker/registry/v2/blobs/sha256").resolve(d.hex().substring(0, 2)).resolve(d.hex()).resolve("data");
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Optional<String> run(Path cwd, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd + " timed out");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
        return Optional.of(out);
    }
}
