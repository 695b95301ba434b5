package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.FakeEngine.chunked;
import static io.jcompose.runtime.docker.FakeEngine.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.runtime.BuildProgress;
import io.jcompose.runtime.BuildSpec;
import io.jcompose.runtime.EngineException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code Images.build} puts on the wire, and how it reads dockerd's classic build stream. */
class DockerBuildProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private FakeEngine engine;
    private DockerRuntime runtime;

    @AfterEach
    void close() throws IOException {
        if (runtime != null) runtime.close();
        if (engine != null) engine.close();
    }

    private DockerRuntime start(String platformName, List<String> streamLines) throws IOException {
        String config = "{\"auths\":{\"registry.local:5000\":{\"auth\":\"" + Base64.getEncoder().encodeToString("u:p".getBytes()) + "\"}}}";
        engine = new FakeEngine(dir, (req, in, out) -> {
            if (req.target().equals("/_ping")) return json(out, 200, "OK");
            if (req.target().endsWith("/version")) return json(out, 200, "{\"ApiVersion\":\"1.41\",\"Platform\":{\"Name\":\"" + platformName + "\"}}");
            List<byte[]> chunks = new ArrayList<>();
            for (String l : streamLines) chunks.add((l + "\r\n").getBytes(StandardCharsets.UTF_8));
            return chunked(out, 200, "application/json", chunks);
        });
        runtime = DockerRuntime.forTest(engine.transport(), new RegistryCredentials(JSON.readTree(config), (h, s) -> Optional.empty()), "1.41");
        ((DockerImages) runtime.images()).env = k -> k.equals("TOKEN") ? "from-env" : null;
        return runtime;
    }

    private BuildSpec spec(Optional<String> inline, TreeMap<String, BuildSpec.SecretSource> secrets) throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n");
        Files.writeString(ctx.resolve("a.txt"), "a");
        TreeMap<String, Optional<String>> args = new TreeMap<>();
        args.put("V", Optional.of("7"));
        args.put("UNSET", Optional.empty());
        return new BuildSpec(ctx, Optional.empty(), inline, args, Optional.of("runtime"), new TreeMap<>(java.util.Map.of("k", "v")),
                List.of("demo-app", "reg/demo/app:1"), true, true, Optional.of("host"), Optional.empty(), new TreeMap<>(), secrets);
    }

    private static String param(String target, String name) {
        List<String> values = params(target, name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> params(String target, String name) {
        List<String> out = new ArrayList<>();
        for (String kv : target.substring(target.indexOf('?') + 1).split("&")) {
            int eq = kv.indexOf('=');
            if (kv.substring(0, eq).equals(name)) out.add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void sendsTheSpecAsDockersQueryTheContextAsTarAndReadsTheStream() throws Exception {
        start("Docker Engine - Community", List.of("{\"stream\":\"Step 1/1 : FROM busybox\\n ---> abc\"}", "{\"stream\":\"\\n\"}",
                "{\"aux\":{\"ID\":\"sha256:feed\"}}", "{\"stream\":\"Successfully built feed\\n\"}"));
        List<String> lines = new ArrayList<>();
        String id = runtime.images().build(spec(Optional.empty(), new TreeMap<>()), (BuildProgress p) -> lines.add(p.line()));

        assertThat(id).isEqualTo("sha256:feed");
        assertThat(lines).containsExactly("Step 1/1 : FROM busybox", " ---> abc", "Successfully built feed");
        FakeEngine.Request req = engine.requests.stream().filter(r -> r.target().contains("/build")).findFirst().orElseThrow();
        assertThat(req.target()).startsWith("/v1.41/build?");
        assertThat(params(req.target(), "t")).containsExactly("demo-app", "reg/demo/app:1");
        assertThat(param(req.target(), "dockerfile")).isEqualTo("Dockerfile");
        assertThat(JSON.readTree(param(req.target(), "buildargs")).toString()).isEqualTo("{\"UNSET\":null,\"V\":\"7\"}");
        assertThat(param(req.target(), "labels")).isEqualTo("{\"k\":\"v\"}");
        assertThat(param(req.target(), "target")).isEqualTo("runtime");
        assertThat(param(req.target(), "nocache")).isEqualTo("1");
        assertThat(param(req.target(), "pull")).isEqualTo("1");
        assertThat(param(req.target(), "networkmode")).isEqualTo("host");
        assertThat(req.headers()).containsEntry("content-type", "application/x-tar").doesNotContainKey("x-jcompose-build-secrets");
        JsonNode auth = JSON.readTree(Base64.getUrlDecoder().decode(req.headers().get("x-registry-config")));
        assertThat(auth.path("registry.local:5000").path("username").asText()).isEqualTo("u");
        assertThat(auth.path("registry.local:5000").path("password").asText()).isEqualTo("p");
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(req.body()))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) names.add(e.getName());
        }
        assertThat(names).containsExactly("Dockerfile", "a.txt");
    }

    @Test
    void anInlineDockerfileTravelsInTheTarAndSecretsInOurHeader() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "from-file");
        start("jcompose engine", List.of("{\"aux\":{\"ID\":\"sha256:beef\"}}"));
        TreeMap<String, BuildSpec.SecretSource> secrets = new TreeMap<>();
        secrets.put("f", new BuildSpec.SecretSource.File(dir.resolve("token.txt")));
        secrets.put("e", new BuildSpec.SecretSource.Environment("TOKEN"));
        runtime.images().build(spec(Optional.of("FROM busybox\nRUN true\n"), secrets), p -> { });

        FakeEngine.Request req = engine.requests.stream().filter(r -> r.target().contains("/build")).findFirst().orElseThrow();
        String dockerfile = param(req.target(), "dockerfile");
        assertThat(dockerfile).startsWith(".jcompose-dockerfile-");
        String inline = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(req.body()))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) if (e.getName().equals(dockerfile)) inline = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(inline).isEqualTo("FROM busybox\nRUN true\n");
        JsonNode s = JSON.readTree(Base64.getUrlDecoder().decode(req.headers().get("x-jcompose-build-secrets")));
        assertThat(new String(Base64.getDecoder().decode(s.path("f").asText()), StandardCharsets.UTF_8)).isEqualTo("from-file");
        assertThat(new String(Base64.getDecoder().decode(s.path("e").asText()), StandardCharsets.UTF_8)).isEqualTo("from-env");
    }

    @Test
    void additionalContextsTravelUnderTheReservedPrefixWithTheirOwnDockerignoreAndOurHeader() throws Exception {
        start("jcompose engine", List.of("{\"aux\":{\"ID\":\"sha256:beef\"}}"));
        Path extra = Files.createDirectories(dir.resolve("extra"));
        Files.writeString(extra.resolve("e.txt"), "e");
        Files.writeString(extra.resolve("skip.log"), "no");
        Files.writeString(extra.resolve(".dockerignore"), "*.log\n");
        Files.createDirectories(extra.resolve("sub"));
        Files.writeString(extra.resolve("sub/s.txt"), "s");
        BuildSpec s = spec(Optional.empty(), new TreeMap<>());
        TreeMap<String, String> contexts = new TreeMap<>();
        contexts.put("extra", extra.toString());
        contexts.put("base", "docker-image://busybox:1.36");
        contexts.put("reg.local/lib:1", "../extra"); // relative to the build context; a name that is no file name
        BuildSpec withContexts = new BuildSpec(s.context(), s.dockerfile(), s.dockerfileInline(), s.args(), s.target(), s.labels(),
                s.tags(), false, false, Optional.empty(), Optional.empty(), contexts, new TreeMap<>());
        runtime.images().build(withContexts, p -> { });

        FakeEngine.Request req = engine.requests.stream().filter(r -> r.target().contains("/build")).findFirst().orElseThrow();
        JsonNode h = JSON.readTree(Base64.getUrlDecoder().decode(req.headers().get("x-jcompose-build-contexts")));
        assertThat(h.toString()).isEqualTo("{\"base\":{\"type\":\"image\",\"ref\":\"busybox:1.36\"},"
                + "\"extra\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/extra\"},"
                + "\"reg.local/lib:1\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/_2\"}}");
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(req.body()))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) names.add(e.getName());
        }
        assertThat(names).containsExactly("Dockerfile", "a.txt", ".jcompose/", ".jcompose/contexts/",
                ".jcompose/contexts/_2/", ".jcompose/contexts/_2/e.txt", ".jcompose/contexts/_2/sub/", ".jcompose/contexts/_2/sub/s.txt",
                ".jcompose/contexts/extra/", ".jcompose/contexts/extra/e.txt", ".jcompose/contexts/extra/sub/",
                ".jcompose/contexts/extra/sub/s.txt");
    }

    @Test
    void unsupportedAdditionalContextsAreRefusedNamingTheKey() throws Exception {
        start("jcompose engine", List.of());
        BuildSpec s = spec(Optional.empty(), new TreeMap<>());
        for (String[] c : new String[][] {{"svc", "service:base", "service contexts are not supported"},
                {"git", "https://example.com/r.git", "is not supported; use a local directory or docker-image://<image>"},
                {"missing", "/nowhere/at/all", "/nowhere/at/all is not a directory"},
                {"img", "docker-image://", "names no image"}}) {
            BuildSpec bad = new BuildSpec(s.context(), s.dockerfile(), s.dockerfileInline(), s.args(), s.target(), s.labels(),
                    s.tags(), false, false, Optional.empty(), Optional.empty(), new TreeMap<>(java.util.Map.of(c[0], c[1])), new TreeMap<>());
            assertThatThrownBy(() -> runtime.images().build(bad, p -> { })).as(c[1]).isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("build demo-app: build.additional_contexts." + c[0] + ": ").hasMessageContaining(c[2]);
        }
        assertThat(engine.requests).noneMatch(r -> r.target().contains("/build"));
    }

    @Test
    void anInBandErrorFailsWithTheStepsMessage() throws Exception {
        start("Docker Engine - Community", List.of("{\"stream\":\"Step 2/2 : RUN exit 3\\n\"}",
                "{\"errorDetail\":{\"code\":3,\"message\":\"The command '/bin/sh -c exit 3' returned a non-zero code: 3\"},"
                        + "\"error\":\"The command '/bin/sh -c exit 3' returned a non-zero code: 3\"}"));
        assertThatThrownBy(() -> runtime.images().build(spec(Optional.empty(), new TreeMap<>()), p -> { }))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.category()).isEqualTo(EngineException.Category.OTHER);
                    assertThat(e.engineMessage()).isEqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
                    assertThat(e).hasMessage("build demo-app: The command '/bin/sh -c exit 3' returned a non-zero code: 3");
                });
    }

    @Test
    void secretsOnDockerdAndAdditionalContextsAreRefusedBeforeAnythingIsSent() throws Exception {
        start("Docker Engine - Community", List.of());
        TreeMap<String, BuildSpec.SecretSource> secrets = new TreeMap<>();
        secrets.put("e", new BuildSpec.SecretSource.Environment("TOKEN"));
        assertThatThrownBy(() -> runtime.images().build(spec(Optional.empty(), secrets), p -> { }))
                .isInstanceOf(EngineException.class).hasMessageContaining("build secrets (e) need BuildKit");
        BuildSpec s = spec(Optional.empty(), new TreeMap<>());
        BuildSpec withContexts = new BuildSpec(s.context(), s.dockerfile(), s.dockerfileInline(), s.args(), s.target(), s.labels(),
                s.tags(), false, false, Optional.empty(), Optional.empty(), new TreeMap<>(java.util.Map.of("lib", "../lib")), new TreeMap<>());
        assertThatThrownBy(() -> runtime.images().build(withContexts, p -> { }))
                .isInstanceOf(EngineException.class).hasMessageContaining("build.additional_contexts (lib) need BuildKit or the jcompose engine")
                .hasMessageContaining("--runtime builtin");
        BuildSpec missing = new BuildSpec(dir.resolve("nowhere"), s.dockerfile(), s.dockerfileInline(), s.args(), s.target(), s.labels(),
                s.tags(), false, false, Optional.empty(), Optional.empty(), new TreeMap<>(), new TreeMap<>());
        assertThatThrownBy(() -> runtime.images().build(missing, p -> { })).isInstanceOf(EngineException.class)
                .hasMessage("build demo-app: the build context " + dir.resolve("nowhere") + " is not a directory;"
                        + " check build.context (relative to the project directory)");
        assertThat(engine.requests).noneMatch(r -> r.target().contains("/build"));
    }
}
