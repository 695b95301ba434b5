package io.jcompose.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.testing.Infra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Goldens: src/test/resources/container-spec/<case>/create.json → expected.json (hand-checked). */
class SpecBuilderTest {
    static final Path CASES = Path.of("src/test/resources/container-spec");
    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final ImageConfig IMAGE = new ImageConfig("sha256:feed", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "IMG=1"),
            List.of("sh"), List.of(), "", "", null, "", null, null, null);

    @TempDir Path rootfs;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(CASES)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    void passwd() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:\nwheel:x:10:app\napp:x:1000:\n");
    }

    SpecBuilder.Inputs inputs(ContainerSpec spec) throws IOException {
        passwd();
        UserLookup user = UserLookup.resolve(rootfs, spec.user(), spec.hostConfig().groupAdd());
        return new SpecBuilder.Inputs(ID, spec, IMAGE, "/r/rootfs", user, "/c/hosts", "/c/resolv.conf", "/c/hostname",
                "abcdef", 1048576, "/usr/bin/tini-static");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void specMatchesGolden(String name) throws IOException {
        Path dir = CASES.resolve(name);
        ContainerSpec spec = ContainerJson.MAPPER.readValue(dir.resolve("create.json").toFile(), ContainerSpec.class);
        String actual = new String(SpecBuilder.toJson(SpecBuilder.build(inputs(spec))), StandardCharsets.UTF_8) + "\n";
        Path golden = dir.resolve("expected.json");
        if (Boolean.getBoolean("jcompose.updateGolden")) {
            if (Infra.isCi()) throw new IllegalStateException("refusing to rewrite goldens under CI=true");
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void entrypointOnCreateResetsImageCmd() {
        ContainerSpec s = new ContainerSpec(null, null, null, null, null, null, null, null, null, null, List.of("top"),
                "busybox", null, null, null, null, null, null, null, null);
        assertThat(SpecBuilder.args(s, IMAGE)).containsExactly("top");
        ContainerSpec none = new ContainerSpec(null, null, null, null, null, null, null, null, null, null, null,
                "busybox", null, null, null, null, null, null, null, null);
        assertThat(SpecBuilder.args(none, IMAGE)).containsExactly("sh");
        assertThatThrownBy(() -> SpecBuilder.args(none, ImageConfig.EMPTY)).hasMessageContaining("no command specified");
    }

    @Test
    void unknownUserAndNamedVolumeAreUserErrors() throws IOException {
        passwd();
        assertThatThrownBy(() -> UserLookup.resolve(rootfs, "ghost", List.of())).hasMessage(
                "unable to find user ghost: no matching entries in passwd file");
        ContainerSpec s = ContainerJson.MAPPER.readValue("{\"Image\":\"b\",\"Cmd\":[\"x\"],\"HostConfig\":{\"Binds\":[\"data:/d\"]}}", ContainerSpec.class);
        assertThatThrownBy(() -> SpecBuilder.build(inputs(s))).hasMessageContaining("named volume 'data'");
    }

    @Test
    void hostsAlwaysHaveLocalhostAndResolvDropsLoopbackServers() {
        assertThat(SpecBuilder.hostsFile("web", List.of("db:10.0.0.5"), false))
                .startsWith("127.0.0.1\tlocalhost\n").contains("10.0.0.5\tdb\n").endsWith("127.0.1.1\tweb\n");
        assertThat(SpecBuilder.resolvConf("nameserver 127.0.0.53\nsearch lan\n", List.of(), false))
                .isEqualTo("search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        assertThat(SpecBuilder.resolvConf("nameserver 10.1.1.1\n", List.of(), false)).isEqualTo("nameserver 10.1.1.1\n");
    }
}
