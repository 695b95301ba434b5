package io.jcompose.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.Project;
import io.jcompose.project.EnvironmentVariables;
import io.jcompose.project.LoadedProject;
import io.jcompose.project.ProjectLoader;
import io.jcompose.project.ProjectOptions;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.FileSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets and configs: sources, default targets, modes and owners, and the config hash over their bytes. */
class ContainerSpecsFilesTest {
    @TempDir
    Path dir;

    private static final String COMPOSE = """
            name: demo
            services:
              app:
                image: busybox
                secrets:
                  - pw
                  - source: token
                    target: tok
                  - source: cert
                    target: /etc/ssl/app.pem
                    uid: "1000"
                    gid: "2000"
                    mode: 0400
                configs:
                  - cfg
                  - source: inline
                    target: etc/app.conf
                    mode: 0640
              plain:
                image: busybox
            secrets:
              pw: {file: ./pw.txt}
              token: {environment: TOKEN}
              cert: {environment: CERT}
            configs:
              cfg: {file: ./cfg/app.ini}
              inline: {content: "k=v"}
            """;

    private LoadedProject load(String yaml, Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        return new ProjectLoader().load(new ProjectOptions(dir, List.of("compose.yaml"), Optional.empty(), Optional.empty(),
                List.of(), List.of(), List.of(), EnvironmentVariables.of(env), () -> "", true));
    }

    private static ContainerSpec spec(LoadedProject l, String service, FileContents files) {
        Project p = l.model();
        return ContainerSpecs.spec(p, p.services().get(service), 1,
                new ContainerSpecs.SpecContext(List.of(), "test", Optional.empty(), files));
    }

    private void writeSources(String pw) throws Exception {
        Files.writeString(dir.resolve("pw.txt"), pw);
        Files.createDirectories(dir.resolve("cfg"));
        Files.writeString(dir.resolve("cfg/app.ini"), "[app]\n");
    }

    @Test
    void sourcesTargetsOwnersAndModes() throws Exception {
        writeSources("hunter2");
        LoadedProject l = load(COMPOSE, Map.of("TOKEN", "from-env", "CERT", "-----CERT-----"));
        ContainerSpec s = spec(l, "app", FileContents.reading(l.environment()::get));

        assertThat(s.files()).extracting(f -> f.kind() + " " + f.name() + " " + f.target() + " " + f.uid() + ":" + f.gid()
                + " " + Integer.toOctalString(f.mode()) + " " + new String(f.content(), StandardCharsets.UTF_8)
                + (f.hostPath().isEmpty() ? "" : " <- " + dir.relativize(Path.of(f.hostPath()))))
                .containsExactly(
                        "SECRET pw /run/secrets/pw 0:0 444 hunter2 <- pw.txt",
                        "SECRET token /run/secrets/tok 0:0 444 from-env",
                        "SECRET cert /etc/ssl/app.pem 1000:2000 400 -----CERT-----",
                        "CONFIG cfg /cfg 0:0 444 [app]\n <- cfg/app.ini",
                        "CONFIG inline /etc/app.conf 0:0 640 k=v");
        assertThat(spec(l, "plain", FileContents.reading(l.environment()::get)).files()).isEmpty();
    }

    @Test
    void theHashFollowsTheBytesOfEverySource() throws Exception {
        writeSources("one");
        LoadedProject l = load(COMPOSE, Map.of("TOKEN", "t1", "CERT", "c"));
        String base = hash(l, Map.of("TOKEN", "t1", "CERT", "c"));
        assertThat(hash(l, Map.of("TOKEN", "t1", "CERT", "c"))).isEqualTo(base);

        assertThat(hash(l, Map.of("TOKEN", "t2", "CERT", "c"))).as("environment source changed").isNotEqualTo(base);
        writeSources("two");
        String afterFile = hash(l, Map.of("TOKEN", "t1", "CERT", "c"));
        assertThat(afterFile).as("file source changed").isNotEqualTo(base);
        LoadedProject inline = load(COMPOSE.replace("k=v", "k=w"), Map.of("TOKEN", "t1", "CERT", "c"));
        assertThat(hash(inline, Map.of("TOKEN", "t1", "CERT", "c"))).as("inline content changed").isNotEqualTo(afterFile);

        // The field digests name what changed, so the plan's recreate reason can say it.
        String before = ConfigHash.fieldDigests(l.model().services().get("app"), l.model(), FileContents.reading(Map.of("TOKEN", "t1", "CERT", "c")::get));
        String after = ConfigHash.fieldDigests(l.model().services().get("app"), l.model(), FileContents.reading(Map.of("TOKEN", "t9", "CERT", "c")::get));
        assertThat(ConfigHash.changedFields(before, after)).containsExactly("secrets_content");

        // A service without secrets or configs keeps the hash it had before secrets were hashed.
        Project p = l.model();
        assertThat(ConfigHash.of(p.services().get("plain"), p, FileContents.reading(k -> null)))
                .isEqualTo(ConfigHash.of(p.services().get("plain"), p));
    }

    private static String hash(LoadedProject l, Map<String, String> env) {
        Project p = l.model();
        ContainerSpec s = spec(l, "app", FileContents.reading(env::get));
        assertThat(s.labels().get(Labels.CONFIG_HASH)).isEqualTo(ConfigHash.of(p.services().get("app"), p, FileContents.reading(env::get)));
        return s.labels().get(Labels.CONFIG_HASH);
    }

    @Test
    void unusableSourcesFailWithOneLineThatSaysWhatToDo() throws Exception {
        writeSources("x");
        LoadedProject l = load(COMPOSE, Map.of());
        assertThatThrownBy(() -> spec(l, "app", FileContents.reading(k -> null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("service app: secret \"token\": environment variable TOKEN is not set; set it (or put it in .env) before 'up'");

        Files.delete(dir.resolve("pw.txt"));
        assertThatThrownBy(() -> spec(l, "app", FileContents.reading(Map.of("TOKEN", "t", "CERT", "c")::get)))
                .hasMessage("service app: secret \"pw\": file " + dir.resolve("pw.txt") + " does not exist; create it or fix secrets.pw.file");

        LoadedProject ext = load("""
                name: demo
                services:
                  app: {image: busybox, configs: [shared]}
                configs:
                  shared: {external: true}
                """, Map.of());
        assertThatThrownBy(() -> spec(ext, "app", FileContents.reading(k -> null)))
                .hasMessageContaining("service app: config \"shared\" is external: external configs live in Docker Swarm");
    }

    @Test
    void fileSpecsCompareByContent() {
        FileSpec a = new FileSpec(FileSpec.Kind.SECRET, "a", "/run/secrets/a", "x".getBytes(), "", "", "", 0444);
        assertThat(a).isEqualTo(new FileSpec(FileSpec.Kind.SECRET, "a", "/run/secrets/a", "x".getBytes(), "", "0", "0", 0444))
                .isNotEqualTo(new FileSpec(FileSpec.Kind.SECRET, "a", "/run/secrets/a", "y".getBytes(), "", "", "", 0444));
        assertThatThrownBy(() -> new FileSpec(FileSpec.Kind.CONFIG, "c", "etc/c", new byte[0], "", "", "", 0444))
                .hasMessageContaining("target must be absolute");
    }
}
