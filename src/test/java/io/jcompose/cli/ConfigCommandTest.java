package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.project.EnvironmentVariables;
import io.jcompose.project.StandInStages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcompose config} in process, with stand-ins for the loader stages other branches own. */
class ConfigCommandTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private String stdin = "";

    private CliTest.Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var ctx = new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), EnvironmentVariables.of(env), tmp,
                () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int code = JcomposeCommand.run(args, ctx, StandInStages::loader);
        return new CliTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void write(String rel, String text) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static final String COMPOSE = """
            services:
              web:
                image: "nginx:${TAG:-latest}"
                depends_on: {db: {condition: service_started}}
                profiles: [front]
              db:
                image: postgres
                environment: {PASSWORD: "${PW:?need a password}"}
              builder:
                build: {context: .}
              lonely:
                image: busybox
            volumes: {data: {}}
            networks: {back: {}, front: {}}
            """;

    @Test
    void printsCanonicalYamlWithNameFirst() throws IOException {
        write("compose.yaml", COMPOSE);
        env.put("PW", "s3cret");
        CliTest.Result r = run("-p", "demo", "config");
        assertThat(r.code()).as(r.err()).isZero();
        // docker compose's typed order: name, services, networks, volumes; a service's fields in compose-go's order.
        assertThat(r.out()).startsWith("name: demo\nservices:\n  builder:\n");
        assertThat(r.out()).contains("  web:\n    profiles:\n      - front\n    depends_on:\n")
                .contains("\nnetworks:\n  back: {}\n  front: {}\nvolumes:\n  data: {}\n");
        assertThat(r.out().indexOf("\nnetworks:\n")).isGreaterThan(r.out().indexOf("\nservices:\n"));
        assertThat(r.out()).contains("    image: nginx:latest\n").contains("      PASSWORD: s3cret\n");
    }

    @Test
    void json() throws IOException {
        write("compose.yaml", COMPOSE);
        env.put("PW", "x");
        CliTest.Result r = run("config", "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\n  \"name\": \"" + tmp.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_-]", "") + "\",\n");
    }

    @Test
    void lists() throws IOException {
        write("compose.yaml", COMPOSE);
        env.put("PW", "x");
        assertThat(run("config", "--services").out()).isEqualTo("builder\ndb\nlonely\nweb\n");
        assertThat(run("config", "--volumes").out()).isEqualTo("data\n");
        assertThat(run("config", "--networks").out()).isEqualTo("back\nfront\n");
        assertThat(run("-p", "p", "config", "--images").out()).isEqualTo("p-builder\npostgres\nbusybox\nnginx:latest\n");
        assertThat(run("config", "--profiles").out()).isEqualTo("front\n");
        assertThat(run("config", "-q").out()).isEmpty();
    }

    @Test
    void namedServicesKeepTheirDependencies() throws IOException {
        write("compose.yaml", COMPOSE);
        env.put("PW", "x");
        assertThat(run("config", "--services", "web").out()).isEqualTo("db\nweb\n");
        CliTest.Result r = run("config", "nosuch");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("no such service: nosuch");
    }

    @Test
    void variablesTable() throws IOException {
        write("compose.yaml", COMPOSE);
        assertThat(run("config", "--variables").out()).isEqualTo("""
                NAME   REQUIRED   DEFAULT VALUE   ALTERNATE VALUE
                PW     true
                TAG    false      latest
                """);
    }

    @Test
    void environmentListsProcessAndDotEnvSorted() throws IOException {
        write("compose.yaml", COMPOSE);
        write(".env", "PW=fromfile\nZ=z\n");
        env.put("A", "1");
        assertThat(run("config", "--environment").out()).isEqualTo("A=1\nPW=fromfile\nZ=z\n");
    }

    @Test
    void noInterpolateAndOutputFile() throws IOException {
        write("compose.yaml", COMPOSE);
        CliTest.Result r = run("config", "--no-interpolate", "-o", "out.yaml");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(tmp.resolve("out.yaml"))).contains("image: nginx:${TAG:-latest}");
    }

    @Test
    void stdin() {
        stdin = "services:\n  s: {image: i}\n";
        CliTest.Result r = run("-f", "-", "config", "--services");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("s\n");
    }

    @Test
    void exitCodes() throws IOException {
        CliTest.Result none = run("config");
        assertThat(none.code()).isEqualTo(ExitCodes.FILE_NOT_FOUND);
        assertThat(none.err()).contains("no configuration file provided").doesNotContain("Exception");
        write("compose.yaml", COMPOSE);
        CliTest.Result missing = run("config");
        assertThat(missing.code()).isEqualTo(ExitCodes.COMPOSE_PARSE);
        assertThat(missing.err()).isEqualTo("compose.yaml:8:29: services.db.environment.PASSWORD: required variable PW is missing a value: need a password\n");
        assertThat(run("config", "--format", "toml").code()).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(run("-p", "Bad Name", "config").err()).contains("lowercase letters, digits");
    }

    @Test
    void warningsGoToStderr() throws IOException {
        write("compose.yaml", "services:\n  web: {image: \"x${UNSET}\"}\n");
        CliTest.Result r = run("config");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("WARN compose.yaml:2:16: services.web.image: variable \"UNSET\" is not set");
        assertThat(r.out()).doesNotContain("WARN");
    }

    /** The real loader: the hash is what the reconciler writes to com.docker.compose.config-hash. */
    private CliTest.Result runReal(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var ctx = new JcomposeCommand.Context(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), EnvironmentVariables.of(env), tmp,
                () -> new ByteArrayInputStream(new byte[0]));
        int code = JcomposeCommand.run(args, ctx);
        return new CliTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hashPrintsOneLinePerServiceAndFollowsTheConfig() throws IOException {
        write("compose.yaml", "services:\n  web: {image: nginx, environment: {A: '1'}}\n  db: {image: postgres}\n");
        CliTest.Result all = runReal("config", "--hash", "*");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).matches("db [0-9a-f]{64}\nweb [0-9a-f]{64}\n");
        CliTest.Result one = runReal("config", "--hash", "web");
        assertThat(all.out()).contains(one.out());

        write("compose.yaml", "services:\n  web: {image: nginx, environment: {A: '2'}}\n  db: {image: postgres}\n");
        CliTest.Result changed = runReal("config", "--hash", "*");
        String[] before = all.out().split("\n");
        String[] after = changed.out().split("\n");
        assertThat(after[0]).as("db is unchanged").isEqualTo(before[0]);
        assertThat(after[1]).as("web's environment changed").isNotEqualTo(before[1]);

        CliTest.Result unknown = runReal("config", "--hash", "nope");
        assertThat(unknown.code()).isEqualTo(ExitCodes.COMMAND_SYNTAX);
        assertThat(unknown.err()).contains("no such service: nope (defined: db, web)");
    }
}
