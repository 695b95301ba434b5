package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.HealthcheckSpec;
import io.jcompose.runtime.MountSpec;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.PortBinding;
import io.jcompose.runtime.Resources;
import io.jcompose.runtime.RestartPolicy;
import io.jcompose.runtime.Ulimit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ContainerSpec → create body, and inspect JSON → ContainerInfo, without an engine. */
class SpecJsonTest {
    private final ContainerSpec spec = ContainerSpec.builder("redis:7").name("demo-db-1")
            .env("B", "2").env("A", "1").label("com.docker.compose.service", "db")
            .entrypoint(List.of()).command("redis-server", "--appendonly", "yes")
            .port(PortBinding.published(6379, "tcp", "127.0.0.1", "16379")).port(PortBinding.exposed(9121, "tcp"))
            .mount(MountSpec.bind("/srv/conf", "/etc/redis", true))
            .mount(MountSpec.volume("demo_data", "/data", false))
            .mount(MountSpec.tmpfs("/run", 1024))
            .network("demo_back", new NetworkAttachment(List.of("db"), "10.5.0.5", "", List.of(), ""))
            .network("demo_front", NetworkAttachment.withAliases("database"))
            .restartPolicy(new RestartPolicy("on-failure", 3))
            .healthcheck(new HealthcheckSpec(List.of("CMD", "redis-cli", "ping"), Duration.ofSeconds(2),
                    Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(500), 4))
            .stopSignal("SIGINT").stopTimeout(Duration.ofSeconds(20)).capAdd("NET_ADMIN").init(true)
            .resources(new Resources(256L << 20, -1, 0, 1_500_000_000L, 0, 0, 0, "", 100, false, 0, 0))
            .ulimit(new Ulimit("nofile", 1024, 2048)).sysctl("net.core.somaxconn", "1024")
            .extraHost("gw:10.0.0.1").shmSizeBytes(64L << 20).build();

    @Test
    void createBodyCarriesTheComposeSurface() {
        JsonNode c = SpecJson.containerCreate(spec, "1.41");
        assertThat(c.path("Env").toString()).isEqualTo("[\"A=1\",\"B=2\"]"); // sorted
        assertThat(c.path("Entrypoint").toString()).isEqualTo("[\"\"]"); // explicit reset
        assertThat(c.path("Cmd").toString()).isEqualTo("[\"redis-server\",\"--appendonly\",\"yes\"]");
        assertThat(c.path("ExposedPorts").has("6379/tcp")).isTrue();
        assertThat(c.path("ExposedPorts").has("9121/tcp")).isTrue();
        assertThat(c.path("StopTimeout").asInt()).isEqualTo(20);
        assertThat(c.path("Healthcheck").path("Interval").asLong()).isEqualTo(2_000_000_000L);
        assertThat(c.path("Healthcheck").has("StartInterval")).isFalse(); // not in API 1.41
        assertThat(c.path("Healthcheck").path("Retries").asInt()).isEqualTo(4);
        JsonNode h = c.path("HostConfig");
        assertThat(h.path("Binds").toString()).isEqualTo("[\"/srv/conf:/etc/redis:ro\"]");
        assertThat(h.path("Mounts").toString()).isEqualTo("[{\"Type\":\"volume\",\"Source\":\"demo_data\","
                + "\"Target\":\"/data\",\"ReadOnly\":false},{\"Type\":\"tmpfs\",\"Target\":\"/run\",\"ReadOnly\":false,"
                + "\"TmpfsOptions\":{\"SizeBytes\":1024}}]");
        assertThat(h.path("PortBindings").toString())
                .isEqualTo("{\"6379/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"16379\"}]}");
        assertThat(h.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
        assertThat(h.path("NetworkMode").asText()).isEqualTo("demo_back");
        assertThat(h.path("Memory").asLong()).isEqualTo(256L << 20);
        assertThat(h.path("MemorySwap").asLong()).isEqualTo(-1);
        assertThat(h.path("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
        assertThat(h.path("PidsLimit").asLong()).isEqualTo(100);
        assertThat(h.path("Ulimits").toString()).isEqualTo("[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}]");
        assertThat(h.path("Init").asBoolean()).isTrue();
        assertThat(h.path("ShmSize").asLong()).isEqualTo(64L << 20);
        assertThat(h.path("Sysctls").path("net.core.somaxconn").asText()).isEqualTo("1024");
        // Only the primary network at create time (API < 1.44); the rest are connected afterwards.
        JsonNode endpoints = c.path("NetworkingConfig").path("EndpointsConfig");
        assertThat(endpoints.size()).isEqualTo(1);
        assertThat(endpoints.path("demo_back").toString())
                .isEqualTo("{\"Aliases\":[\"db\"],\"IPAMConfig\":{\"IPv4Address\":\"10.5.0.5\"}}");
    }

    @Test
    void newerApiGetsStartInterval() {
        assertThat(SpecJson.containerCreate(spec, "1.44").path("Healthcheck").path("StartInterval").asLong())
                .isEqualTo(500_000_000L);
    }

    @Test
    void unsetValuesAreOmittedSoTheImageDefaultsApply() {
        JsonNode c = SpecJson.containerCreate(ContainerSpec.builder("busybox").build(), "1.41");
        assertThat(c.has("Cmd")).isFalse();
        assertThat(c.has("Entrypoint")).isFalse();
        assertThat(c.has("Healthcheck")).isFalse();
        assertThat(c.path("HostConfig").has("NetworkMode")).isFalse();
        assertThat(c.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEmpty();
    }

    @Test
    void recordsRejectNonsense() {
        assertThatThrownBy(() -> ContainerSpec.builder(" ").build()).hasMessageContaining("needs an image");
        assertThatThrownBy(() -> PortBinding.exposed(0, "tcp")).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> MountSpec.bind("/a", "relative", false)).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> new RestartPolicy("sometimes", 0)).hasMessageContaining("restart policy");
        assertThatThrownBy(() -> new HealthcheckSpec(List.of("curl"), null, null, null, null, 0))
                .hasMessageContaining("CMD, CMD-SHELL or NONE");
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void inspectJsonIsParsed() throws Exception {
        JsonNode n = new ObjectMapper().readTree("""
                {"Id":"abc","Name":"/demo-db-1","Image":"sha256:1","Created":"2024-05-01T10:00:00.123456789Z",
                 "RestartCount":2,
                 "Config":{"Image":"redis:7","Tty":false,"Env":["A=1","EMPTY="],"Labels":{"x":"y"}},
                 "State":{"Status":"running","Running":true,"Pid":42,"ExitCode":0,
                          "StartedAt":"2024-05-01T10:00:01Z","FinishedAt":"0001-01-01T00:00:00Z",
                          "Health":{"Status":"unhealthy","FailingStreak":3,"Log":[
                             {"Start":"2024-05-01T10:00:02Z","End":"2024-05-01T10:00:03Z","ExitCode":1,"Output":"old"},
                             {"Start":"2024-05-01T10:00:04Z","End":"2024-05-01T10:00:05Z","ExitCode":1,"Output":"no pong\\n"}]}},
                 "NetworkSettings":{"Ports":{"6379/tcp":[{"HostIp":"0.0.0.0","HostPort":"49153"}],"9121/tcp":null},
                   "Networks":{"demo_default":{"NetworkID":"n1","IPAddress":"172.18.0.2","Aliases":["db","abc"]}}},
                 "Mounts":[{"Type":"volume","Name":"demo_data","Source":"/var/lib/docker/volumes/demo_data/_data",
                            "Destination":"/data","RW":true}]}
                """);
        ContainerInfo i = InfoJson.container(n);
        assertThat(i.name()).isEqualTo("demo-db-1");
        assertThat(i.image()).isEqualTo("redis:7");
        assertThat(i.env()).containsEntry("EMPTY", "");
        assertThat(i.created().getNano()).isEqualTo(123456789);
        assertThat(i.state().finishedAt()).isNull();
        assertThat(i.state().health().orElseThrow().lastOutput()).isEqualTo("no pong");
        assertThat(i.state().health().orElseThrow().isUnhealthy()).isTrue();
        assertThat(i.ports()).containsExactly(PortBinding.published(6379, "tcp", "0.0.0.0", "49153"),
                PortBinding.exposed(9121, "tcp"));
        assertThat(i.networks().get("demo_default").aliases()).containsExactly("db", "abc");
        assertThat(i.mounts().get(0).name()).isEqualTo("demo_data");
        assertThat(i.restartCount()).isEqualTo(2);
    }
}
