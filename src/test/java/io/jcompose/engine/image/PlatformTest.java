package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {
    @ParameterizedTest(name = "{0} vs {1}/{2}/{3} -> {4}")
    @CsvSource({
            "linux/amd64, linux, amd64, '', true",
            "linux/amd64, linux, amd64, v3, true",
            "linux/amd64, linux, arm64, '', false",
            "linux/arm64, linux, arm64, v8, true",
            "linux/arm64/v8, linux, arm64, '', true",
            "linux/arm64/v8, linux, arm64, v8, true",
            "linux/arm/v7, linux, arm, v7, true",
            "linux/arm/v7, linux, arm, v6, false",
            "linux/arm/v6, linux, arm, '', false",
            "linux/amd64, windows, amd64, '', false",
    })
    void matching(String want, String os, String arch, String variant, boolean match) {
        assertThat(Platform.parse(want).matches(os, arch, variant)).isEqualTo(match);
    }
}
