package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The spec's illustrative example (15-profiles.md), case by case, plus required: false and implicit references. */
class ProfilesTest {
    // Line numbers matter: errors point at zot's "- bar" (line 19).
    private static final String SPEC_EXAMPLE = """
            services:
              foo:
                image: foo
              bar:
                image: bar
                profiles:
                  - test
              baz:
                image: baz
                depends_on:
                  - bar
                profiles:
                  - test
              zot:
                image: zot
                profiles:
                  - debug
                depends_on:
                  - bar
            """;

    private static Node canonical(String yaml) {
        return new Canonicalizer((f, t, l) -> Map.of())
                .canonicalize(Trees.yaml("compose.yaml", yaml), new CanonicalContext("demo", Path.of("/p"), k -> Optional.empty()), w -> { });
    }

    private static List<String> enabled(String yaml, Set<String> profiles, List<String> requested) {
        Node out = new Profiles().apply(canonical(yaml), profiles, requested);
        return ((Node.Mapping) ((Node.Mapping) out).get("services").orElseThrow()).keys();
    }

    @Test
    void noProfileEnablesOnlyServicesWithoutProfiles() {
        assertThat(enabled(SPEC_EXAMPLE, Set.of(), List.of())).containsExactlyInAnyOrder("foo");
    }

    @Test
    void activeProfileEnablesItsServices() {
        assertThat(enabled(SPEC_EXAMPLE, Set.of("test"), List.of())).containsExactlyInAnyOrder("foo", "bar", "baz");
        assertThat(enabled(SPEC_EXAMPLE, Set.of("test", "debug"), List.of())).containsExactlyInAnyOrder("foo", "bar", "baz", "zot");
        assertThat(enabled(SPEC_EXAMPLE, Set.of("*"), List.of())).containsExactlyInAnyOrder("foo", "bar", "baz", "zot");
    }

    @Test
    void namingAServiceEnablesItsProfiles() {
        // As compose-go's WithServicesEnabled: the named service's profiles become active, so the model holds
        // every service of profile "test"; the command itself then acts on the named service only.
        assertThat(enabled(SPEC_EXAMPLE, Set.of(), List.of("bar"))).containsExactlyInAnyOrder("foo", "bar", "baz");
        assertThat(enabled(SPEC_EXAMPLE, Set.of(), List.of("baz"))).containsExactlyInAnyOrder("foo", "bar", "baz");
        assertThat(enabled(SPEC_EXAMPLE, Set.of("test"), List.of("zot"))).containsExactlyInAnyOrder("foo", "bar", "baz", "zot");
    }

    @Test
    void dependencyOnADisabledServiceIsALocatedError() {
        String expected = "compose.yaml:19:9: services.zot.depends_on.bar: service \"bar\" is disabled (its profiles: test); "
                + "enable it with --profile test, or mark the dependency required: false";
        assertThatThrownBy(() -> enabled(SPEC_EXAMPLE, Set.of("debug"), List.of())).isInstanceOf(ComposeFileException.class).hasMessage(expected);
        assertThatThrownBy(() -> enabled(SPEC_EXAMPLE, Set.of(), List.of("zot"))).hasMessage(expected);
    }

    @Test
    void optionalDependencyOnADisabledServiceIsDropped() {
        Node out = new Profiles().apply(canonical("""
                services:
                  web:
                    image: web
                    depends_on:
                      debug:
                        condition: service_started
                        required: false
                      db:
                        condition: service_healthy
                  db: {image: pg}
                  debug: {image: busybox, profiles: [debug]}
                """), Set.of(), List.of());
        assertThat(Trees.plain(((Node.Mapping) out).get("services").orElseThrow()).toString()).doesNotContain("debug");
    }

    @Test
    void implicitReferencesAreCheckedToo() {
        assertThatThrownBy(() -> enabled("""
                services:
                  web:
                    image: web
                    network_mode: service:vpn
                  vpn: {image: vpn, profiles: [vpn]}
                """, Set.of(), List.of()))
                .hasMessage("compose.yaml:4:19: services.web.depends_on.vpn: service \"vpn\" is disabled (its profiles: vpn); "
                        + "enable it with --profile vpn, or mark the dependency required: false");
    }

    @Test
    void unknownRequestedServiceIsAnError() {
        assertThatThrownBy(() -> enabled(SPEC_EXAMPLE, Set.of(), List.of("nope")))
                .hasMessage("no such service: nope (defined: bar, baz, foo, zot)");
    }
}
