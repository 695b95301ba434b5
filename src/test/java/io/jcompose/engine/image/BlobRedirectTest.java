package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake registry on 127.0.0.1 that wants Basic auth and redirects blob GETs to "storage" on 127.0.0.2, as
 * registries backed by S3/GCS do: the client must follow the redirect and must not send Authorization there.
 */
@org.junit.jupiter.api.Tag("integration") // unpacking sets owners: root
class BlobRedirectTest {
    @TempDir Path tmp;
    HttpServer registry;
    HttpServer storage;
    final Map<String, String> storageSawAuth = new ConcurrentHashMap<>();
    TestImage img;

    @BeforeEach
    void start() throws IOException {
        Infra.require(Infra.isRoot(), "root (layer owners)");
        img = TestImage.build(true, "amd64", List.of(TestImage.layer("r", "redirected")));
        storage = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        storage.createContext("/", ex -> {
            storageSawAuth.put(ex.getRequestURI().getPath(), String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            String hex = ex.getRequestURI().getPath().substring(ex.getRequestURI().getPath().lastIndexOf('/') + 1);
            byte[] body = blob(hex);
            if (ex.getRequestURI().getQuery() != null && ex.getRequestURI().getQuery().contains("tamper")) body = "evil".getBytes();
            reply(ex, body == null ? 404 : 200, body == null ? new byte[0] : body, Map.of());
        });
        storage.start();
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/v2/", ex -> {
            if (!"Basic dTpw".equals(ex.getRequestHeaders().getFirst("Authorization"))) { // u:p
                reply(ex, 401, new byte[0], Map.of("WWW-Authenticate", "Basic realm=\"fake\""));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.contains("/manifests/")) {
                reply(ex, 200, img.manifest(), Map.of("Content-Type", img.mediaType(), "Docker-Content-Digest", img.digest().toString()));
            } else if (path.contains("/blobs/sha256:")) {
                String hex = path.substring(path.indexOf("sha256:") + 7);
                String q = path.contains("/tamper/") ? "?tamper=1" : "";
                reply(ex, 307, new byte[0], Map.of("Location", "http://127.0.0.2:" + storage.getAddress().getPort() + "/storage/" + hex + q));
            } else {
                reply(ex, 404, new byte[0], Map.of());
            }
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        if (registry != null) registry.stop(0);
        if (storage != null) storage.stop(0);
    }

    private byte[] blob(String hex) {
        if (img.configDigest().hex().equals(hex)) return img.config();
        for (byte[] l : img.layers()) if (Digest.of(l).hex().equals(hex)) return l;
        return null;
    }

    private static void reply(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
        ex.close();
    }

    @Test
    void followsRedirectsWithoutLeakingCredentials() throws IOException {
        String name = "127.0.0.1:" + registry.getAddress().getPort() + "/app/x:1";
        try (ImageService s = new ImageService(tmp, new RegistryClient(RegistryConfig.defaults()), p -> false)) {
            ImageInspect i = s.pull(name, RegistryAuth.basic("u", "p"), Optional.empty(), m -> {});
            assertThat(i.id()).isEqualTo(img.configDigest().toString());
            assertThat(s.layerDirs(name).get(0).resolve("srv/r")).hasContent("redirected");
        }
        assertThat(storageSawAuth).hasSize(2).allSatisfy((path, auth) -> assertThat(auth).isEqualTo("null"));
    }

    @Test
    void redirectedContentIsStillVerified() throws IOException {
        String name = "127.0.0.1:" + registry.getAddress().getPort() + "/tamper/x:1";
        try (ImageService s = new ImageService(tmp, new RegistryClient(RegistryConfig.defaults()), p -> false)) {
            assertThatThrownBy(() -> s.pull(name, RegistryAuth.basic("u", "p"), Optional.empty(), m -> {}))
                    .isInstanceOf(DigestMismatchException.class);
            assertThat(s.contentStore().list()).isEmpty();
        }
    }
}
