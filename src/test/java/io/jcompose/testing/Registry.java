package io.jcompose.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Docker registry (Debian's {@code docker-registry}, the distribution v2 server) on 127.0.0.1:&lt;free port&gt;
 * with its own config file and storage in a temp dir, started once per JVM and stopped at exit. It never uses
 * Debian's /etc/docker/registry/config.yml (port 5000, shared storage). Loopback registries are plain HTTP and
 * trusted by dockerd without configuration.
 *
 * <p>Binary: {@code jcompose.test.registry} / {@code JCOMPOSE_TEST_REGISTRY} (default docker-registry).
 */
public final class Registry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Registry shared;
    private static String sharedFailure;

    private final int port;
    private final Path dir;
    private final Daemon daemon;

    private Registry(int port, Path dir, Daemon daemon) {
        this.port = port;
        this.dir = dir;
        this.daemon = daemon;
    }

    /** The registry for this JVM, started on first use; skips (fails under CI=true) if it cannot start. */
    public static synchronized Registry shared() {
        if (shared == null && sharedFailure == null) {
            try {
                shared = start(Path.of(Infra.setting("jcompose.test.registry", "JCOMPOSE_TEST_REGISTRY", "docker-registry")));
                Registry r = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(r::stop, "stop-registry"));
            } catch (IllegalStateException e) {
                sharedFailure = e.getMessage();
            }
        }
        Infra.require(sharedFailure == null, "no registry: " + sharedFailure);
        return shared;
    }

    /** Starts a fresh registry; the caller stops it. Retries another port if the chosen one was taken meanwhile. */
    public static Registry start(Path binary) {
        Path bin = Infra.which(binary.toString()).orElseThrow(() -> new IllegalStateException(
                "registry binary '" + binary + "' not found (install docker-registry)"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Path dir = Files.createTempDirectory(Path.of("/tmp"), "jc-registry-");
                int port = freePort();
                Path config = dir.resolve("config.yml");
                Files.writeString(config, String.join("\n",
                        "version: 0.1",
                        "log:",
                        "  level: warn",
                        "  accesslog: {disabled: true}",
                        "storage:",
                        "  filesystem: {rootdirectory: " + dir.resolve("storage") + "}",
                        "  delete: {enabled: true}",
                        "http:",
                        "  addr: 127.0.0.1:" + port,
                        ""));
                Daemon d = Daemon.start("docker-registry", List.of(bin.toString(), "serve", config.toString()),
                        dir.resolve("registry.log"), Duration.ofSeconds(30), () -> answers(port));
                return new Registry(port, dir, d);
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare the registry's directory: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                last = e; // most likely the port was taken between choosing and binding
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return http(port, "/v2/").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> http(int port, String path, String... headers) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:PORT/<repoAndTag>}. */
    public String ref(String repoAndTag) {
        return host() + "/" + repoAndTag;
    }

    /**
     * Pushes tag {@code layoutTag} of the OCI layout at {@code layout} as {@code repoAndTag} with skopeo (an
     * independent check that the layout is valid). {@code v2s2}: convert to Docker schema2 on the way;
     * {@code all}: push every platform of an index. Returns the full reference.
     */
    public String push(Path layout, String layoutTag, String repoAndTag, boolean v2s2, boolean all) {
        Path skopeo = Infra.requireBinary("skopeo");
        List<String> cmd = new ArrayList<>(List.of(skopeo.toString(), "copy", "--quiet", "--dest-tls-verify=false"));
        if (v2s2) cmd.addAll(List.of("--format", "v2s2"));
        if (all) cmd.add("--all");
        cmd.add("oci:" + layout + ":" + layoutTag);
        cmd.add("docker://" + ref(repoAndTag));
        Exec.run(cmd).check();
        return ref(repoAndTag);
    }

    public String push(Path layout, String layoutTag, String repoAndTag) {
        return push(layout, layoutTag, repoAndTag, false, false);
    }

    /**
     * Pushes tag {@code layoutTag} of an OCI layout over plain HTTP with the distribution API, bytes unchanged,
     * whatever its media types. For Docker schema2 layouts: skopeo 1.9 reads only OCI media types from a
     * layout's index.json. Returns the full reference.
     */
    public String pushRaw(Path layout, String layoutTag, String repo, String tag) throws IOException {
        JsonNode desc = null;
        for (JsonNode m : JSON.readTree(layout.resolve("index.json").toFile()).path("manifests")) {
            if (layoutTag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) desc = m;
        }
        if (desc == null) throw new IOException("no tag '" + layoutTag + "' in " + layout.resolve("index.json"));
        byte[] manifest = Files.readAllBytes(blob(layout, desc.get("digest").asText()));
        JsonNode mj = JSON.readTree(manifest);
        List<JsonNode> blobs = new ArrayList<>();
        blobs.add(mj.get("config"));
        mj.get("layers").forEach(blobs::add);
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (JsonNode b : blobs) {
                String digest = b.get("digest").asText();
                HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (start.statusCode() != 202) throw new IOException("start upload of " + digest + " -> " + start.statusCode() + " " + start.body());
                String loc = start.headers().firstValue("Location").orElseThrow();
                URI put = URI.create("http://" + host()).resolve(loc + (loc.contains("?") ? "&" : "?") + "digest=" + digest);
                HttpResponse<String> done = http.send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofFile(blob(layout, digest))).build(), HttpResponse.BodyHandlers.ofString());
                if (done.statusCode() != 201) throw new IOException("upload of " + digest + " -> " + done.statusCode() + " " + done.body());
            }
            HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/" + tag))
                    .header("Content-Type", mj.get("mediaType").asText()).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (m.statusCode() != 201) throw new IOException("PUT manifest " + repo + ":" + tag + " -> " + m.statusCode() + " " + m.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return ref(repo + ":" + tag);
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** GETs a manifest with the full Accept list; returns [mediaType header, body]. */
    public String[] manifest(String repo, String reference) throws IOException {
        HttpResponse<String> r = http(port, "/v2/" + repo + "/manifests/" + reference, "Accept", String.join(",",
                "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.docker.distribution.manifest.v2+json"));
        if (r.statusCode() != 200) throw new IOException("GET manifest " + repo + ":" + reference + " -> " + r.statusCode() + " " + r.body());
        return new String[] {r.headers().firstValue("Content-Type").orElse(""), r.body()};
    }

    public Path log() {
        return daemon.log();
    }

    /** Stops the registry and deletes its storage. */
    public void stop() {
        daemon.stop(Duration.ofSeconds(10));
        TestFiles.deleteTree(dir, Path.of("/tmp"));
    }
}
