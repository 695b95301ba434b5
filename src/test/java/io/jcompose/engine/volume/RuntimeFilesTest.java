package io.jcompose.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The secrets/configs contract: JSON the composer sends, destinations, and the files and mounts made. */
class RuntimeFilesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static RuntimeFile parse(String json) throws Exception {
        try {
            return JSON.readValue(json, RuntimeFile.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void contractJsonAndDestinations() throws Exception {
        RuntimeFile s = parse("{\"Kind\":\"secret\",\"Name\":\"db_pw\",\"Content\":\"aHVudGVyMg==\"}");
        assertThat(new String(s.content(), StandardCharsets.UTF_8)).isEqualTo("hunter2");
        assertThat(s.destination()).isEqualTo("/run/secrets/db_pw");
        assertThat(s.modeBits()).isEqualTo(0444);
        assertThat(parse("{\"Kind\":\"secret\",\"Name\":\"a\",\"Target\":\"sub/x\",\"Env\":\"V\"}").destination()).isEqualTo("/run/secrets/sub/x");
        assertThat(parse("{\"Kind\":\"config\",\"Name\":\"nginx\",\"File\":\"/x\"}").destination()).isEqualTo("/nginx");
        assertThat(parse("{\"Kind\":\"config\",\"Name\":\"nginx\",\"Target\":\"/etc/nginx/nginx.conf\",\"File\":\"/x\"}").destination())
                .isEqualTo("/etc/nginx/nginx.conf");
        assertThatThrownBy(() -> parse("{\"Kind\":\"secret\",\"Name\":\"a\",\"File\":\"/x\",\"Env\":\"V\"}"))
                .hasMessage("JcomposeFiles: secret a needs exactly one of File, Env, Content (got 2)");
        assertThatThrownBy(() -> parse("{\"Kind\":\"volume\",\"Name\":\"a\",\"File\":\"/x\"}"))
                .hasMessage("JcomposeFiles: Kind must be \"secret\" or \"config\", got \"volume\"");
        assertThatThrownBy(() -> parse("{\"Kind\":\"secret\",\"Name\":\"a\",\"UID\":\"www\",\"File\":\"/x\"}"))
                .hasMessage("JcomposeFiles: secret a: uid/gid must be numeric, got www:0");
    }

    @Tag("integration")
    @Test
    void materialisedWithOwnerAndModeMountedReadOnlyAndRemoved() throws Exception {
        io.jcompose.testing.Infra.requireRoot();
        Path root = VolumeTestRoot.create();
        try {
            Path src = Files.writeString(root.resolve("nginx.conf"), "events {}");
            RuntimeFiles rf = new RuntimeFiles(root.resolve("containers-secrets"));
            List<OciMount> m = rf.materialise("c1", List.of(
                    parse("{\"Kind\":\"secret\",\"Name\":\"token\",\"Env\":\"API_TOKEN\",\"UID\":\"1000\",\"GID\":\"1001\",\"Mode\":256}"),
                    parse("{\"Kind\":\"config\",\"Name\":\"token\",\"Target\":\"/etc/nginx/nginx.conf\",\"File\":\"" + src + "\",\"Mode\":420}")),
                    k -> Optional.ofNullable(Map.of("API_TOKEN", "s3cret").get(k)));
            Path secret = root.resolve("containers-secrets/c1/secrets/token");
            Path config = root.resolve("containers-secrets/c1/configs/token");
            assertThat(m.stream().map(OciMount::toString)).containsExactly(
                    "/run/secrets/token bind " + secret + " rbind,ro,nosuid,nodev,noexec,rprivate",
                    "/etc/nginx/nginx.conf bind " + config + " rbind,ro,nosuid,nodev,noexec,rprivate");
            assertThat(Files.readString(secret)).isEqualTo("s3cret");
            assertThat(Files.getAttribute(secret, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1000);
            assertThat(Files.getAttribute(secret, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1001);
            assertThat((Integer) Files.getAttribute(secret, "unix:mode") & 07777).isEqualTo(0400);
            assertThat((Integer) Files.getAttribute(config, "unix:mode") & 07777).isEqualTo(0644);
            assertThat(Files.readString(config)).isEqualTo("events {}");
            assertThatThrownBy(() -> rf.materialise("c2", List.of(parse("{\"Kind\":\"secret\",\"Name\":\"x\",\"Env\":\"UNSET\"}")),
                    k -> Optional.empty())).hasMessage("secret x: environment variable UNSET is not set");
            rf.remove("c1");
            assertThat(root.resolve("containers-secrets/c1")).doesNotExist();
        } finally {
            VolumeTestRoot.delete(root);
        }
    }
}
