package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jcompose.reconcile.FakeRuntime;
import io.jcompose.runtime.EngineException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The auto-start step of runtime selection (design.md §1), with a fake starter: no engine is ever started here. */
class RuntimeSelectorTest {
    final FakeRuntime rt = new FakeRuntime();
    final List<String> connected = new ArrayList<>();
    final List<String> starts = new ArrayList<>();
    final Set<String> sockets = new HashSet<>(Set.of("/var/run/docker.sock"));

    RuntimeSelector selector(Map<String, String> env, RuntimeSelector.Starter starter) {
        return new RuntimeSelector(env::get, e -> {
            if (!sockets.contains(e.host().substring("unix://".length()))) {
                throw new EngineException(EngineException.Category.UNAVAILABLE, "connection refused");
            }
            connected.add(e.host());
            return rt;
        }, p -> sockets.contains(p.toString()), starter);
    }

    RuntimeSelector.Starter startsEngine() {
        return (root, socket) -> {
            starts.add(root + " " + socket);
            sockets.add(socket.toString());
            return java.util.Optional.of(RuntimeSelector.Started.ok("started the built-in engine (pid 42)"));
        };
    }

    @Test
    void autoStartsOurEngineBeforeTryingDocker() {
        RuntimeSelector.Selection s = selector(Map.of(), startsEngine()).select(null);
        assertThat(starts).containsExactly("/var/lib/jcompose /run/jcompose/engine.sock");
        assertThat(connected).containsExactly("unix:///run/jcompose/engine.sock");
        assertThat(s.note()).contains("started the built-in engine (pid 42)");
    }

    @Test
    void autoStartHonoursTheRootAndSocketOverrides() {
        selector(Map.of("JCOMPOSE_ROOT", "/tmp/jc-x", "JCOMPOSE_ENGINE_SOCKET", "/tmp/jc-x/e.sock"), startsEngine()).select("auto");
        assertThat(starts).containsExactly("/tmp/jc-x /tmp/jc-x/e.sock");
        assertThat(connected).containsExactly("unix:///tmp/jc-x/e.sock");
    }

    @Test
    void anAnsweringEngineIsUsedWithoutStarting() {
        sockets.add("/run/jcompose/engine.sock");
        assertThat(selector(Map.of(), startsEngine()).select(null).note()).isEmpty();
        assertThat(starts).isEmpty();
    }

    @Test
    void explicitRuntimesAndDockerHostNeverStartAnEngine() {
        RuntimeSelector s = selector(Map.of(), startsEngine());
        assertThat(s.select("docker").runtime()).isSameAs(rt);
        assertThat(catchThrowableOfType(() -> s.select("builtin"), CliException.class).getMessage())
                .isEqualTo("cannot reach the engine at /run/jcompose/engine.sock (no such socket): run 'jcompose engine' or use --runtime docker");
        sockets.add("/d.sock");
        assertThat(selector(Map.of("DOCKER_HOST", "unix:///d.sock"), startsEngine()).select(null).runtime()).isSameAs(rt);
        assertThat(starts).isEmpty();
    }

    @Test
    void aFailedStartFallsBackToDockerAndIsListedWhenNothingAnswers() {
        RuntimeSelector.Starter fails = (root, socket) -> java.util.Optional.of(RuntimeSelector.Started.failed("auto-start: runc not found on PATH"));
        assertThat(selector(Map.of(), fails).select(null).runtime()).isSameAs(rt);
        assertThat(connected).containsExactly("unix:///var/run/docker.sock");
        sockets.clear();
        CliException e = catchThrowableOfType(() -> selector(Map.of(), fails).select(null), CliException.class);
        assertThat(e.getMessage()).isEqualTo("cannot reach an engine: DOCKER_HOST: not set; /run/jcompose/engine.sock: no such socket; "
                + "auto-start: runc not found on PATH; /var/run/docker.sock: no such socket; /run/podman/podman.sock: no such socket");
    }

    @Test
    void startedButNotAnsweringIsAnAttempt() {
        RuntimeSelector.Starter lies = (root, socket) -> java.util.Optional.of(RuntimeSelector.Started.ok("started"));
        sockets.clear();
        CliException e = catchThrowableOfType(() -> selector(Map.of(), lies).select(null), CliException.class);
        assertThat(e.getMessage()).contains("/run/jcompose/engine.sock: no such socket; auto-started engine at /run/jcompose/engine.sock: connection refused;");
    }
}
