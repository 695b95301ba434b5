package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.engine.image.ImageBuilder;
import io.jcompose.testing.Dockerd;
import io.jcompose.testing.EngineFixture;
import io.jcompose.testing.Exec;
import io.jcompose.testing.Infra;
import io.jcompose.testing.Registry;
import io.jcompose.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the API: {@code docker -H <our socket> pull} of a 3-layer image (3 × 4 MiB incompressible)
 * from the harness registry vs {@code docker pull} on dockerd vs {@code skopeo copy} to an OCI directory; medians
 * of 5, the image removed between runs. Run: {@code mvn -o test -Dtest=ImageApiPullBenchmarkTest}; the numbers go
 * to stdout and target/api-pull-benchmark.txt.
 */
@Tag("integration")
@Tag("benchmark")
class ImageApiPullBenchmarkTest {
    static final int RUNS = 5;
    @TempDir Path tmp;

    @Test
    void pullThroughTheApi() throws Exception {
        Infra.requireRoot();
        Infra.requireBinary("docker");
        Infra.requireBinary("skopeo");
        Registry registry = Registry.shared();
        Dockerd dockerd = Dockerd.shared();
        Random rnd = new Random(42);
        ImageBuilder b = new ImageBuilder().cmd(List.of("sh"));
        for (int i = 0; i < 3; i++) {
            Path dir = Files.createDirectories(tmp.resolve("l" + i + "/data"));
            byte[] data = new byte[4 << 20];
            rnd.nextBytes(data);
            Files.write(dir.resolve("blob" + i), data);
            b.layer(tmp.resolve("l" + i));
        }
        String id = b.writeTo(tmp.resolve("layout"), "latest").configDigest();
        String ref = registry.push(tmp.resolve("layout"), "latest", "bench/api" + Long.toHexString(System.nanoTime()) + ":latest");

        long[] ours;
        long[] docker;
        long[] skopeo = new long[RUNS];
        try (EngineFixture engine = EngineFixture.start(EngineFixture.defaultLauncher(), Duration.ofSeconds(60))) {
            Map<String, String> env = Map.of("DOCKER_CONFIG", tmp.resolve("dockercfg").toString());
            Supplier<List<String>> cli = () -> List.of("docker", "-H", engine.dockerHost());
            ours = time(() -> run(concat(cli.get(), "pull", "-q", ref), env), () -> {
                // Checked outside the timed step, then removed for the next run.
                assertThat(run(concat(cli.get(), "image", "inspect", "-f", "{{.Id}}", ref), env).strip()).isEqualTo(id);
                run(concat(cli.get(), "rmi", ref), env);
            });
        }
        docker = time(() -> dockerd.docker("pull", "-q", ref).check(), () -> dockerd.docker("rmi", ref).check());
        for (int i = 0; i < RUNS; i++) {
            Path out = tmp.resolve("oci" + i);
            long t0 = System.nanoTime();
            Exec.run("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref, "oci:" + out + ":x").check();
            skopeo[i] = System.nanoTime() - t0;
            TestFiles.deleteTree(out, tmp);
        }
        String report = "pull of a 3-layer image (3 x 4 MiB) from the 127.0.0.1 registry, " + RUNS + " runs each, image removed between runs (ms):\n"
                + line("docker -H <jcompose engine> pull (API: download+verify+unpack)", ours)
                + line("docker pull on dockerd 20.10 (download+verify+unpack)", docker)
                + line("skopeo copy docker:// -> oci: (download+verify, no unpack)", skopeo)
                + String.format("  ratios of medians: jcompose/dockerd %.2f, jcompose/skopeo %.2f%n",
                        (double) median(ours) / median(docker), (double) median(ours) / median(skopeo));
        System.out.print(report);
        Files.writeString(Path.of("target/api-pull-benchmark.txt"), report);
    }

    interface Step {
        void run() throws Exception;
    }

    private static long[] time(Step step, Step cleanup) throws Exception {
        long[] ns = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            try {
                step.run();
                ns[i] = System.nanoTime() - t0;
            } finally {
                cleanup.run();
            }
        }
        return ns;
    }

    private static String run(List<String> cmd, Map<String, String> env) {
        return Exec.run(cmd, env, Duration.ofMinutes(2)).check().out();
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    private static long median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String line(String what, long[] ns) {
        long[] ms = Arrays.stream(ns).map(n -> n / 1_000_000).toArray();
        return String.format("  %-64s median %5d  min %5d  all %s%n", what, median(ns) / 1_000_000,
                Arrays.stream(ms).min().orElse(0), Arrays.toString(ms));
    }
}
