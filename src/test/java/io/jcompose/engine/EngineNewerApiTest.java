package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Features of Docker Engine API versions newer than the reference dockerd's 1.41 (20.10): no dockerd here can
 * answer them, so they run on our engine only, each tagged with the API version that introduced it
 * ({@code -Dgroups=api-1.44}). The contract for them is moby's swagger.yaml and its documented behaviour. Requests
 * use unversioned paths: the engine announces API 1.41 (the level it is tested against as a whole) and accepts these
 * newer fields there, as dockerd accepts unknown-to-old-clients fields.
 */
@Tag("integration")
class EngineNewerApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Infra.Run curl(Path socket, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--unix-socket", socket.toString()));
        cmd.addAll(List.of(args));
        return Infra.run(cmd);
    }

    static String create(Path socket, String name, String healthcheck) throws Exception {
        String body = "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"sleep 0.3; touch /tmp/ready; exec sleep 300\"],"
                + "\"Healthcheck\":" + healthcheck + ",\"HostConfig\":{\"NetworkMode\":\"none\"}}";
        Infra.Run r = curl(socket, "-XPOST", "-H", "Content-Type: application/json", "-d", body, "http://e/containers/create?name=" + name);
        assertThat(r.out()).contains("\"Id\"");
        assertThat(curl(socket, "-XPOST", "-w", "%{http_code}", "http://e/containers/" + name + "/start").out()).isEqualTo("204");
        return name;
    }

    static JsonNode health(Path socket, String name) throws Exception {
        return JSON.readTree(curl(socket, "http://e/containers/" + name + "/json").out()).at("/State/Health");
    }

    /**
     * API 1.44 {@code Healthcheck.StartInterval}: during the start period probes run at that pace. Observed with
     * Docker's timing ({@code "health-timing": "docker"} in engine.json), where the first probe otherwise waits a
     * whole interval (30 s here): with start_interval the container is healthy in about a second, without it
     * still starting.
     */
    @Test
    @Tag("api-1.44")
    void startIntervalPacesProbesDuringTheStartPeriod() throws Exception {
        Infra.require(Infra.isRoot(), "root");
        Infra.require(Infra.onPath("conmon") && Infra.onPath("runc") && Infra.onPath("curl") && Infra.onPath("docker"), "conmon, runc, curl, docker CLI");
        Path root = Infra.tempRoot();
        Files.writeString(root.resolve("engine.json"), "{\"health-timing\": \"docker\"}");
        try (EngineProcess engine = EngineProcess.start(root)) {
            try {
                startInterval(engine);
            } finally {
                for (String n : List.of("paced", "docker")) curl(engine.socket, "-XDELETE", "http://e/containers/" + n + "?force=1");
            }
        } finally {
            Infra.deleteTempRoot(root);
        }
    }

    private static void startInterval(EngineProcess engine) throws Exception {
        ContainersIntegrationTest.Target.pullBusybox(engine.socket);
        String seconds30 = "30000000000";
        create(engine.socket, "paced", "{\"Test\":[\"CMD-SHELL\",\"test -f /tmp/ready\"],\"Interval\":" + seconds30
                + ",\"StartPeriod\":" + seconds30 + ",\"StartInterval\":200000000}");
        create(engine.socket, "docker", "{\"Test\":[\"CMD-SHELL\",\"test -f /tmp/ready\"],\"Interval\":" + seconds30
                + ",\"StartPeriod\":" + seconds30 + "}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> health(engine.socket, "paced").path("Status").asText().equals("healthy"));
        assertThat(JSON.readTree(curl(engine.socket, "http://e/containers/paced/json").out()).at("/Config/Healthcheck/StartInterval").asLong())
                .isEqualTo(200_000_000L);
        JsonNode other = health(engine.socket, "docker");
        assertThat(other.path("Status").asText()).as("Docker's timing: no probe before the 30 s interval").isEqualTo("starting");
        assertThat(other.path("Log").size()).isZero();
    }
}
