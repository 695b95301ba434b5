package io.jcompose.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness end to end: a pipeline-built busybox, pushed to the fixture registry, pulled and run by dockerd. */
@Tag("integration")
class SampleDockerdIT {
    static Dockerd dockerd;

    @BeforeAll static void infra() {
        Infra.requireRoot();
        dockerd = Dockerd.shared();
    }

    @Test void dockerdPullsOurBusyboxOverPlainHttpAndRunsIt() throws Exception {
        String ref = TestImages.pullIntoDockerd("busybox");
        assertThat(ref).startsWith("127.0.0.1:").endsWith("/library/busybox:latest");
        Exec.Result r = dockerd.docker("run", "--rm", "--label", Dockerd.TEST_LABEL, ref, "echo", "hi").check();
        assertThat(r.out()).isEqualTo("hi\n");

        // The image config dockerd reports is the one our pipeline wrote (plain HTTP to the socket).
        UnixHttp.Response img = UnixHttp.get(dockerd.socket(), "/images/" + URLEncoder.encode(ref, StandardCharsets.UTF_8) + "/json");
        assertThat(img.status()).isEqualTo(200);
        JsonNode cfg = new ObjectMapper().readTree(img.body()).get("Config");
        assertThat(cfg.get("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(new ObjectMapper().readTree(img.body()).get("Architecture").asText()).isEqualTo("amd64");
    }

    @Test void busyboxLookAlikeHasUsersTmpAndApplets() {
        String ref = TestImages.pullIntoDockerd("busybox");
        Exec.Result r = dockerd.docker("run", "--rm", "--label", Dockerd.TEST_LABEL, ref, "sh", "-c",
                "id -u nobody; stat -c %a /tmp; ls /bin | wc -l; echo x | sed s/x/y/; hostname >/dev/null && echo host-ok").check();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("65534");
        assertThat(lines[1]).isEqualTo("1777");
        assertThat(Integer.parseInt(lines[2].strip())).isGreaterThan(100);
        assertThat(lines[3]).isEqualTo("y");
        assertThat(lines[4]).isEqualTo("host-ok");
    }
}
