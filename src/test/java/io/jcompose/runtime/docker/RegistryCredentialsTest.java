package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {
    private final List<String> helperCalls = new ArrayList<>();

    private RegistryCredentials creds(String json) throws Exception {
        JsonNode config = new ObjectMapper().readTree(json);
        return new RegistryCredentials(config, (helper, server) -> {
            helperCalls.add(helper + " " + server);
            return switch (helper) {
                case "pass" -> Optional.of("{\"ServerURL\":\"" + server + "\",\"Username\":\"hu\",\"Secret\":\"hs\"}");
                case "token" -> Optional.of("{\"Username\":\"<token>\",\"Secret\":\"tok\"}");
                default -> Optional.empty();
            };
        });
    }

    @ParameterizedTest
    @CsvSource({"busybox,docker.io", "library/busybox:1,docker.io", "localhost:5000/a/b:1,localhost:5000",
            "localhost/x,localhost", "ghcr.io/o/r,ghcr.io", "user/repo,docker.io", "127.0.0.1:5000/x@sha256:ab,127.0.0.1:5000"})
    void registryOfReference(String ref, String registry) {
        assertThat(RegistryCredentials.registryOf(ref)).isEqualTo(registry);
    }

    @Test
    void authsEntryIsDecoded() throws Exception {
        String auth = Base64.getEncoder().encodeToString("alice:s3:cret".getBytes(StandardCharsets.UTF_8));
        RegistryCredentials c = creds("{\"auths\":{\"localhost:5000\":{\"auth\":\"" + auth + "\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"}}}");
        assertThat(c.forReference("localhost:5000/app:1"))
                .contains(new RegistryAuth("alice", "s3:cret", "", "localhost:5000"));
        assertThat(c.forReference("busybox")).map(RegistryAuth::username).contains("alice");
        assertThat(c.forReference("other:5000/x")).isEmpty();
    }

    @Test
    void credHelperWinsOverCredsStoreAndAuths() throws Exception {
        RegistryCredentials c = creds("{\"credsStore\":\"token\",\"credHelpers\":{\"r.example\":\"pass\"},"
                + "\"auths\":{\"r.example\":{\"auth\":\"dTpw\"}}}");
        assertThat(c.forRegistry("r.example")).contains(new RegistryAuth("hu", "hs", "", "r.example"));
        assertThat(c.forRegistry("q.example")).contains(new RegistryAuth("", "", "tok", "q.example"));
        assertThat(helperCalls).containsExactly("pass r.example", "token q.example");
    }

    @Test
    void helperWithoutCredentialsFallsBackToAuths() throws Exception {
        RegistryCredentials c = creds("{\"credsStore\":\"empty\",\"auths\":{\"r.example\":{\"auth\":\"dTpw\"}}}");
        assertThat(c.forRegistry("r.example")).contains(new RegistryAuth("u", "p", "", "r.example"));
    }

    @Test
    void brokenAuthIsReportedWithTheRegistry() throws Exception {
        RegistryCredentials c = creds("{\"auths\":{\"r.example\":{\"auth\":\"bm9jb2xvbg==\"}}}");
        assertThatThrownBy(() -> c.forRegistry("r.example")).isInstanceOf(EngineException.class)
                .hasMessage("Docker config: auths entry for r.example is not user:password");
    }

    @Test
    void headerIsBase64UrlJson() throws Exception {
        String h = RegistryCredentials.header(new RegistryAuth("u", "p?>", "", "r:5000"));
        JsonNode n = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(h));
        assertThat(n.path("username").asText()).isEqualTo("u");
        assertThat(n.path("password").asText()).isEqualTo("p?>");
        assertThat(n.path("serveraddress").asText()).isEqualTo("r:5000");
        JsonNode t = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(
                RegistryCredentials.header(new RegistryAuth("", "", "tok", "r"))));
        assertThat(t.path("identitytoken").asText()).isEqualTo("tok");
        assertThat(t.has("password")).isFalse();
    }

    @Test
    void authNeverPrintsSecrets() {
        assertThat(new RegistryAuth("u", "secret", "", "r").toString()).doesNotContain("secret");
    }
}
