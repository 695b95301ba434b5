package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.DockerTestSupport.BUSYBOX;
import static io.jcompose.runtime.docker.DockerTestSupport.TEST_LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.EngineException.Category;
import io.jcompose.runtime.Event;
import io.jcompose.runtime.EventFilter;
import io.jcompose.runtime.Feed;
import io.jcompose.runtime.HealthcheckSpec;
import io.jcompose.runtime.LogFrame;
import io.jcompose.runtime.LogOptions;
import io.jcompose.runtime.MountSpec;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.NetworkInfo;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.PullProgress;
import io.jcompose.runtime.VolumeInfo;
import io.jcompose.runtime.VolumeSpec;
import io.jcompose.runtime.WaitCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Docker client against the host's real dockerd. Everything created is labelled and removed. */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DockerIntegrationTest {
    private static DockerRuntime rt;
    private static boolean createdImage;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String runLabel = TEST_LABEL + ".run=" + run;

    @BeforeAll
    static void connect() throws Exception {
        rt = DockerTestSupport.dockerd();
        createdImage = DockerTestSupport.ensureBusybox(rt);
    }

    @AfterAll
    static void disconnect() {
        if (rt == null) return;
        if (createdImage) rt.images().remove(BUSYBOX, true);
        rt.close();
    }

    @AfterEach
    void cleanUp() {
        for (var c : rt.containers().list(List.of(runLabel), true)) rt.containers().remove(c.id(), true, true);
        for (var n : rt.networks().list(List.of(runLabel))) rt.networks().remove(n.id());
        for (var v : rt.volumes().list(List.of(runLabel))) rt.volumes().remove(v.name(), true);
    }

    private ContainerSpec.Builder spec(String name) {
        return ContainerSpec.builder(BUSYBOX).name("jcompose-test-" + run + "-" + name)
                .label(TEST_LABEL, "true").label(TEST_LABEL + ".run", run);
    }

    @Test
    void pingAndVersionNegotiation() {
        assertThat(rt.system().ping()).matches("1\\.\\d+");
        assertThat(rt.apiVersion()).isEqualTo(DockerApi.compare(rt.system().ping(), "1.41") < 0
                ? rt.system().ping() : "1.41");
        assertThat(rt.system().version().apiVersion()).isNotEmpty();
        assertThat(rt.system().info().serverVersion()).isNotEmpty();
        assertThat(rt.apiCalls()).isPositive();
        assertThat(rt.connectionsOpened()).isLessThan(rt.apiCalls());
    }

    @Test
    void containerLifecycleWithLogsAndExitCode() {
        String id = rt.containers().create(spec("life").env("GREETING", "hi")
                .command("sh", "-c", "echo out $GREETING; echo err >&2; exit 3").build());
        ContainerInfo created = rt.containers().inspect(id);
        assertThat(created.state().status()).isEqualTo("created");
        assertThat(created.labels()).containsEntry(TEST_LABEL, "true");
        assertThat(created.env()).containsEntry("GREETING", "hi");
        assertThat(created.name()).isEqualTo("jcompose-test-" + run + "-life");
        assertThat(rt.containers().list(List.of(runLabel), true)).extracting(c -> c.id()).containsExactly(id);
        assertThat(rt.containers().list(List.of(runLabel), false)).isEmpty();

        rt.containers().start(id);
        assertThat(rt.containers().wait(id, WaitCondition.NOT_RUNNING)).isEqualTo(3);
        ContainerInfo exited = rt.containers().inspect(id);
        assertThat(exited.state().status()).isEqualTo("exited");
        assertThat(exited.state().exitCode()).isEqualTo(3);
        assertThat(exited.state().finishedAt()).isNotNull();

        List<String> frames = new ArrayList<>();
        try (Feed<LogFrame> logs = rt.containers().logs(id, LogOptions.ALL)) {
            logs.forEachRemaining(f -> frames.add(f.stream() + ":" + f.text()));
        }
        assertThat(frames).containsExactlyInAnyOrder("STDOUT:out hi\n", "STDERR:err\n");

        rt.containers().remove(id, false, true);
        assertThatThrownBy(() -> rt.containers().inspect(id)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.category()).isEqualTo(Category.NOT_FOUND));
        assertThatThrownBy(() -> rt.containers().remove(id, false, false)).isInstanceOfSatisfying(
                EngineException.class, e -> assertThat(e.category()).isEqualTo(Category.NOT_FOUND));
    }

    @Test
    void stopIsIdempotentAndConflictsAreCategorised() {
        String id = rt.containers().create(spec("sleeper").command("sleep", "300").stopSignal("SIGKILL").build());
        assertThatThrownBy(() -> rt.containers().create(spec("sleeper").command("true").build()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.category()).isEqualTo(Category.CONFLICT);
                    assertThat(e.engineMessage()).contains("already in use");
                });
        rt.containers().start(id);
        rt.containers().start(id); // no-op
        assertThat(rt.containers().inspect(id).state().running()).isTrue();
        assertThatThrownBy(() -> rt.containers().remove(id, false, false)).isInstanceOfSatisfying(
                EngineException.class, e -> assertThat(e.category()).isEqualTo(Category.CONFLICT));
        rt.containers().stop(id, Duration.ofSeconds(1));
        rt.containers().stop(id, Duration.ofSeconds(1)); // no-op
        assertThat(rt.containers().inspect(id).state().running()).isFalse();
        assertThatThrownBy(() -> rt.containers().kill(id, "KILL")).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.category()).isEqualTo(Category.CONFLICT));
    }

    @Test
    void followedLogsEndWhenTheContainerStopsAndTtyLogsAreRaw() throws Exception {
        String id = rt.containers().create(spec("tty").tty(true)
                .command("sh", "-c", "echo one; sleep 0.3; echo two").build());
        rt.containers().start(id);
        StringBuilder text = new StringBuilder();
        try (Feed<LogFrame> logs = rt.containers().logs(id, LogOptions.ALL.following())) {
            CompletableFuture.runAsync(() -> logs.forEachRemaining(f -> {
                assertThat(f.stream()).isEqualTo(LogFrame.Stream.STDOUT);
                text.append(f.text());
            })).get(20, TimeUnit.SECONDS);
        }
        assertThat(text.toString()).isEqualTo("one\r\ntwo\r\n"); // a TTY turns \n into \r\n
    }

    @Test
    void execReturnsOutputAndExitCode() {
        String id = rt.containers().create(spec("exec").command("sleep", "300").stopSignal("SIGKILL").build());
        assertThatThrownBy(() -> rt.containers().exec(id, io.jcompose.runtime.ExecSpec.of("true")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.category()).isEqualTo(Category.CONFLICT));
        rt.containers().start(id);
        var r = rt.containers().exec(id, new io.jcompose.runtime.ExecSpec(List.of("sh", "-c", "echo $X; echo e >&2; exit 5"),
                new java.util.TreeMap<>(Map.of("X", "hello")), "", "/tmp", false, false));
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stdoutText()).isEqualTo("hello\n");
        assertThat(r.stderrText()).isEqualTo("e\n");
    }

    @Test
    void healthcheckBecomesHealthyWithLastOutput() {
        String id = rt.containers().create(spec("health").command("sleep", "300").stopSignal("SIGKILL")
                .healthcheck(new HealthcheckSpec(List.of("CMD-SHELL", "echo probe-ok"), Duration.ofMillis(200),
                        Duration.ofSeconds(5), null, null, 3)).build());
        rt.containers().start(id);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                rt.containers().inspect(id).state().health().map(h -> h.isHealthy()).orElse(false));
        var health = rt.containers().inspect(id).state().health().orElseThrow();
        assertThat(health.lastOutput()).isEqualTo("probe-ok");
        assertThat(health.failingStreak()).isZero();
    }

    @Test
    void networksWithAliasesStaticIpsAndLabels() {
        String front = "jcompose-test-" + run + "-front";
        String back = "jcompose-test-" + run + "-back";
        Map<String, String> labels = Map.of(TEST_LABEL, "true", TEST_LABEL + ".run", run);
        rt.networks().create(NetworkSpec.of(front, labels));
        // TEST-NET-1 (RFC 5737): outside the pools dockerd and our engine allocate from, so it never overlaps.
        rt.networks().create(new NetworkSpec(back, "", new java.util.TreeMap<>(labels), true, false, false, "",
                List.of(new NetworkSpec.IpamPool("192.0.2.0/24", "", "192.0.2.1", null)), null));
        assertThatThrownBy(() -> rt.networks().create(NetworkSpec.of(front, labels)))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.category()).isEqualTo(Category.CONFLICT));
        assertThat(rt.networks().list(List.of(runLabel))).extracting(NetworkInfo::name).containsExactly(back, front);
        NetworkInfo backInfo = rt.networks().inspect(back);
        assertThat(backInfo.internal()).isTrue();
        assertThat(backInfo.ipamPools()).extracting(NetworkSpec.IpamPool::subnet).containsExactly("192.0.2.0/24");

        String id = rt.containers().create(spec("multi").command("sleep", "300").stopSignal("SIGKILL")
                .network(front, NetworkAttachment.withAliases("web"))
                .network(back, new NetworkAttachment(List.of("api"), "192.0.2.10", "", List.of(), "")).build());
        ContainerInfo info = rt.containers().inspect(id);
        assertThat(info.networks()).containsOnlyKeys(back, front);
        assertThat(info.networks().get(front).aliases()).contains("web");
        assertThat(info.networks().get(back).aliases()).contains("api");
        rt.containers().start(id);
        assertThat(rt.containers().inspect(id).networks().get(back).ipv4Address()).isEqualTo("192.0.2.10");
        assertThat(rt.networks().inspect(back).containers()).containsKey(rt.containers().inspect(id).id());

        rt.networks().disconnect(front, id, true);
        assertThat(rt.containers().inspect(id).networks()).containsOnlyKeys(back);
        assertThatThrownBy(() -> rt.networks().remove(back)).isInstanceOf(EngineException.class);
        rt.containers().remove(id, true, true);
        rt.networks().remove(back);
        rt.networks().remove(front);
        assertThatThrownBy(() -> rt.networks().inspect(front)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.category()).isEqualTo(Category.NOT_FOUND));
    }

    @Test
    void volumesCreateListByLabelMountAndRemove() {
        String name = "jcompose-test-" + run + "-data";
        VolumeInfo v = rt.volumes().create(VolumeSpec.of(name, Map.of(TEST_LABEL, "true", TEST_LABEL + ".run", run)));
        assertThat(v.name()).isEqualTo(name);
        assertThat(v.driver()).isEqualTo("local");
        assertThat(rt.volumes().list(List.of(runLabel))).extracting(VolumeInfo::name).containsExactly(name);
        assertThat(rt.volumes().inspect(name).labels()).containsEntry(TEST_LABEL + ".run", run);

        String writer = rt.containers().create(spec("writer").mount(MountSpec.volume(name, "/data", false))
                .mount(MountSpec.tmpfs("/scratch", 1 << 20))
                .command("sh", "-c", "echo kept > /data/f && cat /data/f").build());
        rt.containers().start(writer);
        assertThat(rt.containers().wait(writer, WaitCondition.NOT_RUNNING)).isZero();
        assertThat(rt.containers().inspect(writer).mounts()).anySatisfy(m -> assertThat(m.name()).isEqualTo(name));
        assertThatThrownBy(() -> rt.volumes().remove(name, false)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.category()).isEqualTo(Category.CONFLICT));
        rt.containers().remove(writer, true, false);
        rt.volumes().remove(name, false);
        assertThatThrownBy(() -> rt.volumes().inspect(name)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.category()).isEqualTo(Category.NOT_FOUND));
    }

    @Test
    void eventStreamSeesStartAndDie() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        List<Event> seen = Collections.synchronizedList(new ArrayList<>());
        try (Feed<Event> events = rt.events().stream(new EventFilter(since, null,
                Map.of("type", List.of("container"), "label", List.of(runLabel))))) {
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                while (events.hasNext()) {
                    Event e = events.next();
                    seen.add(e);
                    if (e.action().equals("die")) return;
                }
            });
            String id = rt.containers().create(spec("evented").command("sh", "-c", "exit 7").build());
            rt.containers().start(id);
            reader.get(20, TimeUnit.SECONDS);
            assertThat(seen).extracting(Event::action).containsSubsequence("create", "start", "die");
            Event die = seen.get(seen.size() - 1);
            assertThat(die.actorId()).isEqualTo(id);
            assertThat(die.attributes()).containsEntry("exitCode", "7").containsEntry(TEST_LABEL + ".run", run);
        }
    }

    @Test
    void pullFromALocalRegistry() throws Exception {
        try (DockerTestSupport.Registry registry = new DockerTestSupport.Registry()) {
            String name = "jcompose-test/pulled:" + run;
            registry.push(BUSYBOX, name);
            String ref = registry.host() + "/" + name;
            List<PullProgress> progress = Collections.synchronizedList(new ArrayList<>());
            try {
                rt.images().pull(ref, Optional.empty(), progress::add);
                assertThat(progress).anySatisfy(p -> assertThat(p.status()).startsWith("Digest: sha256:"));
                var image = rt.images().inspect(ref);
                assertThat(image.repoTags()).contains(ref);
                assertThat(image.repoDigests()).anySatisfy(d -> assertThat(d).startsWith(registry.host() + "/"));
                assertThat(image.labels()).containsEntry(TEST_LABEL, "true");
                assertThat(rt.images().list(List.of(TEST_LABEL + "=true"))).extracting(i -> i.id()).contains(image.id());
            } finally {
                rt.images().remove(ref, false);
            }
            assertThatThrownBy(() -> rt.images().pull(registry.host() + "/jcompose-test/absent:1", Optional.empty(),
                    p -> { })).isInstanceOfSatisfying(EngineException.class,
                    e -> assertThat(e.category()).isEqualTo(Category.NOT_FOUND));
        }
    }

    @Test
    void pullWithCredentialsFromTheDockerConfig() throws Exception {
        try (DockerTestSupport.Registry registry = new DockerTestSupport.Registry("jc", "s3cret")) {
            String name = "jcompose-test/private:" + run;
            registry.push(BUSYBOX, name);
            String ref = registry.host() + "/" + name;
            // A runtime whose Docker config is the registry's private CLI config (written by docker login).
            Map<String, String> env = Map.of("DOCKER_CONFIG", registry.cliConfigDir().toString());
            try (DockerRuntime withLogin = DockerRuntime.connect(DockerEndpoint.unix(DockerTestSupport.DOCKER_SOCKET),
                    env::get, registry.cliConfigDir())) {
                assertThatThrownBy(() -> rt.images().pull(ref, Optional.empty(), p -> { }))
                        .isInstanceOf(EngineException.class);
                try {
                    withLogin.images().pull(ref, Optional.empty(), p -> { });
                    assertThat(withLogin.images().inspect(ref).repoTags()).contains(ref);
                } finally {
                    withLogin.images().remove(ref, false);
                }
            }
        }
    }

    @Test
    void tagAndRemoveImageReference() {
        String ref = "jcompose-test/tagged:" + run;
        rt.images().tag(BUSYBOX, ref);
        assertThat(rt.images().inspect(ref).id()).isEqualTo(rt.images().inspect(BUSYBOX).id());
        rt.images().remove(ref, false);
        assertThatThrownBy(() -> rt.images().inspect(ref)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.category()).isEqualTo(Category.NOT_FOUND));
    }
}
