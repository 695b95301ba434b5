package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamHelpersTest {
    @Test
    void multiplexedFramesHaveDockersHeader() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        MultiplexedOutput mux = new MultiplexedOutput(wire);
        mux.stream(MultiplexedOutput.STDOUT).write("hi\n".getBytes(StandardCharsets.US_ASCII));
        mux.stream(MultiplexedOutput.STDERR).write(new byte[300]);
        mux.stream(MultiplexedOutput.STDOUT).write(new byte[0]);
        byte[] w = wire.toByteArray();
        assertThat(w).hasSize(8 + 3 + 8 + 300);
        assertThat(java.util.Arrays.copyOf(w, 8)).containsExactly(1, 0, 0, 0, 0, 0, 0, 3);
        assertThat(java.util.Arrays.copyOfRange(w, 11, 19)).containsExactly(2, 0, 0, 0, 0, 0, 1, 44);
        assertThatThrownBy(() -> mux.write(3, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filtersReadBothJsonForms() {
        Filters now = Filters.parse("{\"label\":[\"com.docker.compose.project=demo\",\"x\"],\"status\":[\"running\"]}");
        Filters old = Filters.parse("{\"label\":{\"x\":true,\"com.docker.compose.project=demo\":true,\"off\":false},\"status\":{\"running\":true}}");
        assertThat(now).isEqualTo(old);
        assertThat(now.get("label")).containsExactly("com.docker.compose.project=demo", "x");
        assertThat(now.matchesLabels(Map.of("com.docker.compose.project", "demo", "x", ""))).isTrue();
        assertThat(now.matchesLabels(Map.of("com.docker.compose.project", "other", "x", ""))).isFalse();
        assertThat(now.matchesLabels(Map.of("com.docker.compose.project", "demo"))).isFalse();
        assertThat(Filters.parse("")).isEqualTo(Filters.NONE);
        assertThat(Filters.NONE.get("label")).isEqualTo(List.of());
        assertThatThrownBy(() -> Filters.parse("{\"label\":")).isInstanceOf(ApiException.class).hasMessageStartingWith("invalid filter");
        assertThatThrownBy(() -> Filters.parse("{\"label\":\"x\"}")).isInstanceOf(ApiException.class);
    }

    @Test
    void jsonStreamSendsOneFlushedLinePerMessageAndErrorsInBand() {
        Routes r = new Routes().post("/images/create", (q, s) -> {
            try (JsonStream out = JsonStream.start(s)) {
                out.send(Map.of("status", "Pulling from library/busybox"));
                out.send(JsonStream.error("manifest unknown"));
            }
        });
        ConnectionTest.FakeTransport t = new ConnectionTest.FakeTransport("POST /v1.41/images/create?fromImage=busybox HTTP/1.1\r\n\r\n");
        new Connection(t, new Dispatcher(r), new Peer("root", "root"), "t").serve();
        assertThat(t.written()).contains("Transfer-Encoding: chunked")
                .contains("{\"status\":\"Pulling from library/busybox\"}\n\r\n")
                .contains("{\"error\":\"manifest unknown\",\"errorDetail\":{\"message\":\"manifest unknown\"}}\n\r\n")
                .endsWith("0\r\n\r\n");
    }
}
