package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull of a 3-layer image (3 × 4 MiB of incompressible data) from a loopback registry: our client (download +
 * verify + unpack) vs {@code skopeo copy docker://… oci:dir} (download + verify, no unpack) vs {@code docker pull}
 * on the running dockerd (download + verify + unpack). Run: {@code mvn -o test -Dtest=PullBenchmarkTest}; the
 * numbers go to stdout and target/pull-benchmark.txt.
 */
@Tag("integration")
@Tag("benchmark")
class PullBenchmarkTest {
    static final int RUNS = 5;
    @TempDir Path tmp;

    @Test
    void compareClients() throws Exception {
        Infra.require(Infra.isRoot(), "root");
        try (RegistryTestSupport reg = RegistryTestSupport.start(tmp.resolve("reg"), new RegistryTestSupport.NoAuth())) {
            Random rnd = new Random(42);
            List<byte[]> tars = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] data = new byte[4 << 20];
                rnd.nextBytes(data);
                tars.add(new TarFixture().dir("data", 0755).file("data/blob" + i, data, 0644).tar());
            }
            TestImage img = TestImage.build(false, "amd64", tars);
            String tag = "b" + Long.toHexString(System.nanoTime());
            ImageReference ref = ImageReference.parse(reg.hostPort() + "/bench/img:" + tag);
            img.push(new RegistryClient(RegistryConfig.defaults()), ref, RegistryAuth.NONE, tmp);

            long[] ours = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                try (ImageService s = new ImageService(tmp.resolve("engine" + i), new RegistryClient(RegistryConfig.defaults()), p -> false)) {
                    long t0 = System.nanoTime();
                    ImageInspect x = s.pull(ref.toString(), RegistryAuth.NONE, Optional.empty(), m -> {});
                    ours[i] = System.nanoTime() - t0;
                    assertThat(x.id()).isEqualTo(img.configDigest().toString());
                }
                Trees.deleteUnder(tmp, tmp.resolve("engine" + i));
            }
            long[] skopeo = new long[RUNS];
            if (Infra.onPath("skopeo")) {
                for (int i = 0; i < RUNS; i++) {
                    long t0 = System.nanoTime();
                    RegistryTestSupport.run(tmp, List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                            "docker://" + ref, "oci:" + tmp.resolve("oci" + i) + ":x"));
                    skopeo[i] = System.nanoTime() - t0;
                }
            }
            long[] docker = new long[RUNS];
            if (LoadSaveIntegrationTest.dockerd()) {
                for (int i = 0; i < RUNS; i++) {
                    long t0 = System.nanoTime();
                    try {
                        RegistryTestSupport.run(tmp, List.of("docker", "pull", "-q", ref.toString()));
                        docker[i] = System.nanoTime() - t0;
                    } finally {
                        RegistryTestSupport.run(tmp, List.of("docker", "rmi", ref.toString()));
                    }
                }
            }
            String report = "pull of 3 x 4 MiB layers from 127.0.0.1 registry, " + RUNS + " runs each (ms):\n"
                    + line("jcompose ImageService.pull (download+verify+unpack)", ours)
                    + line("skopeo copy docker:// -> oci: (download+verify, no unpack)", skopeo)
                    + line("docker pull on dockerd 20.10 (download+verify+unpack)", docker);
            System.out.print(report);
            Files.writeString(Path.of(System.getProperty("jcompose.projectDir", ".")).resolve("target/pull-benchmark.txt"), report);
        }
    }

    private static String line(String what, long[] ns) {
        long[] ms = Arrays.stream(ns).map(n -> n / 1_000_000).toArray();
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format("  %-62s first %5d  median %5d  min %5d  all %s%n", what, ms[0], sorted[sorted.length / 2], sorted[0], Arrays.toString(ms));
    }
}
