package io.jcompose.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The records' compact constructors: copies, sorting, and the invariants they promise. */
class ModelTest {

    @Test
    void mapsAreSortedAndCopied() {
        Map<String, String> labels = new HashMap<>(Map.of("b", "2", "a", "1", "c", "3"));
        Logging l = new Logging(Optional.empty(), new TreeMap<>(labels));
        TreeMap<String, String> source = new TreeMap<>(labels);
        Volume v = new Volume("data", "p_data", Optional.empty(), source, false, source, new TreeMap<>());
        source.put("z", "late");
        assertThat(v.driverOpts().keySet()).containsExactly("a", "b", "c");
        assertThat(l.options().keySet()).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> v.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listsAreCopied() {
        List<String> aliases = new ArrayList<>(List.of("www"));
        NetworkAttachment a = new NetworkAttachment(aliases, Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                new TreeMap<>(), 0, 0, Optional.empty());
        aliases.add("later");
        assertThat(a.aliases()).containsExactly("www");
    }

    @Test
    void invariants() {
        assertThatThrownBy(() -> new Port(0, Optional.empty(), Optional.empty(), "tcp", "ingress", Optional.empty(), Optional.empty()))
                .hasMessageContaining("1-65535");
        assertThatThrownBy(() -> new Healthcheck(List.of("curl", "x"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false)).hasMessageContaining("CMD, CMD-SHELL or NONE");
        assertThatThrownBy(() -> new Ulimit(10, 5)).hasMessageContaining("exceeds");
        assertThat(new Ulimit(-1, -1).hard()).isEqualTo(-1);
        assertThatThrownBy(() -> new Mount(Mount.Type.BIND, Optional.empty(), "/x", false, Optional.empty(), Optional.empty(), false,
                Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty())).hasMessageContaining("needs a source");
        assertThatThrownBy(() -> Dependency.Condition.of("service_ready")).hasMessageContaining("service_ready");
        assertThat(Dependency.Condition.of("service_completed_successfully")).isEqualTo(Dependency.Condition.SERVICE_COMPLETED_SUCCESSFULLY);
        assertThat(Mount.Type.of("tmpfs")).isEqualTo(Mount.Type.TMPFS);
        assertThatThrownBy(() -> new Restart(Restart.Policy.ON_FAILURE, -1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Project.empty("", Path.of("/"))).hasMessageContaining("must not be empty");
        assertThat(Project.empty("demo", Path.of("/srv")).services()).isEmpty();
    }
}
