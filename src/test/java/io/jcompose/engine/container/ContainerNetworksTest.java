package io.jcompose.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.engine.network.PortBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of a container's networking: network-mode kinds and PortBindings → publish requests. */
class ContainerNetworksTest {
    static ContainerSpec spec(String json) throws Exception {
        return ContainerJson.MAPPER.readValue(json, ContainerSpec.class);
    }

    @Test
    void networkModeKinds() throws Exception {
        assertThat(ContainerNetworks.kind(spec("{\"Image\":\"b\"}").hostConfig())).isEqualTo("bridge");
        assertThat(ContainerNetworks.kind(spec("{\"Image\":\"b\",\"HostConfig\":{\"NetworkMode\":\"proj_default\"}}").hostConfig())).isEqualTo("bridge");
        assertThat(ContainerNetworks.kind(spec("{\"Image\":\"b\",\"HostConfig\":{\"NetworkMode\":\"host\"}}").hostConfig())).isEqualTo("host");
        assertThat(ContainerNetworks.kind(spec("{\"Image\":\"b\",\"HostConfig\":{\"NetworkMode\":\"none\"}}").hostConfig())).isEqualTo("none");
        assertThat(ContainerNetworks.kind(spec("{\"Image\":\"b\",\"HostConfig\":{\"NetworkMode\":\"container:abc\"}}").hostConfig())).isEqualTo("container");
    }

    @Test
    void portBindingsAsDockerSendsThem() throws Exception {
        ContainerSpec s = spec("{\"Image\":\"b\",\"ExposedPorts\":{\"80/tcp\":{},\"9000/tcp\":{}},\"HostConfig\":{\"PortBindings\":{"
                + "\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"},{\"HostIp\":\"\",\"HostPort\":\"8080\"}],"
                + "\"53/udp\":[{\"HostPort\":\"5300-5310\"}]}}}");
        assertThat(ContainerNetworks.bindings(s)).containsExactly(
                new PortBinding("udp", "0.0.0.0", 5300, 5310, 53),
                new PortBinding("tcp", "127.0.0.1", 0, 0, 80),
                new PortBinding("tcp", "0.0.0.0", 8080, 8080, 80));
    }

    @Test
    void publishAllPortsPublishesEveryExposedPortOnARandomPort() throws Exception {
        ContainerSpec s = spec("{\"Image\":\"b\",\"ExposedPorts\":{\"80/tcp\":{},\"9000/udp\":{}},\"HostConfig\":{\"PublishAllPorts\":true,"
                + "\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]}}}");
        assertThat(ContainerNetworks.bindings(s)).containsExactly(
                new PortBinding("tcp", "0.0.0.0", 8080, 8080, 80),
                new PortBinding("udp", "0.0.0.0", 0, 0, 9000));
    }

    @Test
    void badPortsAreUserErrors() throws Exception {
        assertThatThrownBy(() -> ContainerNetworks.bindings(spec("{\"Image\":\"b\",\"HostConfig\":{\"PortBindings\":{\"http/tcp\":[]}}}")))
                .isInstanceOf(ContainerException.class).hasMessageContaining("invalid port \"http/tcp\"");
        assertThatThrownBy(() -> ContainerNetworks.bindings(spec("{\"Image\":\"b\",\"HostConfig\":{\"PortBindings\":{\"80/sctp\":[]}}}")))
                .isInstanceOf(ContainerException.class).hasMessageContaining("unsupported protocol sctp");
        assertThatThrownBy(() -> ContainerNetworks.bindings(spec("{\"Image\":\"b\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"x\"}]}}}")))
                .isInstanceOf(ContainerException.class).hasMessageContaining("invalid port binding");
    }
}
