package io.jcompose.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.graph.Graph;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.HealthcheckSpec;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.VolumeSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlanExecutorTest {
    private final FakeRuntime rt = new FakeRuntime();
    private final List<String> events = new ArrayList<>();

    private PlanExecutor executor(Optional<Duration> timeout) {
        return new PlanExecutor(rt, 3, (a, s, d) -> {
            synchronized (events) {
                events.add(s + " " + a.describe() + (d.isEmpty() ? "" : ": " + d));
            }
        }, timeout, Duration.ofMillis(5), Clock.systemUTC());
    }

    /** A plan whose actions run in the given order (each after the previous). */
    private static Plan chain(Action... actions) {
        Graph.Builder g = Graph.builder();
        Map<String, Action> m = new LinkedHashMap<>();
        Action prev = null;
        for (Action a : actions) {
            m.put(a.describe(), a);
            g.node(a.describe());
            if (prev != null) g.edge(a.describe(), prev.describe());
            prev = a;
        }
        return new Plan(g.build(), m, List.of());
    }

    private static ContainerSpec spec(String name, boolean healthcheck) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox").name(name).label(Labels.PROJECT, "p").label(Labels.SERVICE, name);
        if (healthcheck) b.healthcheck(new HealthcheckSpec(List.of("CMD", "true"), null, null, null, null, 0));
        return b.build();
    }

    @Test
    void everyActionIsExecutable() throws Exception {
        rt.images.put("old:latest", "sha256:old");
        List<Action> samples = List.of(
                new Action.CreateNetwork(NetworkSpec.of("p_default", Map.of(Labels.PROJECT, "p")), "missing"),
                new Action.CreateVolume(VolumeSpec.of("p_data", Map.of(Labels.PROJECT, "p")), "missing"),
                new Action.PullImage("busybox", "missing"),
                new Action.BuildImage("app", new io.jcompose.runtime.BuildSpec(java.nio.file.Path.of("/srv/app"), Optional.empty(),
                        Optional.of("FROM busybox"), new java.util.TreeMap<>(), Optional.empty(), new java.util.TreeMap<>(), List.of("p-app"),
                        false, false, Optional.empty(), Optional.empty(), new java.util.TreeMap<>(), new java.util.TreeMap<>()), "missing"),
                new Action.CreateContainer("db", 1, spec("db", true), "missing"),
                new Action.StartContainer("db", "db", "created"),
                new Action.AwaitCondition("db", List.of("db"), Action.Condition.HEALTHY, true, "web depends on db"),
                new Action.RenameContainer("db", "db2", "legacy name"),
                new Action.DisconnectNetwork("p_default", "db2", "network p_default recreated"),
                new Action.ConnectNetwork("p_default", "db2", io.jcompose.runtime.NetworkAttachment.withAliases("db"), "network p_default recreated"),
                new Action.StopContainer("db", "db2", Optional.of(Duration.ofSeconds(1)), "down"),
                new Action.RemoveContainer("db", "db2", true, "down"),
                new Action.RemoveNetwork("p_default", "down"),
                new Action.RemoveVolume("p_data", "down -v"),
                new Action.RemoveImage("old", "--rmi all"));
        Set<Class<?>> covered = samples.stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).as("one sample per permitted Action subclass")
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(Action.class.getPermittedSubclasses()));

        PlanExecutor.Result r = executor(Optional.empty()).execute(chain(samples.toArray(Action[]::new)));

        assertThat(r.failures()).isEmpty();
        assertThat(rt.mutatingCalls()).containsExactly("create network p_default", "create volume p_data",
                "pull image busybox", "build image p-app", "create container db", "start container db", "rename container db db2",
                "disconnect network p_default db2", "connect network p_default db2", "stop container db2", "remove container db2", "remove network p_default", "remove volume p_data",
                "remove image old");
        assertThat(rt.containers).isEmpty();
        assertThat(rt.networks).isEmpty();
        assertThat(rt.images).doesNotContainKey("old:latest");
    }

    @Test
    void createRecordsTheImageIdWhenThePlanDidNotKnowIt() throws Exception {
        rt.images.put("busybox:latest", "sha256:abc");
        executor(Optional.empty()).execute(chain(new Action.CreateContainer("db", 1, spec("db", false), "missing")));
        assertThat(rt.containers.get("db").spec.labels()).containsEntry(Labels.IMAGE, "sha256:abc");
    }

    @Test
    void unhealthyDependencyFailsNamingServiceStateAndLastOutput() throws Exception {
        rt.images.put("busybox:latest", "sha256:abc");
        rt.healthOnStart.put("db", "unhealthy");
        Plan plan = chain(new Action.CreateContainer("db", 1, spec("db", true), "missing"),
                new Action.StartContainer("db", "db", "created"),
                new Action.AwaitCondition("db", List.of("db"), Action.Condition.HEALTHY, true, "web depends on db (service_healthy)"),
                new Action.CreateContainer("web", 1, spec("web", false), "missing"));

        PlanExecutor.Result r = executor(Optional.empty()).execute(plan);

        assertThat(r.failures()).containsOnlyKeys("await db healthy");
        assertThat(r.failures().get("await db healthy")).isEqualTo(
                "dependency failed to start: container db is unhealthy; last health check output: probe failed: connection refused");
        assertThat(r.skipped()).containsExactly("create container web");
        assertThat(rt.mutatingCalls()).doesNotContain("create container web");
    }

    @Test
    void exitedDependencyAndCompletedOneShot() throws Exception {
        rt.images.put("busybox:latest", "sha256:abc");
        rt.exitOnStart.put("migrate", 0);
        rt.exitOnStart.put("broken", 3);
        Plan ok = chain(new Action.CreateContainer("migrate", 1, spec("migrate", false), "missing"),
                new Action.StartContainer("migrate", "migrate", "created"),
                new Action.AwaitCondition("migrate", List.of("migrate"), Action.Condition.COMPLETED_SUCCESSFULLY, true, "--wait"));
        assertThat(executor(Optional.empty()).execute(ok).succeeded()).isTrue();

        Plan bad = chain(new Action.CreateContainer("broken", 1, spec("broken", true), "missing"),
                new Action.StartContainer("broken", "broken", "created"),
                new Action.AwaitCondition("broken", List.of("broken"), Action.Condition.HEALTHY, true, "web depends on broken"));
        assertThat(executor(Optional.empty()).execute(bad).failures().values())
                .containsExactly("dependency failed to start: container broken exited (3)");
    }

    @Test
    void optionalDependencyOnlyWarns() throws Exception {
        rt.images.put("busybox:latest", "sha256:abc");
        rt.exitOnStart.put("db", 1);
        Plan plan = chain(new Action.CreateContainer("db", 1, spec("db", true), "missing"),
                new Action.StartContainer("db", "db", "created"),
                new Action.AwaitCondition("db", List.of("db"), Action.Condition.HEALTHY, false, "web depends on db"),
                new Action.CreateContainer("web", 1, spec("web", false), "missing"));

        PlanExecutor.Result r = executor(Optional.empty()).execute(plan);

        assertThat(r.succeeded()).isTrue();
        assertThat(r.warnings()).singleElement().asString().startsWith("optional dependency \"db\" failed to start: container db exited (1)");
        assertThat(rt.containers).containsKey("web");
    }

    @Test
    void awaitTimesOutWithTheCurrentState() throws Exception {
        rt.images.put("busybox:latest", "sha256:abc");
        rt.healthOnStart.put("db", "starting");
        Plan plan = chain(new Action.CreateContainer("db", 1, spec("db", true), "missing"),
                new Action.StartContainer("db", "db", "created"),
                new Action.AwaitCondition("db", List.of("db"), Action.Condition.HEALTHY, true, "--wait"));
        PlanExecutor.Result r = executor(Optional.of(Duration.ofMillis(50))).execute(plan);
        assertThat(r.failures().get("await db healthy")).isEqualTo(
                "timed out after 50ms waiting for service db to be healthy (db: running (starting))");
    }
}
