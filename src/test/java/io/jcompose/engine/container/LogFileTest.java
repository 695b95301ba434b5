package io.jcompose.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
    @Test
    void parsesConmonK8sFileLinesAndJoinsPartials() {
        List<LogFile.Entry> e = LogFile.parse(List.of(
                "2026-11-23T05:24:12.632720718+00:00 stdout F hello",
                "2026-11-23T05:24:12.700000000+00:00 stdout P no new",
                "2026-11-23T05:24:12.700000001+00:00 stderr F err line",
                "2026-11-23T05:24:12.800000000+00:00 stdout F line",
                "garbage that is not a record",
                "2026-11-23T05:24:13.000000000+00:00 stdout P tail without newline"));
        assertThat(e).extracting(LogFile.Entry::stream, LogFile.Entry::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "hello\n"),
                org.assertj.core.groups.Tuple.tuple(2, "err line\n"),
                org.assertj.core.groups.Tuple.tuple(1, "no newline\n"),
                org.assertj.core.groups.Tuple.tuple(1, "tail without newline"));
        assertThat(e.get(0).time()).isEqualTo(Instant.parse("2026-11-23T05:24:12.632720718Z"));
        // A joined record keeps the time of its first part.
        assertThat(e.get(2).time()).isEqualTo(Instant.parse("2026-11-23T05:24:12.700Z"));
    }

    @Test
    void emptyLineRecordIsAnEmptyLine() {
        assertThat(LogFile.parse(List.of("2026-11-23T05:24:12Z stdout F "))).extracting(LogFile.Entry::text).containsExactly("\n");
    }

    @Test
    void followerReturnsWholeLinesAndRestartsAfterTruncation(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ctr.log");
        Files.writeString(f, "a\nb");
        try (LogFile.Follower fo = new LogFile.Follower(f, 0)) {
            assertThat(fo.poll()).containsExactly("a");
            Files.writeString(f, "a\nbc\n");
            assertThat(fo.poll()).containsExactly("bc");
            Files.writeString(f, "z\n"); // size cap: conmon truncated the file
            assertThat(fo.poll()).containsExactly("z");
        }
    }

    @Test
    void followerKeepsAUtf8SequenceSplitAcrossReads(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ctr.log");
        byte[] e = "é\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(f, new byte[] {e[0]});
        try (LogFile.Follower fo = new LogFile.Follower(f, 0)) {
            assertThat(fo.poll()).isEmpty();
            Files.write(f, e);
            assertThat(fo.poll()).containsExactly("é");
        }
    }

    @Test
    void rotationKeepsMaxFilesAndReadAllReadsOldestFirst(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        for (int i = 1; i <= 4; i++) {
            Files.writeString(log, "r" + i + "\n");
            LogFile.shift(log, 3);
        }
        Files.writeString(log, "current\nunfinished");
        assertThat(Files.exists(dir.resolve("ctr.log.3"))).as("max-file 3: current + 2 rotated").isFalse();
        LogFile.Snapshot s = LogFile.readAll(log);
        assertThat(s.lines()).containsExactly("r3", "r4", "current");
        assertThat(s.offset()).isEqualTo("current\n".length());
    }

    @Test
    void followerFinishesARotatedFileBeforeTheNewOne(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, "a\n");
        try (LogFile.Follower f = new LogFile.Follower(log, 0)) {
            assertThat(f.poll()).containsExactly("a");
            // The writer adds to the file, which is then rotated; a new file follows at the same path.
            Files.writeString(log, "b\n", java.nio.file.StandardOpenOption.APPEND);
            LogFile.shift(log, 2);
            Files.writeString(log, "c\n");
            assertThat(f.poll()).containsExactly("b", "c");
            Files.writeString(log, "d\n", java.nio.file.StandardOpenOption.APPEND);
            assertThat(f.poll()).containsExactly("d");
        }
    }

    @Test
    void rotationSettingsAreCheckedAsDockerDoes() {
        assertThat(LogRotation.of(new ContainerSpec.LogConfig("json-file", java.util.Map.of("max-size", "1k", "max-file", "3"))))
                .isEqualTo(new LogRotation(1024, 3));
        assertThat(LogRotation.of(ContainerSpec.LogConfig.DEFAULT)).isEqualTo(new LogRotation(-1, 1));
        assertThat(LogRotation.of(new ContainerSpec.LogConfig("json-file", java.util.Map.of("max-file", "3"))).maxFiles()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogRotation.of(new ContainerSpec.LogConfig("json-file",
                java.util.Map.of("max-size", "1k", "max-file", "0")))).hasMessageContaining("max-file cannot be less than 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogRotation.of(new ContainerSpec.LogConfig("json-file",
                java.util.Map.of("max-size", "1k", "max-file", "x")))).hasMessageContaining("invalid log max-file 'x'");
    }
}
