package io.jcompose.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Binds strings and HostConfig.Mounts against hand-written expectations (texts checked against dockerd 20.10). */
class MountParserTest {
    static Stream<Arguments> binds() throws IOException {
        try (InputStream in = MountParserTest.class.getResourceAsStream("/volume/binds.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t", 2)).map(p -> Arguments.of(p[0], p[1])).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binds")
    void bindsAsDocker(String spec, String expected) {
        if (expected.startsWith("ERROR ")) {
            assertThatThrownBy(() -> MountParser.bind(spec)).isInstanceOf(VolumeException.class)
                    .hasMessage(expected.substring(6))
                    .extracting(e -> ((VolumeException) e).kind()).isEqualTo(VolumeException.Kind.INVALID);
            return;
        }
        MountRequest r = MountParser.bind(spec);
        String got = String.join("|", r.type(), r.source(), r.target(), String.valueOf(r.readOnly()), r.mode(),
                r.propagation(), String.valueOf(r.noCopy()));
        assertThat(got).isEqualTo(expected);
        assertThat(r.createHostPath()).isEqualTo(r.type().equals("bind"));
    }

    @Test
    void nocopyWithAnEmptyDriverConfigAsTheDockerCliSendsIt() throws Exception {
        MountSpec m = new com.fasterxml.jackson.databind.ObjectMapper().readValue("{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/etc\","
                + "\"VolumeOptions\":{\"NoCopy\":true,\"DriverConfig\":{}}}", MountSpec.class);
        MountRequest r = MountParser.mount(m);
        assertThat(r.noCopy()).isTrue();
        assertThat(r.driver()).isEmpty();
    }

    @Test
    void mountsValidatedWithDockerTexts() {
        assertThatThrownBy(() -> MountParser.mount(MountSpec.of("bind", "/nonexist/jcvt-x", "/x", false)))
                .hasMessage("invalid mount config for type \"bind\": bind source path does not exist: /nonexist/jcvt-x");
        assertThatThrownBy(() -> MountParser.mount(MountSpec.of("tmpfs", "x", "/x", false)))
                .hasMessage("invalid mount config for type \"tmpfs\": field Source must not be specified");
        assertThatThrownBy(() -> MountParser.mount(MountSpec.of("volume", "", "x", false)))
                .hasMessage("invalid mount config for type \"volume\": invalid mount path: 'x' mount path must be absolute");
        assertThatThrownBy(() -> MountParser.mount(MountSpec.of("npipe", "", "/x", false)))
                .hasMessage("invalid mount config for type \"npipe\": mount type unknown");
        MountSpec escape = new MountSpec("volume", "data", "/x", false, null, null,
                new MountSpec.VolumeOptions(false, null, null, "../etc"), null);
        assertThatThrownBy(() -> MountParser.mount(escape))
                .hasMessage("invalid mount config for type \"volume\": subpath must be a relative path within the volume: ../etc");
    }

    @Test
    void bindWithCreateMountpointAndOptions() {
        MountSpec m = new MountSpec("bind", "/nonexist/jcvt-y", "/y", true, null,
                new MountSpec.BindOptions("rslave", true, true), null, null);
        MountRequest r = MountParser.mount(m);
        assertThat(r.createHostPath()).isTrue();
        assertThat(r.propagation()).isEqualTo("rslave");
        assertThat(r.nonRecursive()).isTrue();
        assertThat(r.readOnly()).isTrue();
    }

    @Test
    void tmpfsOptionsAsDockerConvertsThem() {
        assertThat(TmpfsData.of(new MountSpec.TmpfsOptions(64L << 20, 01777))).isEqualTo("mode=1777,size=64m");
        assertThat(TmpfsData.of(new MountSpec.TmpfsOptions(3L << 30, 0))).isEqualTo("size=3g");
        assertThat(TmpfsData.of(new MountSpec.TmpfsOptions(1000, 0700))).isEqualTo("mode=700,size=1000");
        assertThat(TmpfsData.merge(List.of("noexec", "nosuid", "nodev", "rprivate", "exec", "size=1m", "size=2m")))
                .containsExactly("nosuid", "nodev", "rprivate", "exec", "size=2m");
    }

    @Test
    void volumesFromSpecs() {
        assertThat(MountParser.volumesFrom("web")).containsExactly("web", "");
        assertThat(MountParser.volumesFrom("web:ro")).containsExactly("web", "ro");
        assertThatThrownBy(() -> MountParser.volumesFrom("web:z")).hasMessage("invalid mode for volumes-from: z");
    }
}
