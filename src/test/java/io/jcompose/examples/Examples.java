package io.jcompose.examples;

import io.jcompose.testing.EngineFixture;
import io.jcompose.testing.Exec;
import io.jcompose.testing.Infra;
import io.jcompose.testing.Registry;
import io.jcompose.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * What the example tests share: the checkout's examples/ directory, a built-in engine per test class whose docker.io
 * mirror is the fixture {@link Registry} (the air-gapped set-up of docs/air-gapped.md, with a registry on a free
 * port), the images the examples name pushed there, and the jcompose CLI run as a separate process against that
 * engine, as a user runs it.
 *
 * <p>Per class, not per JVM: stopping an engine deletes its root (hundreds of MB of unpacked images), which must
 * happen inside a test class's time, not in a shutdown hook that surefire cuts off after 30 s.
 */
final class Examples implements AutoCloseable {
    static final Path DIR = Path.of(System.getProperty("jcompose.projectDir", ".")).toAbsolutePath().resolve("examples");
    private static boolean webStackImages;
    private final EngineFixture engine;

    private Examples(EngineFixture engine) {
        this.engine = engine;
    }

    /** A new engine with {@code --registry-mirror docker.io=http://<fixture registry>}; the caller closes it. */
    static Examples start() {
        Infra.requireRoot();
        Registry reg = Registry.shared();
        try {
            return new Examples(EngineFixture.start(EngineFixture.defaultLauncher(),
                    List.of("--registry-mirror", "docker.io=http://" + reg.host()), Duration.ofSeconds(60)));
        } catch (IllegalStateException ex) {
            Infra.require(false, "no jcompose engine: " + ex.getMessage());
            throw ex;
        }
    }

    EngineFixture engine() {
        return engine;
    }

    @Override public void close() {
        engine.close();
    }

    /** The quickstart's image, busybox, in the mirror (as docker.io/library/busybox:latest). */
    static void busyboxImage() {
        TestImages.ref("busybox");
    }

    /**
     * The web-stack's images, built (or taken from the cache) and pushed to the mirror by the example's own
     * make-images.sh: the script a user runs is the one under test.
     */
    static synchronized void webStackImages() {
        if (webStackImages) return;
        Infra.requireBinary("mmdebstrap");
        Infra.requireBinary("skopeo");
        Registry reg = Registry.shared();
        Map<String, String> env = new TreeMap<>();
        env.put("JCOMPOSE_TEST_CACHE", TestImages.cacheDir().toString());
        Exec.Result r = Exec.run(List.of(DIR.resolve("web-stack/make-images.sh").toString(), reg.host()), env, Duration.ofMinutes(20));
        if (!r.ok()) throw new AssertionError("make-images.sh failed (exit " + r.exitCode() + "):\n" + r.out() + r.err());
        webStackImages = true;
    }

    /** Every Compose file under examples/, sorted. */
    static List<Path> composeFiles() {
        try (Stream<Path> s = Files.walk(DIR)) {
            return s.filter(p -> p.getFileName().toString().matches("(docker-)?compose\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DIR, e);
        }
    }

    /** The jcompose command (the code under test, as EngineFixture launches the engine). */
    static List<String> jcomposeCommand() {
        return EngineFixture.defaultLauncher();
    }

    /** The environment that points jcompose at {@link #engine()} and nothing else, plus {@code extra}. */
    Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new TreeMap<>();
        env.put("JCOMPOSE_RUNTIME", "builtin");
        env.put("JCOMPOSE_ENGINE_SOCKET", engine().socket().toString());
        env.put("DOCKER_HOST", "");
        env.putAll(extra);
        return env;
    }

    /** {@code jcompose args…} against the engine, up to 5 minutes. */
    Exec.Result jcompose(Map<String, String> extra, String... args) {
        List<String> cmd = new ArrayList<>(jcomposeCommand());
        cmd.addAll(List.of(args));
        return Exec.run(cmd, env(extra), Duration.ofMinutes(5));
    }

    /** As {@link #jcompose}, and it must exit 0. */
    Exec.Result ok(Map<String, String> extra, String... args) {
        Exec.Result r = jcompose(extra, args);
        if (!r.ok()) throw new AssertionError("jcompose " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.out() + r.err());
        return r;
    }

    /** The docker CLI against the engine: an observer independent of the jcompose CLI. */
    Exec.Result docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Infra.requireBinary("docker").toString(), "-H", engine().dockerHost()));
        cmd.addAll(List.of(args));
        return Exec.run(cmd).check();
    }

    /** A project name no other test run uses. */
    static String project(String prefix) {
        return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET http://127.0.0.1:port/path; returns "STATUS BODY". */
    static String get(int port, String path) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET :" + port + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
