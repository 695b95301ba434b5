package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerEndpointTest {
    @TempDir
    Path home;

    private DockerEndpoint resolve(Map<String, String> env) {
        return DockerEndpoint.resolve(env::get, home);
    }

    @Test
    void defaultIsTheDockerSocket() {
        DockerEndpoint e = resolve(Map.of());
        assertThat(e.host()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(e.source()).isEqualTo("default");
        assertThat(e.transport()).isInstanceOf(UnixTransport.class);
    }

    @Test
    void dockerHostWithTlsVerify() {
        DockerEndpoint e = resolve(Map.of("DOCKER_HOST", "tcp://10.1.2.3:2376", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "/certs"));
        assertThat(e.host()).isEqualTo("tcp://10.1.2.3:2376");
        assertThat(e.tls()).contains(Path.of("/certs"));
        assertThat(e.tlsVerify()).isTrue();
        assertThat(e.source()).isEqualTo("DOCKER_HOST");
    }

    @Test
    void dockerHostWithoutTlsAndCertPathDefaultsToConfigDir() {
        assertThat(resolve(Map.of("DOCKER_HOST", "tcp://h:2375")).tls()).isEmpty();
        assertThat(resolve(Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1")).tls())
                .contains(home.resolve(".docker"));
    }

    @Test
    void currentContextFromConfigJson() throws IOException {
        writeContext("remote", "unix:///run/other.sock");
        Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\":\"remote\"}");
        DockerEndpoint e = resolve(Map.of());
        assertThat(e.host()).isEqualTo("unix:///run/other.sock");
        assertThat(e.source()).isEqualTo("context \"remote\"");
        assertThat(e.tls()).isEmpty();
    }

    @Test
    void dockerContextEnvWinsOverConfigAndDockerHostWinsOverBoth() throws IOException {
        writeContext("a", "unix:///a.sock");
        writeContext("b", "tcp://b:2375");
        Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\":\"a\"}");
        assertThat(resolve(Map.of("DOCKER_CONTEXT", "b")).host()).isEqualTo("tcp://b:2375");
        assertThat(resolve(Map.of("DOCKER_CONTEXT", "b", "DOCKER_HOST", "unix:///h.sock")).host())
                .isEqualTo("unix:///h.sock");
        assertThat(resolve(Map.of("DOCKER_CONTEXT", "default")).host()).isEqualTo(DockerEndpoint.DEFAULT_HOST);
    }

    @Test
    void contextTlsDirectoryIsUsed() throws IOException {
        writeContext("secure", "tcp://s:2376");
        Path tls = home.resolve(".docker/contexts/tls").resolve(DockerEndpoint.sha256("secure")).resolve("docker");
        Files.createDirectories(tls);
        DockerEndpoint e = resolve(Map.of("DOCKER_CONTEXT", "secure"));
        assertThat(e.tls()).contains(tls);
        assertThat(e.tlsVerify()).isTrue();
    }

    @Test
    void unknownContextSaysWhatToDo() {
        assertThatThrownBy(() -> resolve(Map.of("DOCKER_CONTEXT", "nope")))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("docker context \"nope\" (from DOCKER_CONTEXT) not found")
                .hasMessageContaining("docker context ls");
    }

    @Test
    void dockerConfigEnvMovesTheConfigDir() throws IOException {
        Path other = home.resolve("elsewhere");
        Files.createDirectories(other.resolve("contexts/meta").resolve(DockerEndpoint.sha256("x")));
        Files.writeString(other.resolve("contexts/meta").resolve(DockerEndpoint.sha256("x")).resolve("meta.json"),
                "{\"Name\":\"x\",\"Endpoints\":{\"docker\":{\"Host\":\"unix:///x.sock\"}}}");
        Files.writeString(other.resolve("config.json"), "{\"currentContext\":\"x\"}");
        assertThat(resolve(Map.of("DOCKER_CONFIG", other.toString())).host()).isEqualTo("unix:///x.sock");
    }

    @Test
    void unsupportedSchemeIsInvalid() {
        DockerEndpoint e = new DockerEndpoint("ssh://me@host", Optional.empty(), false, "DOCKER_HOST");
        assertThatThrownBy(e::transport).isInstanceOfSatisfying(EngineException.class,
                x -> assertThat(x.category()).isEqualTo(EngineException.Category.INVALID))
                .hasMessage("engine address ssh://me@host (from DOCKER_HOST): unsupported scheme \"ssh\" (supported: unix, tcp)");
    }

    @Test
    void tcpDefaultPorts() {
        assertThat(new DockerEndpoint("tcp://h", Optional.empty(), false, "t").transport().describe())
                .isEqualTo("tcp://h:2375");
    }

    private void writeContext(String name, String host) throws IOException {
        Path dir = home.resolve(".docker/contexts/meta").resolve(DockerEndpoint.sha256(name));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("meta.json"), "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":"
                + "{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":false}}}");
    }
}
