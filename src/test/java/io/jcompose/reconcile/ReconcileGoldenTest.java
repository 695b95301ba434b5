package io.jcompose.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden plans: each case's plan must equal its hand-reviewed {@code plan.txt}; then the plan is run on the fake
 * engine and the result must converge — planning again gives nothing to do (up), or leaves no project container
 * (down). {@code -Djcompose.updateGolden=true} rewrites plan.txt for review (refused under CI=true).
 */
class ReconcileGoldenTest {
    @TestFactory
    Stream<DynamicTest> cases() throws Exception {
        return Fixture.cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
    }

    /** {@code failures.txt}: {@code action: message} lines the execution must report (default none). */
    private static java.util.Map<String, String> expectedFailures(Path dir) {
        Path file = dir.resolve("failures.txt");
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        if (!Files.exists(file)) return out;
        Fixture.text(file).lines().forEach(l -> out.put(l.substring(0, l.indexOf(": ")), l.substring(l.indexOf(": ") + 2)));
        return out;
    }

    private static void run(Path dir) throws Exception {
        Fixture f = new Fixture(dir);
        FakeRuntime rt = f.runtime();
        Observed observed = Observed.read(rt, f.project.name());
        Plan plan = f.plan(observed);
        assertThat(f.plan(observed).text()).as("planning is deterministic").isEqualTo(plan.text());
        Path golden = dir.resolve("plan.txt");
        if (Boolean.getBoolean("jcompose.updateGolden")) {
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("refusing to rewrite goldens under CI=true");
            Files.writeString(golden, plan.text(), StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(golden)).as(golden + " exists").isTrue();
        assertThat(plan.text()).as(golden.toString()).isEqualTo(Fixture.text(golden));

        PlanExecutor.Result result = new PlanExecutor(rt, 4, (a, s, d) -> { }, Optional.of(Duration.ofSeconds(5)),
                Duration.ofMillis(5), Clock.systemUTC()).execute(plan);
        assertThat(result.failures()).as("execution failures").isEqualTo(expectedFailures(dir));
        Observed after = Observed.read(rt, f.project.name());
        if (f.verb().equals("down")) {
            // down SERVICE…: only those services (and their dependents) go; the others stay.
            List<String> scope = f.downOptions().services();
            assertThat(after.containers()).as("containers left after down")
                    .allMatch(c -> !scope.isEmpty() && observed.containers().stream().anyMatch(o -> o.name().equals(c.name()))
                            && !plan.actions().containsKey("remove container " + c.name())
                            || !f.project.services().containsKey(c.service()) && !f.downOptions().removeOrphans());
            if (!scope.isEmpty()) {
                assertThat(Reconciler.down(f.project, after, f.downOptions()).actions().keySet()).as("second scoped down").isEmpty();
            }
        } else if (!"false".equals(f.options.get("converges"))) {
            UpOptions again = f.upOptions().with(b -> {
                b.forceRecreate = false;
                b.alwaysRecreateDeps = false;
                b.waitReady = false;
                return b;
            });
            Plan second = Reconciler.up(f.project, after, again);
            assertThat(second.actions().keySet()).as("second up after executing the plan").isEmpty();
        }
    }
}
