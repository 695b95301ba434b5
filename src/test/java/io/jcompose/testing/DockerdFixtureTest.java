package io.jcompose.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What happens when dockerd cannot start, and how Infra turns that into a skip or (CI=true) a failure. */
class DockerdFixtureTest {
    @TempDir Path tmp;

    @Test void aDockerdThatCannotStartFailsWithAClearMessage() {
        Path sock = tmp.resolve("none.sock");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> Dockerd.startOrReuse(Path.of("/bin/false"), sock, Duration.ofSeconds(10)));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("dockerd");
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(t).hasMessageContaining("exited with 1 before it was ready").hasMessageContaining("[log: /tmp/jc-dockerd-");
            // The failed start keeps its log for the person reading the message; this test removes it.
            Path log = Path.of(t.getMessage().replaceAll(".*\\[log: ([^\\]]+)\\].*", "$1"));
            TestFiles.deleteTree(log.getParent(), Path.of("/tmp"));
        } else {
            assertThat(t).hasMessageContaining("needs root");
        }
    }

    @Test void aMissingDockerdBinaryIsNamed() {
        Infra.requireRoot(); // the root check comes first
        assertThatThrownBy(() -> Dockerd.startOrReuse(tmp.resolve("no-such-dockerd"), tmp.resolve("x.sock"), Duration.ofSeconds(5)))
                .hasMessageContaining("dockerd binary '" + tmp.resolve("no-such-dockerd") + "' not found");
    }

    @Test void missingInfrastructureSkipsLocallyAndFailsUnderCi() {
        assertThatThrownBy(() -> Infra.require(false, "no Docker daemon: dockerd exited", true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("test infrastructure missing under CI=true: no Docker daemon: dockerd exited");
        assertThatThrownBy(() -> Infra.require(false, "no Docker daemon", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no Docker daemon");
        assertThatCode(() -> Infra.require(true, "fine", true)).doesNotThrowAnyException();
    }
}
