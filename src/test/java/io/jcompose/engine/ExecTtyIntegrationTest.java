package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exec with a pseudo-terminal and the detach keys: the same assertions against our engine and the host's dockerd
 * (see {@link ContainersIntegrationTest.Target}), through the real Docker CLI on a pseudo-terminal ({@code script}),
 * curl, and a raw hijacked attach; then jcompose's own {@code exec} on our engine.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExecTtyIntegrationTest {
    private static void requireScript() {
        Infra.require(Infra.onPath("script") && Infra.onPath("timeout"), "script (util-linux) and timeout");
    }

    /** {@code command} run by {@code script} on a fresh pseudo-terminal of 33 rows and 101 columns; input stays open 4 s. */
    private static Infra.Run onTerminal(String command) throws Exception {
        return Infra.run(List.of("sh", "-c", "sleep 4 | timeout -s KILL 40 script -qec \"stty rows 33 cols 101; " + command + "\" /dev/null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void execGetsATerminalOfTheClientsSize(String kind) throws Exception {
        requireScript();
        try (ContainersIntegrationTest.Target t = new ContainersIntegrationTest.Target(kind)) {
            String c = t.n("tty");
            assertThat(t.make("run", "--name", c, "busybox", "sleep", "300").code()).isZero();
            String docker = "docker -H unix://" + t.socket + " ";
            // The CLI sends the size right after the start: the pause lets it arrive before stty asks.
            Infra.Run it = onTerminal(docker + "exec -it " + c + " sh -c 'tty; sleep 1; stty size; echo TERM=\\$TERM'");
            assertThat(it.code()).as(it.out() + it.err()).isZero();
            assertThat(it.out()).containsPattern("/dev/pts/\\d+\r\n").contains("33 101\r\n").contains("TERM=xterm\r\n");

            // -t without -i: a terminal, its output translated by the line discipline (\n -> \r\n), one stream.
            Infra.Run t1 = t.docker("exec", "-t", c, "sh", "-c", "tty; echo err >&2");
            assertThat(t1.code()).as(t1.err()).isZero();
            assertThat(t1.out()).matches("/dev/pts/\\d+\r\nerr\r\n");
            // Without -t: no terminal.
            Infra.Run t0 = t.docker("exec", c, "tty");
            assertThat(t0.out()).isEqualTo("not a tty\n");
            assertThat(t0.code()).isEqualTo(1);

            Infra.Run exit = onTerminal(docker + "exec -it " + c + " sh -c 'exit 3'");
            assertThat(exit.code()).as("script -e passes docker exec's exit code on").isEqualTo(3);

            // Input reaches the terminal: it is echoed and read.
            Infra.Run typed = Infra.run(List.of("sh", "-c", "(sleep 1; printf 'abc\\r'; sleep 3) | timeout -s KILL 40 script -qec \""
                    + docker + "exec -it " + c + " sh -c 'read x; echo got \\$x'\" /dev/null"));
            assertThat(typed.out()).as(typed.err()).contains("got abc\r\n");

            // The API: a TTY exec's raw stream, its inspect with the exit code.
            String id = curlJson(t, "POST", "/containers/" + c + "/exec",
                    "{\"Cmd\":[\"sh\",\"-c\",\"tty; exit 7\"],\"Tty\":true,\"AttachStdout\":true,\"AttachStderr\":true}").get("Id").asText();
            Infra.Run start = Infra.run(List.of("curl", "-sS", "--unix-socket", t.socket.toString(), "-X", "POST", "-H",
                    "Content-Type: application/json", "-d", "{\"Detach\":false,\"Tty\":true}", "http://e/exec/" + id + "/start"));
            assertThat(start.out()).matches("/dev/pts/\\d+\r\n");
            JsonNode inspect = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> curlJson(t, "GET", "/exec/" + id + "/json", null),
                    j -> !j.get("Running").asBoolean());
            assertThat(inspect.get("ExitCode").asInt()).isEqualTo(7);
            assertThat(inspect.at("/ProcessConfig/tty").asBoolean()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jcompose", "dockerd"})
    void detachKeysEndTheAttachAndTheContainerRunsOn(String kind) throws Exception {
        requireScript();
        try (ContainersIntegrationTest.Target t = new ContainersIntegrationTest.Target(kind)) {
            String c = t.n("det");
            assertThat(t.make("run", "-it", "--name", c, "busybox", "sh").code()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> t.inspect(c).at("/State/Running").asBoolean());

            // A raw hijacked attach with custom keys (ctrl-x, y): the engine itself must see them, not a client.
            // A raw hijacked attach with custom keys (ctrl-x, y): the engine itself must see them, not a client.
            hijackThenDetach(t.socket, "POST /v1.41/containers/" + c + "/attach?stream=1&stdin=1&stdout=1&stderr=1&detachKeys=ctrl-x,y", "",
                    "echo a$((40+2))b\n", "a42b", "\u0018y");
            assertThat(t.inspect(c).at("/State/Running").asBoolean()).isTrue();

            // The Docker CLI with the default keys on a terminal: detached, the container still runs.
            String docker = "docker -H unix://" + t.socket + " ";
            Infra.Run attach = Infra.run(List.of("sh", "-c", "(sleep 1; printf '\\020\\021'; sleep 8) | timeout -s KILL 40 script -qec \""
                    + docker + "attach " + c + "\" /dev/null"));
            assertThat(attach.out()).as(attach.err()).contains("read escape sequence");
            assertThat(t.inspect(c).at("/State/Running").asBoolean()).isTrue();
            // And stdin still works for the next client.
            Infra.Run again = Infra.run(List.of("sh", "-c", "(sleep 1; printf 'echo x$((1+1))y\\r'; sleep 2; printf '\\020\\021'; sleep 8) | timeout -s KILL 40 script -qec \""
                    + docker + "attach " + c + "\" /dev/null"));
            assertThat(again.out()).as(again.err()).contains("x2y");

            // A TTY exec with its own keys: the stream ends, the container runs on. (Whether the exec's process does
            // differs: dockerd 20.10 reports it ended right after the detach, ours leaves it running.)
            String id = curlJson(t, "POST", "/containers/" + c + "/exec", "{\"Cmd\":[\"cat\"],\"Tty\":true,\"AttachStdin\":true,"
                    + "\"AttachStdout\":true,\"AttachStderr\":true,\"DetachKeys\":\"ctrl-x,y\"}").get("Id").asText();
            hijackThenDetach(t.socket, "POST /v1.41/exec/" + id + "/start", "{\"Detach\":false,\"Tty\":true}", "q$x\n", "q$x\r\nq$x", "\u0018y");
            assertThat(t.inspect(c).at("/State/Running").asBoolean()).isTrue();

            Infra.Run bad = Infra.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", t.socket.toString(),
                    "-X", "POST", "http://e/containers/" + c + "/attach?stream=1&stdin=1&detachKeys=ctrl-5"));
            assertThat(bad.out()).isEqualTo("400");
        }
    }

    /** jcompose's own exec, which takes a terminal when it runs on one, against our engine. */
    @Test
    void jcomposeExecOnATerminal() throws Exception {
        requireScript();
        try (ContainersIntegrationTest.Target t = new ContainersIntegrationTest.Target("jcompose")) {
            Path dir = Files.createDirectories(t.root.resolve("proj"));
            Files.writeString(dir.resolve("compose.yaml"), "services:\n  app:\n    image: busybox\n    command: sleep 300\n"
                    + "    labels:\n      io.jcompose.test: \"true\"\n      io.jcompose.run: \"" + t.run + "\"\n");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path cli = dir.resolve("jc");
            Files.writeString(cli, "#!/bin/sh\nexec env DOCKER_HOST=unix://" + t.socket + " " + java + " -cp '" + System.getProperty("java.class.path")
                    + "' io.jcompose.Main -p jct" + t.run + " -f " + dir.resolve("compose.yaml") + " \"$@\"\n");
            assertThat(cli.toFile().setExecutable(true)).isTrue();
            try {
                Infra.Run up = Infra.run(List.of(cli.toString(), "up", "-d"));
                assertThat(up.code()).as(up.out() + up.err()).isZero();
                Infra.Run it = onTerminal(cli + " exec app sh -c 'tty; sleep 1; stty size; exit 5'");
                assertThat(it.out()).as(it.err()).containsPattern("/dev/pts/\\d+\r\n").contains("33 101\r\n");
                assertThat(it.code()).isEqualTo(5);
                Infra.Run noTty = Infra.run(List.of(cli.toString(), "exec", "-T", "app", "tty"));
                assertThat(noTty.out()).isEqualTo("not a tty\n");
            } finally {
                Infra.run(List.of(cli.toString(), "down", "-t", "0"));
            }
        }
    }

    /**
     * A hijacked request on a raw connection: sends {@code request} with {@code body}, then {@code typed}; waits for
     * {@code expect} in the output, sends {@code keys} and returns once the engine closed the stream. Reads and writes
     * go straight to the channel: the Channels streams of one blocking channel share a lock.
     */
    private static void hijackThenDetach(Path socket, String request, String body, String typed, String expect, String keys) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            send(ch, request + " HTTP/1.1\r\nHost: e\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
                ByteBuffer b = ByteBuffer.allocate(4096);
                try {
                    while (ch.read(b.clear()) > 0) {
                        synchronized (seen) {
                            seen.write(b.array(), 0, b.position());
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // closed: the stream ended
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> text(seen).contains("\r\n\r\n"));
            assertThat(text(seen)).startsWith("HTTP/1.1 101");
            send(ch, typed);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> text(seen).contains(expect));
            assertThat(ended).as("the stream before the keys").isNotDone();
            send(ch, keys);
            ended.get(10, TimeUnit.SECONDS);
        }
    }

    private static void send(SocketChannel ch, String s) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) ch.write(b);
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static JsonNode curlJson(ContainersIntegrationTest.Target t, String method, String path, String body) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--unix-socket", t.socket.toString(), "-X", method));
        if (body != null) cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        cmd.add("http://e" + path);
        Infra.Run r = Infra.run(cmd);
        return ContainersIntegrationTest.JSON.readTree(r.out());
    }
}
