package io.jcompose.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak checker's self-test: plants one leak of every kind, expects each caught, then removes them all. */
@Tag("integration")
class LeakCheckerIT {
    @BeforeAll static void infra() {
        Infra.requireRoot();
        for (String b : List.of("ip", "iptables", "iptables-save", "mount", "umount")) Infra.requireBinary(b);
    }

    @Test void catchesOneLeakOfEveryKindAndForgetsThemWhenRemoved() throws Exception {
        String busybox = TestImages.pullIntoDockerd("busybox");
        Dockerd dockerd = Dockerd.shared();
        String sfx = HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt())
                + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt())
                + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt());
        SortedSet<LeakChecker.Leak> baseline = LeakChecker.snapshot();
        Deque<Runnable> cleanup = new ArrayDeque<>();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jc-lt-");
        cleanup.push(() -> TestFiles.deleteTree(dir, Path.of("/tmp")));
        try {
            // overlay on tmpfs
            Path fs = Files.createDirectory(dir.resolve("fs"));
            Exec.run("mount", "-t", "tmpfs", "tmpfs", fs.toString()).check();
            cleanup.push(() -> Exec.run("umount", fs.toString()));
            for (String d : List.of("lower", "upper", "work", "merged")) Files.createDirectory(fs.resolve(d));
            Exec.run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + fs.resolve("lower") + ",upperdir="
                    + fs.resolve("upper") + ",workdir=" + fs.resolve("work"), fs.resolve("merged").toString()).check();
            cleanup.push(() -> Exec.run("umount", fs.resolve("merged").toString()));
            // netns, bridge, veth pair
            Exec.run("ip", "netns", "add", "jc-lt-" + sfx).check();
            cleanup.push(() -> Exec.run("ip", "netns", "delete", "jc-lt-" + sfx));
            Exec.run("ip", "link", "add", "jcltb" + sfx, "type", "bridge").check();
            cleanup.push(() -> Exec.run("ip", "link", "del", "jcltb" + sfx));
            Exec.run("ip", "link", "add", "jcltv" + sfx, "type", "veth", "peer", "name", "jcltp" + sfx).check();
            cleanup.push(() -> Exec.run("ip", "link", "del", "jcltv" + sfx));
            // iptables rule in our own chain
            String chain = "JCOMPOSE-TEST-" + sfx;
            Exec.run("iptables", "-t", "filter", "-N", chain).check();
            cleanup.push(() -> Exec.run("iptables", "-t", "filter", "-X", chain));
            Exec.run("iptables", "-t", "filter", "-A", chain, "-j", "RETURN").check();
            cleanup.push(() -> Exec.run("iptables", "-t", "filter", "-F", chain));
            // cgroup
            Path cgParent = Files.isDirectory(Path.of("/sys/fs/cgroup/pids")) ? Path.of("/sys/fs/cgroup/pids") : Path.of("/sys/fs/cgroup");
            Path cg = Files.createDirectory(cgParent.resolve("jcompose-lt-" + sfx));
            cleanup.push(() -> Exec.run("rmdir", cg.toString()));
            // a process named conmon (a copy of sleep)
            Path conmon = dir.resolve("conmon");
            Files.copy(Path.of("/bin/sleep"), conmon);
            Process fakeConmon = new ProcessBuilder(conmon.toString(), "600").start();
            cleanup.push(() -> stop(fakeConmon));
            // a process that looks like `jcompose engine`
            Path engine = dir.resolve("jcompose");
            Files.writeString(engine, "#!/bin/sh\ntrap 'kill $! 2>/dev/null; exit 0' TERM\nsleep 600 &\nwait\n");
            Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwxr-xr-x"));
            Process fakeEngine = new ProcessBuilder(engine.toString(), "engine", "--root", dir.toString()).start();
            cleanup.push(() -> stop(fakeEngine));
            // a labelled dockerd container
            String cid = dockerd.docker("create", "--label", Dockerd.TEST_LABEL, "--name", "jc-lt-" + sfx, busybox, "true")
                    .check().out().strip();
            cleanup.push(() -> dockerd.docker("rm", "-f", cid));

            SortedSet<LeakChecker.Leak> found = LeakChecker.leaks(baseline, LeakChecker.snapshot());
            assertThat(found).contains(
                    new LeakChecker.Leak("mount", fs.resolve("merged").toString()),
                    new LeakChecker.Leak("netns", "jc-lt-" + sfx),
                    new LeakChecker.Leak("link", "bridge jcltb" + sfx),
                    new LeakChecker.Leak("link", "veth jcltv" + sfx),
                    new LeakChecker.Leak("link", "veth jcltp" + sfx),
                    new LeakChecker.Leak("iptables", "filter: :" + chain + " -"),
                    new LeakChecker.Leak("iptables", "filter: -A " + chain + " -j RETURN"),
                    new LeakChecker.Leak("cgroup", cg.toString()),
                    new LeakChecker.Leak("process", "conmon " + fakeConmon.pid()),
                    new LeakChecker.Leak("container", cid.substring(0, 12) + " /jc-lt-" + sfx));
            assertThat(found).anySatisfy(l -> {
                assertThat(l.kind()).isEqualTo("engine");
                assertThat(l.id()).startsWith(fakeEngine.pid() + " ").contains("jcompose engine --root");
            });
        } finally {
            while (!cleanup.isEmpty()) {
                try {
                    cleanup.pop().run();
                } catch (RuntimeException e) {
                    System.err.println("leak self-test cleanup: " + e.getMessage());
                }
            }
        }
        SortedSet<LeakChecker.Leak> after = LeakChecker.leaks(baseline, LeakChecker.snapshot());
        assertThat(after).as("planted leaks are gone after clean-up").noneMatch(l -> l.id().contains(sfx) || l.id().contains(dir.toString()));
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
