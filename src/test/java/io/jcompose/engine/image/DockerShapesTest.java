package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON the API layer will send, byte for byte as dockerd writes it. */
class DockerShapesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void progressMessages() throws Exception {
        assertThat(JSON.writeValueAsString(ProgressMessage.status("Pulling from library/busybox", "latest")))
                .isEqualTo("{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}");
        assertThat(JSON.writeValueAsString(ProgressMessage.phase("Pulling fs layer", "a3ed95caeb02")))
                .isEqualTo("{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"a3ed95caeb02\"}");
        // Captured from dockerd 20.10 pulling a 3 MB layer (curl -X POST /v1.41/images/create?fromImage=…).
        assertThat(JSON.writeValueAsString(ProgressMessage.progress("Downloading", "91e4d2b6c9e0", 36445, 3002123)))
                .isEqualTo("{\"status\":\"Downloading\",\"progressDetail\":{\"current\":36445,\"total\":3002123},"
                        + "\"progress\":\"[>                                                  ]  36.45kB/3.002MB\",\"id\":\"91e4d2b6c9e0\"}");
        assertThat(ProgressMessage.progress("Extracting", "x", 32768, 3002123).progress())
                .isEqualTo("[>                                                  ]  32.77kB/3.002MB");
        assertThat(ProgressMessage.progress("Extracting", "x", 3002123, 3002123).progress())
                .isEqualTo("[==================================================>]  3.002MB/3.002MB");
        assertThat(ProgressMessage.humanSize(512)).isEqualTo("512B");
        assertThat(ProgressMessage.humanSize(1000)).isEqualTo("1kB");
        assertThat(ProgressMessage.humanSize(4_194_304)).isEqualTo("4.194MB");
        assertThat(JSON.writeValueAsString(ProgressMessage.error("manifest unknown")))
                .isEqualTo("{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}");
        assertThat(JSON.writeValueAsString(ProgressMessage.aux(new java.util.LinkedHashMap<>(Map.of("Tag", "1")))))
                .isEqualTo("{\"progressDetail\":{},\"aux\":{\"Tag\":\"1\"}}");
    }

    @ParameterizedTest
    @CsvSource({
            "2024-01-02T03:04:05Z, 2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05.000000000Z, 2024-01-02T03:04:05Z",
            "2026-11-23T05:19:20.326570910Z, 2026-11-23T05:19:20.32657091Z",
            "2024-01-02T03:04:05.5+02:00, 2024-01-02T03:04:05.5+02:00",
            "not a date, not a date",
    })
    void createdIsFormattedAsGoRfc3339Nano(String in, String out) {
        assertThat(ImageService.rfc3339Nano(in)).isEqualTo(out);
    }

    @Test
    void registryAuthHeaderForms() {
        assertThat(RegistryAuth.fromHeader("")).isEqualTo(RegistryAuth.NONE);
        assertThat(RegistryAuth.fromHeader("e30=")).isEqualTo(RegistryAuth.NONE); // "{}" as docker sends for anonymous
        RegistryAuth a = RegistryAuth.fromHeader(java.util.Base64.getUrlEncoder().encodeToString(
                "{\"identitytoken\":\"tok\",\"serveraddress\":\"r.example\"}".getBytes()));
        assertThat(a.identityToken()).contains("tok");
        assertThat(a.serverAddress()).contains("r.example");
        assertThat(a.toString()).doesNotContain("tok\"").contains("***");
    }

    @Test
    void importChanges() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode c = JSON.createObjectNode();
        ImportChanges.apply(c, java.util.List.of("CMD [\"sh\", \"-c\", \"echo hi\"]", "ENTRYPOINT /entry.sh", "ENV A=1 B=two",
                "ENV A 3", "LABEL com.example=\"x y\"", "EXPOSE 80 53/udp", "VOLUME /data", "USER 1000", "WORKDIR /srv", "STOPSIGNAL SIGINT"));
        assertThat(JSON.writeValueAsString(c)).isEqualTo("{\"Cmd\":[\"sh\",\"-c\",\"echo hi\"],\"Entrypoint\":[\"/bin/sh\",\"-c\",\"/entry.sh\"],"
                + "\"Env\":[\"B=two\",\"A=3\"],\"Labels\":{\"com.example\":\"x y\"},\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{}},"
                + "\"Volumes\":{\"/data\":{}},\"User\":\"1000\",\"WorkingDir\":\"/srv\",\"StopSignal\":\"SIGINT\"}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImportChanges.apply(c, java.util.List.of("RUN rm -rf /")))
                .hasMessageContaining("RUN is not allowed");
    }
}
