package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateRootTest {
    @TempDir
    Path tmp;

    @Test
    void idIsSixHexOfTheRealPathAndStable() throws Exception {
        StateRoot a = StateRoot.open(tmp.resolve("a"));
        StateRoot again = StateRoot.open(tmp.resolve("a"));
        StateRoot b = StateRoot.open(tmp.resolve("b"));
        assertThat(a.id()).matches("[0-9a-f]{6}").isEqualTo(again.id()).isNotEqualTo(b.id());
        Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("a"));
        assertThat(StateRoot.open(tmp.resolve("link")).id()).isEqualTo(a.id()); // the real path decides
        // Known value, so the id cannot silently change between versions (it names host objects).
        assertThat(StateRoot.idOf(Path.of("/var/lib/jcompose"))).isEqualTo(
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("/var/lib/jcompose".getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 6));
    }

    @Test
    void secondLockOnTheSameRootFailsWithTheOwnersPid() throws Exception {
        try (RootLock first = RootLock.acquire(tmp)) {
            assertThat(RootLock.recordedPid(tmp)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> RootLock.acquire(tmp)).isInstanceOf(EngineException.class)
                    .hasMessage("another engine is running for " + tmp + " (pid " + ProcessHandle.current().pid()
                            + "); stop it first or use another --root");
        }
        try (RootLock again = RootLock.acquire(tmp)) {
            assertThat(again).isNotNull(); // released by close
        }
    }

    @Test
    void configValidatesLogLevel() {
        assertThat(EngineConfig.julLevel("debug")).isEqualTo(java.util.logging.Level.FINE);
        assertThatThrownBy(() -> new EngineConfig(tmp, tmp.resolve("s"), java.util.Optional.empty(), "loud", true,
                java.time.Duration.ZERO)).hasMessageContaining("unknown log level \"loud\"");
    }
}
