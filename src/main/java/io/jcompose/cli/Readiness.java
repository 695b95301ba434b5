package io.jcompose.cli;

import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code --wait} for verbs outside the planner ({@code start --wait}): every container running, and healthy when
 * it has a health check. Fails (exit 1) naming the container when one exits or turns unhealthy, or when the
 * timeout passes.
 */
final class Readiness {
    private Readiness() {}

    static void await(ContainerRuntime runtime, List<String> containers, Optional<Duration> timeout) throws InterruptedException {
        Instant deadline = timeout.map(t -> Instant.now().plus(t)).orElse(Instant.MAX);
        for (String c : containers) {
            while (true) {
                ContainerInfo i = runtime.containers().inspect(c);
                String health = i.state().health().map(h -> h.status()).orElse("");
                if (!i.state().running() && !i.state().restarting()) {
                    throw new CliException(ExitCodes.FAILURE, "container " + i.name() + " exited (" + i.state().exitCode() + ")");
                }
                if (health.equals("unhealthy")) throw new CliException(ExitCodes.FAILURE, "container " + i.name() + " is unhealthy");
                if (i.state().running() && (health.isEmpty() || health.equals("healthy"))) break;
                if (Instant.now().isAfter(deadline)) {
                    throw new CliException(ExitCodes.FAILURE, "timeout waiting for container " + i.name() + " to be "
                            + (health.isEmpty() ? "running" : "healthy") + " (" + (health.isEmpty() ? i.state().status() : health) + ")");
                }
                // No event stream needed for one short wait: poll, as docker compose's --wait does.
                Thread.sleep(100);
            }
        }
    }
}
