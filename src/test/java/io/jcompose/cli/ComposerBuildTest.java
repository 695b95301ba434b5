package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jcompose.model.Project;
import io.jcompose.project.Binder;
import io.jcompose.project.YamlReader;
import io.jcompose.reconcile.FakeRuntime;
import io.jcompose.reconcile.Reconciler;
import io.jcompose.reconcile.UpOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Builds in {@code up}/{@code create}/{@code build}, on the fake engine: when they run, what they cause, how they fail. */
class ComposerBuildTest {
    private static final String YAML = """
            name: demo
            services:
              api:
                build:
                  context: ./api
                  args: {VERSION: "1", FROM_ENV: null}
                  tags: ["registry.local/demo/api:1"]
                networks: {default: null}
              web:
                image: busybox
                depends_on:
                  api: {condition: service_started, required: true}
                networks: {default: null}
              cache:
                image: busybox
                networks: {default: null}
            networks:
              default: {name: demo_default}
            """;
    private final FakeRuntime rt = new FakeRuntime();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static Project project() {
        return new Binder().bind(new YamlReader().read("compose.yaml", YAML), Path.of("/srv/demo"));
    }

    private Composer composer() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new Composer(rt, o, new PrintStream(err, true, StandardCharsets.UTF_8),
                new ProgressPrinter(o, ProgressPrinter.Mode.PLAIN), 2);
    }

    private int up(UpOptions.BuildPolicy build) throws Exception {
        return composer().up(project(), UpOptions.defaults().with(b -> {
            b.build = build;
            b.env = k -> k.equals("FROM_ENV") ? "env-value" : null;
            return b;
        }), false, Optional.of(Duration.ofSeconds(5)));
    }

    @Test
    void aMissingImageIsBuiltUnderTheDefaultNameBeforeItsContainer() throws Exception {
        rt.images.put("busybox:latest", "sha256:1111");
        assertThat(up(UpOptions.BuildPolicy.DEFAULT)).isZero();
        assertThat(rt.mutatingCalls()).containsSubsequence("build image demo-api registry.local/demo/api:1",
                "create container demo-api-1");
        assertThat(rt.images).containsKeys("demo-api:latest", "registry.local/demo/api:1");
        // cache waits for no build: it ran beside it (first phase), and the second plan had nothing left for it.
        assertThat(rt.mutatingCalls()).containsOnlyOnce("create container demo-cache-1", "start container demo-cache-1");
        assertThat(rt.mutatingCalls().indexOf("start container demo-cache-1"))
                .isLessThan(rt.mutatingCalls().indexOf("create container demo-api-1"));
        assertThat(rt.containers.get("demo-api-1").spec.image()).isEqualTo("demo-api");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(" api | Step 1/1 : FROM busybox")
                .contains("Service api Built");
    }

    @Test
    void bareBuildArgsComeFromTheEnvironmentAndTheImageIsLabelled() {
        var spec = io.jcompose.reconcile.BuildSpecs.spec(project(), project().services().get("api"), true, false,
                Map.of("VERSION", "2"), k -> k.equals("FROM_ENV") ? "env-value" : null);
        assertThat(spec.args()).containsEntry("VERSION", Optional.of("2")).containsEntry("FROM_ENV", Optional.of("env-value"));
        assertThat(spec.context()).isEqualTo(Path.of("/srv/demo/api"));
        assertThat(spec.tags()).containsExactly("demo-api", "registry.local/demo/api:1");
        assertThat(spec.labels()).containsEntry("com.docker.compose.project", "demo").containsEntry("com.docker.compose.service", "api");
        assertThat(spec.noCache()).isTrue();
    }

    @Test
    void upBuildRecreatesOnlyTheServiceWhoseImageChanged() throws Exception {
        rt.images.put("busybox:latest", "sha256:1111");
        rt.buildIds.put("demo-api", "sha256:aaaa");
        assertThat(up(UpOptions.BuildPolicy.DEFAULT)).isZero();
        String apiId = rt.containers.get("demo-api-1").id;
        String webId = rt.containers.get("demo-web-1").id;

        // Same image id: built again, nothing recreated.
        rt.calls.clear();
        assertThat(up(UpOptions.BuildPolicy.ALWAYS)).isZero();
        assertThat(rt.mutatingCalls()).containsExactly("build image demo-api registry.local/demo/api:1");

        // New id: api is recreated, web (unchanged, no restart: true) keeps its container.
        rt.calls.clear();
        rt.buildIds.put("demo-api", "sha256:bbbb");
        assertThat(up(UpOptions.BuildPolicy.ALWAYS)).isZero();
        assertThat(rt.containers.get("demo-api-1").id).isNotEqualTo(apiId);
        assertThat(rt.containers.get("demo-web-1").id).isEqualTo(webId);
        assertThat(rt.mutatingCalls()).containsSubsequence("build image demo-api registry.local/demo/api:1",
                "remove container demo-api-1", "create container demo-api-1");
    }

    @Test
    void noBuildWithAMissingImageFailsClearly() {
        rt.images.put("busybox:latest", "sha256:1111");
        CliException e = catchThrowableOfType(() -> up(UpOptions.BuildPolicy.NEVER), CliException.class);
        assertThat(e.getMessage()).isEqualTo("service api: image demo-api does not exist and --no-build forbids building it;"
                + " run 'jcompose build api' or drop --no-build");
        assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(rt.mutatingCalls()).isEmpty();
    }

    @Test
    void aFailedBuildExits17NamingTheServiceAndTheStep() throws Exception {
        rt.images.put("busybox:latest", "sha256:1111");
        rt.buildFailures.put("demo-api", "The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(up(UpOptions.BuildPolicy.DEFAULT)).isEqualTo(ExitCodes.BUILD);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("jcompose: build image demo-api: service api failed to build:"
                + " The command '/bin/sh -c exit 3' returned a non-zero code: 3\n");
        assertThat(rt.containers).doesNotContainKeys("demo-api-1", "demo-web-1"); // cache may have started beside the build
    }

    @Test
    void dryRunShowsTheBuildWithItsCause() throws Exception {
        rt.images.put("busybox:latest", "sha256:1111");
        assertThat(composer().up(project(), UpOptions.defaults(), true, Optional.empty())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("build image demo-api  — missing\n")
                .contains("create container demo-api-1  (after: build image demo-api, create network demo_default)  — missing\n");
        assertThat(rt.mutatingCalls()).isEmpty();
    }

    @Test
    void buildVerbBuildsEveryServiceWithABuildSection() throws Exception {
        var plan = Reconciler.build(project(), java.util.List.of(), false, false, false, Map.of(), k -> null);
        assertThat(plan.text()).isEqualTo("build image demo-api  — jcompose build\n");
        assertThat(composer().build(plan, false)).isZero();
        assertThat(rt.mutatingCalls()).containsExactly("build image demo-api registry.local/demo/api:1");
        assertThat(catchThrowableOfType(() -> Reconciler.build(project(), java.util.List.of("nope"), false, false, false,
                Map.of(), k -> null), IllegalArgumentException.class)).hasMessageStartingWith("no such service: nope");
    }
}
