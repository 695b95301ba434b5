package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * build/config/&lt;case&gt;/: Dockerfile, optional base.json (the base image's "config"), optional query.json
 * (POST /build query, e.g. {"buildargs":["{\"A\":\"1\"}"]}) → expected.json: the final config as dockerd
 * writes it, history lines and warnings (or error.txt).
 */
class StagePlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> cases() throws Exception {
        return BuildGolden.cases("config").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void config(Path dir) throws Exception {
        String actual;
        Path golden = dir.resolve("expected.json");
        try {
            actual = plan(dir);
        } catch (DockerfileException e) {
            actual = e.getMessage() + "\n";
            golden = dir.resolve("error.txt");
        }
        BuildGolden.assertGolden(golden, actual);
    }

    private static String plan(Path dir) throws Exception {
        Dockerfile df = new DockerfileParser().parse("Dockerfile", Files.readString(dir.resolve("Dockerfile")));
        BuildRequest req = BuildRequest.defaults();
        if (Files.exists(dir.resolve("query.json"))) {
            Map<String, List<String>> q = JSON.readValue(dir.resolve("query.json").toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, List<String>>>() {});
            req = BuildRequest.fromQuery(q);
        }
        ContainerConfig base = Files.exists(dir.resolve("base.json"))
                ? ContainerConfig.fromJson(JSON.readTree(dir.resolve("base.json").toFile())) : ContainerConfig.empty();
        StagePlanner p = new StagePlanner("Dockerfile", df, req, Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8"));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode stages = out.putArray("stages");
        ContainerConfig last = null;
        for (Dockerfile.Stage s : p.stagesFor(req.target())) {
            ObjectNode st = stages.addObject();
            st.put("stage", s.index());
            st.put("base", p.baseOf(s));
            p.platformOf(s).ifPresent(x -> st.put("platform", x));
            ArrayNode steps = st.putArray("steps");
            List<Step> planned = p.plan(s, base, "");
            for (Step step : planned) {
                ObjectNode o = steps.addObject();
                o.put("createdBy", step.createdBy());
                if (step instanceof Step.RunCommand r) {
                    ArrayNode a = o.putArray("argv");
                    r.argv().forEach(a::add);
                    if (!r.buildArgs().isEmpty()) o.set("buildArgs", JSON.valueToTree(r.buildArgs()));
                    o.put("network", r.network());
                }
                if (step instanceof Step.CopyFiles c) {
                    o.set("sources", JSON.valueToTree(c.sources()));
                    o.put("dest", c.dest());
                    c.from().ifPresent(f -> o.put("from", f));
                    c.chown().ifPresent(f -> o.put("chown", f.user() + ":" + f.group()));
                    c.chmod().ifPresent(f -> o.put("chmod", Integer.toOctalString(f)));
                    if (!c.inline().isEmpty()) o.set("inline", JSON.valueToTree(c.inline()));
                }
            }
            last = planned.isEmpty() ? base : planned.get(planned.size() - 1).config();
        }
        out.set("config", last.toJson(JSON));
        p.unusedArgsWarning().ifPresent(w -> out.put("warning", w));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
    }

    @Test
    void workdirResolution() {
        assertThat(StagePlanner.resolveWorkdir("", "app")).isEqualTo("/app");
        assertThat(StagePlanner.resolveWorkdir("/a", "b/../c")).isEqualTo("/a/c");
        assertThat(StagePlanner.resolveWorkdir("/a", "/x/")).isEqualTo("/x");
    }

    @Test
    void configJsonHasDockerFieldOrderAndNulls() {
        JsonNode j = ContainerConfig.empty().toJson(JSON);
        assertThat(j.toString()).isEqualTo("{\"Hostname\":\"\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,"
                + "\"AttachStdout\":false,\"AttachStderr\":false,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,"
                + "\"Env\":null,\"Cmd\":null,\"Image\":\"\",\"Volumes\":null,\"WorkingDir\":\"\",\"Entrypoint\":null,"
                + "\"OnBuild\":null,\"Labels\":null}");
    }

    @Test
    void addFromUrlIsRefusedWithAHint() throws Exception {
        Dockerfile df = new DockerfileParser().parse("Dockerfile", "FROM scratch\nADD https://example.com/a.tgz /\n");
        StagePlanner p = new StagePlanner("Dockerfile", df, BuildRequest.defaults(), Platform.parse("linux/amd64"), Platform.parse("linux/amd64"));
        assertThatThrownBy(() -> p.plan(df.stages().get(0), ContainerConfig.empty(), ""))
                .hasMessage("Dockerfile:2: ADD from a URL is not supported by the jcompose builder; use RUN with curl/wget (https://example.com/a.tgz)");
    }

    @Test
    void queryParametersAreValidated() {
        assertThatThrownBy(() -> BuildRequest.fromQuery(Map.of("nocache", List.of("maybe"))))
                .hasMessage("invalid value for nocache: \"maybe\" is not a boolean");
        assertThatThrownBy(() -> BuildRequest.fromQuery(Map.of("buildargs", List.of("[1]"))))
                .hasMessage("buildargs must be a JSON object, got: [1]");
        assertThatThrownBy(() -> BuildRequest.fromQuery(Map.of("t", List.of("Upper:1"))))
                .hasMessageContaining("must be lowercase");
        BuildRequest r = BuildRequest.fromQuery(Map.of("t", List.of("a:1", "b"), "buildargs", List.of("{\"X\":null,\"Y\":\"2\"}"),
                "nocache", List.of("1"), "platform", List.of("linux/aarch64")));
        assertThat(r.tags()).containsExactly("a:1", "b");
        assertThat(r.buildArgs()).containsEntry("X", Optional.empty()).containsEntry("Y", Optional.of("2"));
        assertThat(r.noCache()).isTrue();
        assertThat(r.platform()).contains(new Platform("linux", "arm64", ""));
    }
}
