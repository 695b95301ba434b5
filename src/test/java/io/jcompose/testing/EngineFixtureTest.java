package io.jcompose.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine fixture's mechanics against a stand-in engine (the real one: EngineFixtureIT). */
class EngineFixtureTest {
    @Test void startsWaitsForPingAndStopsWithSigterm() {
        EngineFixture e = EngineFixture.start(EngineFixture.javaLauncher(FakeEngine.class.getName()), Duration.ofSeconds(30));
        try {
            assertThat(e.root().toString()).startsWith("/tmp/jc-");
            assertThat(e.socket()).isEqualTo(e.root().resolve("engine.sock"));
            assertThat(e.socket().toString().length()).isLessThanOrEqualTo(107);
            assertThat(e.dockerHost()).isEqualTo("unix://" + e.socket());
            assertThat(UnixHttp.pingOk(e.socket())).isTrue();
        } finally {
            e.close();
        }
        assertThat(e.alive()).isFalse();
        assertThat(UnixHttp.pingOk(e.socket())).isFalse();
        assertThat(Files.exists(e.root())).as("root removed").isFalse();
    }

    @Test void anEngineThatExitsEarlyFailsWithItsExitCodeAndLog() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() ->
                EngineFixture.start(List.of("/bin/sh", "-c", "echo bad flag >&2; exit 3", "sh"), Duration.ofSeconds(10)));
        assertThat(t).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 3 before it was ready")
                .hasMessageContaining("bad flag");
        // The failed start keeps its log (named in the message) and removes the root.
        Path log = Path.of(t.getMessage().replaceAll(".*\\[log: ([^\\]]+)\\].*", "$1"));
        assertThat(log).exists();
        assertThat(Path.of(log.toString().replace(".log", ""))).doesNotExist();
        try {
            Files.delete(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
