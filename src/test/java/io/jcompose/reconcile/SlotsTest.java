package io.jcompose.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which container numbers a service keeps and adds when scaled (docker compose's convergence order). */
class SlotsTest {

    private static Map<Integer, String> obsolete(Integer... numbers) {
        Map<Integer, String> m = new HashMap<>();
        for (int n : numbers) m.put(n, "image changed");
        return m;
    }

    @Test
    void scalingDownDropsObsoleteContainersFirst() {
        // TestScaleDownNoRecreate: 1 and 2 run the old image, 3 and 4 the new one.
        assertThat(Reconciler.slots(Set.of(1, 2, 3, 4), obsolete(1, 2), 2)).containsExactly(3, 4);
    }

    @Test
    void scalingDownAmongUpToDateDropsTheHighestNumbers() {
        assertThat(Reconciler.slots(Set.of(1, 2, 3, 4), obsolete(), 2)).containsExactly(1, 2);
        assertThat(Reconciler.slots(Set.of(1, 2, 3), obsolete(3), 2)).containsExactly(1, 2);
    }

    @Test
    void obsoleteContainersWithinTheScaleAreKeptForRecreation() {
        assertThat(Reconciler.slots(Set.of(1, 2), obsolete(1, 2), 2)).containsExactly(1, 2);
        assertThat(Reconciler.slots(Set.of(1, 2, 3), obsolete(1, 2), 2)).containsExactly(1, 3);
    }

    @Test
    void scalingUpAddsNumbersAfterTheHighest() {
        assertThat(Reconciler.slots(Set.of(), obsolete(), 3)).containsExactly(1, 2, 3);
        assertThat(Reconciler.slots(Set.of(1, 2), obsolete(1, 2), 4)).containsExactly(1, 2, 3, 4);
        assertThat(Reconciler.slots(Set.of(3, 4), obsolete(), 3)).isEqualTo(List.of(3, 4, 5));
    }

    @Test
    void aContainerWithoutANumberIsNeverKept() {
        assertThat(Reconciler.slots(Set.of(0, 1), obsolete(), 2)).containsExactly(1, 2);
        assertThat(Reconciler.slots(Set.of(0), obsolete(), 0)).isEmpty();
    }
}
