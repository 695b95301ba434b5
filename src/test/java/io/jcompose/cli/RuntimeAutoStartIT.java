package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.testing.Infra;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code --runtime auto} with nothing answering on our socket starts the built-in engine — here under a temporary
 * JCOMPOSE_ROOT and socket (never /run/jcompose), and stops it by the pid its note names.
 */
@Tag("integration")
class RuntimeAutoStartIT {
    @Test
    void autoStartsTheEngineUnderJcomposeRootAndUsesIt() throws Exception {
        Infra.require("root".equals(System.getProperty("user.name")), "root (the engine)");
        Infra.require(Infra.which("runc").isPresent(), "runc");
        Path root = Files.createTempDirectory(Path.of("/tmp"), "jce-auto");
        Path socket = root.resolve("e.sock");
        Map<String, String> env = Map.of("JCOMPOSE_ROOT", root.toString(), "JCOMPOSE_ENGINE_SOCKET", socket.toString(),
                "PATH", System.getenv("PATH"));
        Long pid = null;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Path dir = Files.createDirectory(root.resolve("p"));
            Files.writeString(dir.resolve("compose.yaml"), "services:\n  a:\n    image: busybox\n");
            JcomposeCommand.Context ctx = new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), env::get, dir);
            int code = JcomposeCommand.run(new String[] {"ps", "-a"}, ctx);
            String stderr = err.toString(StandardCharsets.UTF_8);
            pid = enginePid(root).orElse(null);
            assertThat(code).as(stderr).isZero();
            Matcher m = Pattern.compile("jcompose: started the built-in engine \\(pid (\\d+), state " + Pattern.quote(root.toString())).matcher(stderr);
            assertThat(m.find()).as(stderr).isTrue();
            assertThat(Long.parseLong(m.group(1))).isEqualTo(pid);
            assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isTrue();

            // The second command finds it answering and says nothing about starting.
            ByteArrayOutputStream err2 = new ByteArrayOutputStream();
            JcomposeCommand.run(new String[] {"ps", "-a"}, new JcomposeCommand.Context(new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), new PrintStream(err2, true, StandardCharsets.UTF_8), env::get, dir));
            assertThat(err2.toString(StandardCharsets.UTF_8)).doesNotContain("started");
            assertThat(enginePid(root)).contains(pid);
        } finally {
            if (pid == null) pid = enginePid(root).orElse(null);
            if (pid != null) {
                long p = pid;
                ProcessHandle.of(p).ifPresent(ProcessHandle::destroy); // SIGTERM: it removes its socket and lock
                Awaitility.await("engine " + p + " stops").atMost(Duration.ofSeconds(30))
                        .until(() -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
            }
            try (var walk = Files.walk(root)) {
                for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).as("socket removed by the stopped engine").isFalse();
    }

    /** The engine process serving this root (its command line names it). */
    static java.util.Optional<Long> enginePid(Path root) {
        return ProcessHandle.allProcesses().filter(p -> {
            List<String> args = List.of(p.info().arguments().orElse(new String[0]));
            int i = args.indexOf("--root");
            return args.contains("engine") && i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(root.toString());
        }).map(ProcessHandle::pid).findFirst();
    }
}
