package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import io.jcompose.testing.Dockerd;
import io.jcompose.testing.Infra;
import io.jcompose.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a terminal shows, through a pseudo-terminal made by util-linux {@code script -qfec CMD /dev/null}:
 * {@code exec} allocates a TTY (and {@code -T} does not), {@code run -it} likewise, live progress redraws in place,
 * and Ctrl-C (byte 0x03 typed into the terminal, turned into SIGINT by the line discipline) stops attached
 * {@code up} gracefully, a second one kills, exit 130. jcompose runs as its own JVM, from the test class path.
 */
@Tag("integration")
class TtyIntegrationTest {
    private final String project = "jct" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    @TempDir
    Path dir;
    private ContainerRuntime rt;

    @BeforeEach
    void setUp() throws Exception {
        Infra.requireBinary("script");
        Dockerd.shared();
        TestImages.pullIntoDockerd("busybox");
        Files.writeString(dir.resolve("compose.yaml"), "name: " + project + "\n" + """
                services:
                  db:
                    image: busybox
                    command: ["sh", "-c", "echo db up; exec sleep 300"]
                    labels: {io.jcompose.test: "true"}
                    stop_grace_period: 60s
                """);
        rt = DockerRuntime.connect(DockerEndpoint.unix(Dockerd.DEFAULT_SOCKET), System::getenv, Path.of(System.getProperty("user.home")));
    }

    @AfterEach
    void tearDown() {
        if (rt == null) return;
        for (ContainerSummary c : rt.containers().list(List.of(Labels.projectFilter(project)), true)) rt.containers().remove(c.id(), true, true);
        rt.networks().list(List.of(Labels.projectFilter(project))).forEach(n -> rt.networks().remove(n.id()));
        rt.close();
    }

    /** A jcompose process on a pseudo-terminal: its input is what we type, its output what the terminal shows. */
    final class OnTty implements AutoCloseable {
        final Process process;
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final OutputStream keyboard;

        OnTty(String args) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cmd = java + " -cp " + System.getProperty("java.class.path") + " io.jcompose.Main " + args;
            ProcessBuilder pb = new ProcessBuilder("script", "-qfec", cmd, "/dev/null").directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().remove("CI"); // live progress is for people, not CI logs
            pb.environment().put("DOCKER_HOST", "unix://" + Dockerd.DEFAULT_SOCKET);
            pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
            pb.environment().put("TERM", "xterm");
            process = pb.start();
            keyboard = process.getOutputStream();
            InputStream in = process.getInputStream();
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (screen) {
                            screen.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String screen() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        void type(String s) throws IOException {
            keyboard.write(s.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended; screen: " + screen()).isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void liveProgressThenExecWithAndWithoutTty() throws Exception {
        try (OnTty up = new OnTty("up -d")) {
            assertThat(up.exitCode()).as(up.screen()).isZero();
            assertThat(up.screen()).as("redrawn in place with ANSI cursor movement").contains("\u001b[");
        }
        try (OnTty exec = new OnTty("exec db tty")) {
            assertThat(exec.exitCode()).as(exec.screen()).isZero();
            assertThat(exec.screen()).contains("/dev/pts/");
        }
        try (OnTty exec = new OnTty("exec -T db tty")) {
            assertThat(exec.exitCode()).as(exec.screen()).isEqualTo(1);
            assertThat(exec.screen()).contains("not a tty");
        }
        try (OnTty shell = new OnTty("exec db sh")) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> shell.screen().contains("#"));
            shell.type("echo $((6*7)); exit 4\r");
            assertThat(shell.exitCode()).as(shell.screen()).isEqualTo(4);
            assertThat(shell.screen()).contains("42");
        }
        try (OnTty run = new OnTty("run --rm --no-deps db tty")) {
            assertThat(run.exitCode()).as(run.screen()).isZero();
            assertThat(run.screen()).contains("/dev/pts/");
        }
    }

    @Test
    void ctrlCStopsGracefullyAndTheSecondKills() throws Exception {
        try (OnTty up = new OnTty("up")) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> up.screen().contains("db up"));
            up.type("\u0003");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> up.screen().contains("Gracefully stopping... (press Ctrl+C again to force)"));
            // sleep as PID 1 ignores SIGTERM and the grace period is 60 s: only the second Ctrl-C ends it now.
            up.type("\u0003");
            assertThat(up.exitCode()).as(up.screen()).isEqualTo(130);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !rt.containers().inspect(project + "-db-1").state().running());
    }

    @Test
    void rmAsksOnATerminal() throws Exception {
        try (OnTty up = new OnTty("up -d --progress quiet")) {
            assertThat(up.exitCode()).as(up.screen()).isZero();
        }
        rt.containers().stop(project + "-db-1", Duration.ZERO);
        try (OnTty rm = new OnTty("rm")) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rm.screen().contains("Are you sure? [yN]"));
            rm.type("n\r");
            assertThat(rm.exitCode()).as(rm.screen()).isZero();
            assertThat(rm.screen()).contains("Going to remove " + project + "-db-1");
        }
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).hasSize(1);
        try (OnTty rm = new OnTty("rm")) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rm.screen().contains("Are you sure? [yN]"));
            rm.type("y\r");
            assertThat(rm.exitCode()).as(rm.screen()).isZero();
        }
        assertThat(rt.containers().list(List.of(Labels.projectFilter(project)), true)).isEmpty();
    }
}
