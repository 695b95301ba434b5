package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.engine.image.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildRoutesTest {
    private static String b64url(String s) {
        return Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void registryConfigMapsEachRegistryToItsCredentials() {
        String header = b64url("{\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"p1\"},"
                + "\"127.0.0.1:5000\":{\"auth\":\"" + Base64.getEncoder().encodeToString("me:p2".getBytes()) + "\"}}");
        Map<String, RegistryAuth> m = BuildRoutes.registryConfig(header);
        assertThat(m).containsOnlyKeys("docker.io", "127.0.0.1:5000");
        assertThat(m.get("docker.io").username()).contains("hub");
        assertThat(m.get("127.0.0.1:5000").username()).contains("me");
        assertThat(m.get("127.0.0.1:5000").password()).contains("p2");
        assertThat(BuildRoutes.registryConfig("")).isEmpty();
        assertThatThrownBy(() -> BuildRoutes.registryConfig("%%%")).isInstanceOf(ApiException.class)
                .hasMessageContaining("X-Registry-Config");
    }

    @Test
    void secretsHeaderDecodesIdsAndContents() {
        String header = b64url("{\"mysecret\":\"" + Base64.getEncoder().encodeToString("foo\n".getBytes()) + "\",\"b\":\"\"}");
        Map<String, byte[]> m = BuildRoutes.secrets(header);
        assertThat(m).containsOnlyKeys("mysecret", "b");
        assertThat(new String(m.get("mysecret"), StandardCharsets.UTF_8)).isEqualTo("foo\n");
        assertThatThrownBy(() -> BuildRoutes.secrets(b64url("{\"../x\":\"\"}"))).isInstanceOf(ApiException.class)
                .hasMessageContaining("invalid secret id");
        assertThatThrownBy(() -> BuildRoutes.secrets(b64url("[1]"))).isInstanceOf(ApiException.class);
    }

    @Test
    void contextsHeaderIsParsedAndABadOneIsA400NamingIt() {
        assertThat(BuildRoutes.contexts(b64url("{\"extra\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/extra\"}}")).refs())
                .containsOnlyKeys("extra");
        assertThat(BuildRoutes.contexts("").isEmpty()).isTrue();
        assertThatThrownBy(() -> BuildRoutes.contexts("{\"x\":{\"type\":\"dir\",\"path\":\"../../etc\"}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status() + " " + e.getMessage())
                        .startsWith("400 X-Jcompose-Build-Contexts: context \"x\": path \"../../etc\" must be .jcompose/contexts/<dir>"));
    }

    @Test
    void registryKeysAreHosts() {
        assertThat(BuildRoutes.registryKey("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(BuildRoutes.registryKey("registry.example.com:443")).isEqualTo("registry.example.com:443");
        assertThat(BuildRoutes.registryKey("http://localhost:5000/v2/")).isEqualTo("localhost:5000");
    }
}
