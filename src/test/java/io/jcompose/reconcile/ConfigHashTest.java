package io.jcompose.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.runtime.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigHashTest {
    @TempDir
    Path tmp;

    private Project project(String yaml) throws Exception {
        Path f = tmp.resolve("c" + yaml.hashCode() + ".yaml");
        Files.writeString(f, yaml);
        return Fixture.project(f);
    }

    private static final String BASE = """
            name: demo
            services:
              web:
                image: busybox
                command: ["sleep", "60"]
                environment: {A: "1", B: "2"}
            """;

    @Test
    void canonicalTextIsSortedCompactJson() throws Exception {
        Project p = project(BASE);
        assertThat(ConfigHash.canonical(p.services().get("web"), p))
                .isEqualTo("{\"command\":[\"sleep\",\"60\"],\"environment\":{\"A\":\"1\",\"B\":\"2\"},\"image\":\"busybox\"}");
        assertThat(ConfigHash.of(p.services().get("web"), p)).matches("[0-9a-f]{64}")
                .isEqualTo(ConfigHash.sha256(ConfigHash.canonical(p.services().get("web"), p)));
    }

    @Test
    void keyOrderScaleAndDependsOnConditionsDoNotChangeTheHash() throws Exception {
        Project a = project(BASE);
        Project b = project("""
                name: demo
                services:
                  web:
                    environment: {B: "2", A: "1"}
                    command: ["sleep", "60"]
                    image: busybox
                    scale: 3
                    depends_on:
                      db: {condition: service_healthy, required: true}
                  db:
                    image: busybox
                """);
        assertThat(ConfigHash.of(b.services().get("web"), b)).isEqualTo(ConfigHash.of(a.services().get("web"), a));
    }

    @Test
    void anEnvironmentChangeChangesTheHashAndIsNamed() throws Exception {
        Project a = project(BASE);
        Project b = project(BASE.replace("B: \"2\"", "B: \"3\""));
        Service wa = a.services().get("web");
        Service wb = b.services().get("web");
        assertThat(ConfigHash.of(wb, b)).isNotEqualTo(ConfigHash.of(wa, a));
        assertThat(ConfigHash.changedFields(ConfigHash.fieldDigests(wa, a), ConfigHash.fieldDigests(wb, b)))
                .containsExactly("environment");
    }

    @Test
    void specCarriesComposeLabelsAndNames() throws Exception {
        Project p = project("""
                name: demo
                services:
                  web:
                    image: busybox
                    depends_on:
                      db: {condition: service_healthy, required: true, restart: true}
                    networks: {default: null}
                  db:
                    image: busybox
                    network_mode: "service:web"
                networks:
                  default: {name: demo_default}
                """);
        ContainerSpec web = ContainerSpecs.spec(p, p.services().get("web"), 2,
                new ContainerSpecs.SpecContext(List.of("/srv/demo/compose.yaml"), "1.0", Optional.of("sha256:1")));
        assertThat(web.name()).isEqualTo("demo-web-2");
        assertThat(web.labels()).containsEntry(Labels.PROJECT, "demo").containsEntry(Labels.SERVICE, "web")
                .containsEntry(Labels.CONTAINER_NUMBER, "2").containsEntry(Labels.ONEOFF, "False")
                .containsEntry(Labels.WORKING_DIR, "/srv/demo").containsEntry(Labels.CONFIG_FILES, "/srv/demo/compose.yaml")
                .containsEntry(Labels.CONFIG_HASH, ConfigHash.of(p.services().get("web"), p))
                .containsEntry(Labels.DEPENDS_ON, "db:service_healthy:true").containsEntry(Labels.IMAGE, "sha256:1")
                .containsEntry(Labels.VERSION, "1.0");
        assertThat(web.networks()).containsOnlyKeys("demo_default");
        assertThat(web.networks().get("demo_default").aliases()).containsExactly("web");
        ContainerSpec db = ContainerSpecs.spec(p, p.services().get("db"), 1,
                new ContainerSpecs.SpecContext(List.of(), "1.0", Optional.empty()));
        assertThat(db.networkMode()).isEqualTo("container:demo-web-1");
    }
}
