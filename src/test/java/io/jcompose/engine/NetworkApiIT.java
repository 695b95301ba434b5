package io.jcompose.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.testing.LeakChecker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The /networks API of a real engine process, driven by the Docker CLI and curl. Needs root. */
@Tag("integration")
class NetworkApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    Path root;
    SortedSet<LeakChecker.Leak> baseline;

    @BeforeEach
    void setUp() throws Exception {
        Infra.require(Infra.isRoot(), "root (bridges and iptables)");
        Infra.require(Infra.onPath("docker"), "the docker CLI");
        Infra.require(Infra.onPath("curl"), "curl");
        root = Infra.tempRoot();
        baseline = LeakChecker.snapshot();
    }

    @AfterEach
    void tearDown() throws Exception {
        String id = root == null ? null : StateRoot.idOf(root.toRealPath());
        if (root != null) Infra.deleteTempRoot(root);
        if (id != null) {
            SortedSet<LeakChecker.Leak> leaks = LeakChecker.leaks(baseline, LeakChecker.snapshot());
            leaks.removeIf(l -> !l.id().contains(id));
            assertThat(leaks).as("left behind by the engine").isEmpty();
        }
    }

    static Infra.Run docker(Path socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return Infra.run(cmd);
    }

    @Test
    void dockerCliCreatesListsInspectsAndRemovesNetworks() throws Exception {
        try (EngineProcess e = EngineProcess.start(root)) {
            Infra.Run ls = docker(e.socket, "network", "ls", "--format", "{{.Name}} {{.Driver}}");
            assertThat(ls.out().lines().toList()).as(ls.err()).containsExactly("bridge bridge", "host host", "none null");

            Infra.Run created = docker(e.socket, "network", "create", "--subnet", "10.233.0.0/24", "--ip-range", "10.233.0.128/25",
                    "--gateway", "10.233.0.1", "--label", "team=a", "--internal", "jcnet");
            assertThat(created.out().trim()).as(created.err()).matches("[0-9a-f]{64}");
            String id = created.out().trim();
            JsonNode inspect = JSON.readTree(docker(e.socket, "network", "inspect", "jcnet").out()).get(0);
            assertThat(inspect.get("Id").asText()).isEqualTo(id);
            assertThat(inspect.get("Internal").asBoolean()).isTrue();
            assertThat(inspect.at("/IPAM/Config/0/Subnet").asText()).isEqualTo("10.233.0.0/24");
            assertThat(inspect.at("/IPAM/Config/0/IPRange").asText()).isEqualTo("10.233.0.128/25");
            assertThat(inspect.at("/Labels/team").asText()).isEqualTo("a");
            assertThat(inspect.get("Containers").size()).isZero();

            Infra.Run dup = docker(e.socket, "network", "create", "jcnet");
            assertThat(dup.err()).contains("network with name jcnet already exists");
            Infra.Run v6 = docker(e.socket, "network", "create", "--ipv6", "v6");
            assertThat(v6.err()).contains("IPv6");
            assertThat(docker(e.socket, "network", "ls", "-q", "--filter", "label=team=a").out().trim()).isEqualTo(id.substring(0, 12));
            assertThat(docker(e.socket, "network", "ls", "-q", "--filter", "name=nomatch").out().trim()).isEmpty();

            Infra.Run conn = docker(e.socket, "network", "connect", "jcnet", "somecontainer");
            assertThat(conn.code()).isNotZero();
            assertThat(conn.err()).contains("No such container: somecontainer");
            Infra.Run conn6 = docker(e.socket, "network", "connect", "--ip6", "fd00::5", "jcnet", "somecontainer");
            assertThat(conn6.code()).isNotZero();
            assertThat(conn6.err()).contains("IPv6Address (ipv6_address) is not supported by the jcompose engine yet");

            docker(e.socket, "network", "create", "spare");
            Infra.Run pruned = docker(e.socket, "network", "prune", "-f", "--filter", "label=team=a");
            assertThat(pruned.out()).contains("jcnet").doesNotContain("spare");
            assertThat(docker(e.socket, "network", "rm", "spare").out().trim()).isEqualTo("spare");
            Infra.Run gone = docker(e.socket, "network", "inspect", "spare");
            assertThat(gone.err()).contains(Infra.cliNotFound("network", "spare", "network spare not found"));
            Infra.Run builtin = docker(e.socket, "network", "rm", "bridge");
            assertThat(builtin.err()).contains("pre-defined network");
        }
    }
}
