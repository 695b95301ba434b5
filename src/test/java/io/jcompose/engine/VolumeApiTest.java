package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.testing.UnixHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The volume endpoints through a real engine (in process, short root under /tmp), with expectations taken
 * from dockerd 20.10's answers; and the Docker CLI against the engine's socket.
 */
class VolumeApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    Path root;
    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        Infra.require(Infra.isRoot(), "root (the engine admits root peers)");
        root = Infra.tempRoot();
        engine = Engine.start(new EngineConfig(root, root.resolve("e.sock"), Optional.empty(), "warn", false, java.time.Duration.ofSeconds(2)));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) engine.close();
        if (root != null) Infra.deleteTempRoot(root);
    }

    UnixHttp.Response post(String path, String body) throws Exception {
        return UnixHttp.post(engine.socket(), path, body);
    }

    UnixHttp.Response get(String path) throws Exception {
        return UnixHttp.get(engine.socket(), path);
    }

    static String filters(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    void createInspectListRemoveAsDocker() throws Exception {
        UnixHttp.Response c = post("/v1.41/volumes/create", "{\"Name\":\"data\",\"Labels\":{\"x\":\"y\"}}");
        assertThat(c.status()).isEqualTo(201);
        JsonNode v = JSON.readTree(c.body());
        String mp = root.toRealPath().resolve("volumes/data/_data").toString();
        assertThat(v.get("Mountpoint").asText()).isEqualTo(mp);
        assertThat(Files.isDirectory(Path.of(mp))).isTrue();
        assertThat(v.get("CreatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(c.body()).contains("\"Driver\":\"local\"", "\"Labels\":{\"x\":\"y\"}", "\"Options\":null", "\"Scope\":\"local\"");

        // Creating an existing name returns it unchanged.
        UnixHttp.Response again = post("/volumes/create", "{\"Name\":\"data\",\"Labels\":{\"other\":\"1\"}}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(c.body());

        assertThat(post("/volumes/create", "{\"Name\":").status()).isEqualTo(400);
        assertThat(JSON.readTree(UnixHttp.request(engine.socket(), "POST", "/volumes/create", null).body()).get("Name").asText())
                .matches("[0-9a-f]{64}");
        UnixHttp.Response anon = post("/volumes/create", "{}");
        String anonName = JSON.readTree(anon.body()).get("Name").asText();
        assertThat(anonName).matches("[0-9a-f]{64}");
        assertThat(anon.body()).contains("\"com.docker.volume.anonymous\":\"\"");

        assertThat(get("/volumes/data").body()).isEqualTo(c.body());
        assertThat(get("/volumes/nope")).isEqualTo(new UnixHttp.Response(404, "{\"message\":\"get nope: no such volume\"}\n"));

        JsonNode list = JSON.readTree(get("/volumes?filters=" + filters("{\"label\":[\"x=y\"]}")).body());
        assertThat(list.get("Volumes")).hasSize(1);
        assertThat(list.get("Warnings").isNull()).isTrue();
        assertThat(JSON.readTree(get("/volumes?filters=" + filters("{\"name\":[\"at\"]}")).body()).get("Volumes")).hasSize(1);
        assertThat(JSON.readTree(get("/volumes?filters=" + filters("{\"dangling\":[\"true\"]}")).body()).get("Volumes")).hasSize(3);
        assertThat(JSON.readTree(get("/volumes?filters=" + filters("{\"driver\":[\"other\"]}")).body()).get("Volumes")).isEmpty();
        assertThat(get("/volumes?filters=" + filters("{\"foo\":[\"x\"]}")).body()).isEqualTo("{\"message\":\"Invalid filter 'foo'\"}\n");

        assertThat(UnixHttp.delete(engine.socket(), "/volumes/data").status()).isEqualTo(204);
        assertThat(Files.exists(Path.of(mp).getParent())).isFalse();
        assertThat(UnixHttp.delete(engine.socket(), "/volumes/data").status()).isEqualTo(404);
        assertThat(UnixHttp.delete(engine.socket(), "/volumes/data?force=1").status()).isEqualTo(204);
    }

    @Test
    void createErrorsHaveDockersTexts() throws Exception {
        assertThat(post("/volumes/create", "{\"Name\":\"a\"}")).isEqualTo(new UnixHttp.Response(400,
                "{\"message\":\"create a: volume name is too short, names should be at least two alphanumeric characters\"}\n"));
        assertThat(post("/volumes/create", "{\"Name\":\"a/b\"}").body()).isEqualTo("{\"message\":\"create a/b: \\\"a/b\\\" includes invalid "
                + "characters for a local volume name, only \\\"[a-zA-Z0-9][a-zA-Z0-9_.-]\\\" are allowed. If you intended to pass a host directory, use absolute path\"}\n");
        assertThat(post("/volumes/create", "{\"Name\":\"vb\",\"DriverOpts\":{\"foo\":\"x\"}}").body())
                .isEqualTo("{\"message\":\"create vb: invalid option: \\\"foo\\\"\"}\n");
        assertThat(post("/volumes/create", "{\"Name\":\"vd\",\"DriverOpts\":{\"o\":\"bind\"}}").body())
                .isEqualTo("{\"message\":\"create vd: missing required option: \\\"device\\\"\"}\n");
        UnixHttp.Response opts = post("/volumes/create", "{\"Name\":\"vc\",\"DriverOpts\":{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\"size=1m\"}}");
        assertThat(opts.body()).contains("\"Options\":{\"device\":\"tmpfs\",\"o\":\"size=1m\",\"type\":\"tmpfs\"}");
    }

    @Test
    void pruneFollowsTheRequestedApiVersion() throws Exception {
        post("/volumes/create", "{\"Name\":\"named1\"}");
        post("/volumes/create", "{\"Name\":\"named2\",\"Labels\":{\"keep\":\"1\"}}");
        String anon = JSON.readTree(post("/volumes/create", "{}").body()).get("Name").asText();
        assertThat(post("/v1.41/volumes/prune?filters=" + filters("{\"all\":[\"true\"]}"), null).body())
                .isEqualTo("{\"message\":\"Invalid filter 'all'\"}\n");
        // 1.41: every unused volume the filters select.
        JsonNode p = JSON.readTree(post("/v1.41/volumes/prune?filters=" + filters("{\"label!\":[\"keep\"]}"), null).body());
        assertThat(p.get("VolumesDeleted")).extracting(JsonNode::asText).containsExactlyInAnyOrder("named1", anon);
        assertThat(p.get("SpaceReclaimed").asLong()).isZero();
        assertThat(JSON.readTree(get("/volumes").body()).get("Volumes")).extracting(n -> n.get("Name").asText()).containsExactly("named2");
    }

    @Test
    void volumesAndTheirDataSurviveAnEngineRestart() throws Exception {
        post("/volumes/create", "{\"Name\":\"keep\"}");
        Path data = root.toRealPath().resolve("volumes/keep/_data");
        Files.writeString(data.resolve("f"), "12345");
        engine.close();
        engine = Engine.start(new EngineConfig(root, root.resolve("e.sock"), Optional.empty(), "warn", false, java.time.Duration.ofSeconds(2)));
        assertThat(get("/volumes/keep").status()).isEqualTo(200);
        assertThat(Files.readString(data.resolve("f"))).isEqualTo("12345");
        var df = io.jcompose.engine.api.VolumeRoutes.diskUsage(io.jcompose.engine.volume.Volumes.open(root.resolve("volumes"), java.time.Clock.systemUTC()));
        assertThat(df).hasSize(1);
        assertThat(df.get(0).get("UsageData")).isEqualTo(java.util.Map.of("Size", 5L, "RefCount", 0));
    }

    @Tag("integration")
    @Test
    void dockerCliManagesVolumes() throws Exception {
        Infra.require(Infra.onPath("docker"), "the docker CLI");
        String host = "unix://" + engine.socket();
        Infra.Run create = Infra.run(List.of("docker", "-H", host, "volume", "create", "--label", "a=b", "cli-vol"));
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(create.out().trim()).isEqualTo("cli-vol");
        Infra.Run ls = Infra.run(List.of("docker", "-H", host, "volume", "ls", "--format", "{{.Driver}} {{.Name}}"));
        assertThat(ls.out().trim()).isEqualTo("local cli-vol");
        Infra.Run inspect = Infra.run(List.of("docker", "-H", host, "volume", "inspect", "--format", "{{.Mountpoint}} {{.Labels}}", "cli-vol"));
        assertThat(inspect.out().trim()).isEqualTo(root.toRealPath() + "/volumes/cli-vol/_data map[a:b]");
        Infra.Run missing = Infra.run(List.of("docker", "-H", host, "volume", "inspect", "nope"));
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains(Infra.cliNotFound("volume", "nope", "get nope: no such volume")); // dockerd 20.10's message
        Infra.run(List.of("docker", "-H", host, "volume", "create", "cli-other"));
        Infra.Run rm = Infra.run(List.of("docker", "-H", host, "volume", "rm", "cli-other"));
        assertThat(rm.code()).as(rm.err()).isZero();
        Infra.Run prune = Infra.run(List.of("docker", "-H", host, "volume", "prune", "-f"));
        assertThat(prune.code()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("cli-vol");
        assertThat(JSON.readTree(get("/volumes").body()).get("Volumes")).isEmpty();
    }
}
