package io.jcompose.testing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The parsers of the leak checker on captured host output (pure; the planted-leak self-test is LeakCheckerIT). */
class LeakCheckerTest {
    @Test void overlayMountsOutsideDockerOnly() {
        String mi = """
                36 25 0:31 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=/x
                37 25 0:32 / /tmp/jc\\0401/merged rw,relatime - overlay overlay rw,lowerdir=/y
                38 25 0:33 / /tmp/t rw - tmpfs tmpfs rw
                """;
        assertThat(LeakChecker.overlayMounts(mi)).containsExactly(new LeakChecker.Leak("mount", "/tmp/jc 1/merged"));
    }

    @Test void bridgesAndVethsThatAreNotDockers() {
        String ip = """
                [{"ifname":"docker0","linkinfo":{"info_kind":"bridge"}},
                 {"ifname":"br-0123456789ab","linkinfo":{"info_kind":"bridge"}},
                 {"ifname":"vethabc","master":"docker0","linkinfo":{"info_kind":"veth"}},
                 {"ifname":"jc-br","linkinfo":{"info_kind":"bridge"}},
                 {"ifname":"jcv0","master":"jc-br","linkinfo":{"info_kind":"veth"}},
                 {"ifname":"eth0"}]
                """;
        assertThat(LeakChecker.links(ip)).containsExactly(
                new LeakChecker.Leak("link", "bridge jc-br"), new LeakChecker.Leak("link", "veth jcv0"));
    }

    @Test void iptablesLinesMentioningJcomposeWithTheirTable() {
        String save = """
                *nat
                :PREROUTING ACCEPT [3:180]
                :JCOMPOSE-DNAT - [0:0]
                -A PREROUTING -j JCOMPOSE-DNAT
                COMMIT
                *filter
                :FORWARD DROP [0:0]
                -A FORWARD -j DOCKER-USER
                COMMIT
                """;
        assertThat(LeakChecker.iptables(save)).containsExactly(
                new LeakChecker.Leak("iptables", "nat: :JCOMPOSE-DNAT -"),
                new LeakChecker.Leak("iptables", "nat: -A PREROUTING -j JCOMPOSE-DNAT"));
    }

    @Test void processesRuntimeMonitorsAndEngines() {
        assertThat(LeakChecker.process("7", "conmon", List.of("conmon", "-c", "x"))).isEqualTo(new LeakChecker.Leak("process", "conmon 7"));
        assertThat(LeakChecker.process("8", "java", List.of("java", "-jar", "/x/target/jcompose.jar", "engine", "--root", "/tmp/jc-1")))
                .isEqualTo(new LeakChecker.Leak("engine", "8 /x/target/jcompose.jar engine --root /tmp/jc-1"));
        assertThat(LeakChecker.process("9", "java", List.of("java", "-cp", "a:b", "io.jcompose.Main", "engine"))).isNotNull();
        assertThat(LeakChecker.process("10", "java", List.of("java", "-jar", "/x/jcompose.jar", "up"))).isNull();
        assertThat(LeakChecker.process("11", "sleep", List.of("sleep", "1"))).isNull();
        assertThat(LeakChecker.process("12", "sh", List.of("/bin/sh", "-c", "exec \"$@\" 3<>\"$JC_SYNC\"", "conmon", "/usr/bin/conmon", "-c", "x")))
                .isEqualTo(new LeakChecker.Leak("process", "conmon launcher 12"));
        assertThat(LeakChecker.process("13", "sh", List.of("/bin/sh", "-c", "echo conmon"))).isNull();
    }

    @Test void leaksAreWhatIsNewSinceTheBaseline() {
        LeakChecker.Leak a = new LeakChecker.Leak("netns", "a");
        LeakChecker.Leak b = new LeakChecker.Leak("netns", "b");
        assertThat(LeakChecker.leaks(Set.of(a), Set.of(a, b))).containsExactly(b);
        assertThat(LeakChecker.leaks(Set.of(a, b), Set.of(a))).isEmpty();
    }
}
