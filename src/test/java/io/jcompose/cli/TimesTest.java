package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    private final Instant now = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void rfc3339UnixSecondsAndDurations() {
        assertThat(Times.parse("2024-01-02T03:04:05Z", "--since", now)).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(Times.parse("2024-01-02T03:04:05+01:00", "--since", now)).isEqualTo(Instant.parse("2024-01-02T02:04:05Z"));
        assertThat(Times.parse("1700000000.5", "--since", now)).isEqualTo(Instant.ofEpochSecond(1700000000, 500_000_000));
        assertThat(Times.parse("1h30m", "--since", now)).isEqualTo(Instant.parse("2024-05-01T10:30:00Z"));
        assertThat(Times.parse("42m", "--since", now)).isEqualTo(Instant.parse("2024-05-01T11:18:00Z"));
        assertThat(Times.parse(null, "--since", now)).isNull();
        assertThatThrownBy(() -> Times.parse("yesterday", "--since", now)).isInstanceOf(CliException.class)
                .hasMessageStartingWith("--since: cannot parse \"yesterday\"");
    }

    @Test
    void dockerSizes() {
        assertThat(ImagesCommand.size(1_980_000)).isEqualTo("1.98MB");
        assertThat(ImagesCommand.size(999)).isEqualTo("999B");
        assertThat(ImagesCommand.size(118_000_000)).isEqualTo("118MB");
    }

    @Test
    void statsUnits() {
        assertThat(StatsCommand.bytes(512, true)).isEqualTo("512B");
        assertThat(StatsCommand.bytes(1_572_864, true)).isEqualTo("1.5MiB");
        assertThat(StatsCommand.bytes(2_000, false)).isEqualTo("2kB");
        assertThat(StatsCommand.pct(12.345)).isEqualTo("12.35%");
    }

    @Test
    void colourIsStablePerService() throws Exception {
        var p = new io.jcompose.project.Binder().bind(new io.jcompose.project.YamlReader().read("compose.yaml",
                "name: x\nservices: {a: {image: busybox}, b: {image: busybox}}\n"), java.nio.file.Path.of("/tmp"));
        assertThat(AttachedMode.colour(p, "a")).isEqualTo("36").isEqualTo(AttachedMode.colour(p, "a"));
        assertThat(AttachedMode.colour(p, "b")).isEqualTo("33");
    }
}
