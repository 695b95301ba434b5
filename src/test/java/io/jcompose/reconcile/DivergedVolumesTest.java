package io.jcompose.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.Project;
import io.jcompose.runtime.VolumeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@code up -y}'s volume check: which existing volumes no longer match the file, and what recreating them takes. */
class DivergedVolumesTest {
    private final Project p = Fixture.project(Fixture.stageDir().resolve("down-default/compose.yaml"));

    private static VolumeInfo volume(Map<String, String> labels) {
        return new VolumeInfo("demo_data", "local", "/fake", new TreeMap<>(labels), null, "local", null);
    }

    private Observed observed(VolumeInfo v) throws Exception {
        FakeRuntime rt = new Fixture(Fixture.stageDir().resolve("down-default")).runtime();
        Observed o = Observed.read(rt, "demo");
        return new Observed("demo", o.containers(), o.networks(), List.of(v), o.images());
    }

    @Test
    void aVolumeWithOtherLabelsDivergesAndTakesItsContainersWithIt() throws Exception {
        Observed o = observed(volume(Map.of(Labels.PROJECT, "demo", Labels.VOLUME, "data", "foo", "bar")));
        assertThat(Reconciler.divergedVolumes(p, o)).containsOnlyKeys("data");
        Plan plan = Reconciler.removeDivergedVolumes(p, o, List.of("data"), Optional.empty());
        assertThat(plan.text()).isEqualTo("""
                stop container demo-db-1  — uses volume demo_data, which is recreated
                remove container demo-db-1  (after: stop container demo-db-1)  — uses volume demo_data, which is recreated
                remove volume demo_data  (after: remove container demo-db-1)  — doesn't match configuration in compose file (up -y)
                """);
        assertThat(Reconciler.up(p, o, UpOptions.defaults()).warnings()).singleElement().asString()
                .startsWith("volume demo_data exists but doesn't match configuration in compose file (labels {foo=bar} -> {})");
    }

    @Test
    void aMatchingOrForeignVolumeIsLeftAlone() throws Exception {
        assertThat(Reconciler.divergedVolumes(p, observed(volume(Map.of(Labels.PROJECT, "demo", Labels.VOLUME, "data"))))).isEmpty();
        // Not made by Compose (no volume label): never compared.
        assertThat(Reconciler.divergedVolumes(p, observed(volume(Map.of("foo", "bar"))))).isEmpty();
    }
}
