package io.jcompose.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * docker compose's scenarios around reading the project's state (logs_test.go, ps_test.go, pull_test.go,
 * image_identity_corner_test.go, up_test.go): logs selection, ps format from the CLI config, pull without an image,
 * dry runs, resources no service uses.
 */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class MiscScenariosTest {

    @ComposeScenario("TestLocalComposeLogs")
    void localComposeLogs(Scenario s) {
        // step: up starts the services
        s.compose("up", "-d");
        s.eventually(() -> s.serviceState("hello", "exited"), Duration.ofSeconds(10));
        // step: logs aggregates every service's output
        s.compose("logs").outputContains("PING localhost").outputContains("hello");
        // step: logs on one service filters the others out
        s.compose("logs", "ping").outputContains("PING localhost").outputNotContains("hello");
        // step: logs accepts several services
        s.compose("logs", "hello", "ping").outputContains("PING localhost").outputContains("hello");
        // step: logs --index selects a single replica
        s.compose("logs", "--index", "2", "hello").outputContains("hello-2").outputNotContains("hello-1");
    }

    @ComposeScenario("TestPsHonorsPsFormat")
    void psHonorsPsFormat(Scenario s) {
        try {
            Files.writeString(s.cliConfigDir().resolve("config.json"), "{\"psFormat\":\"table {{.Name}}\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // step: service starts
        s.compose("up", "-d");
        s.eventually(() -> s.serviceState("app", "running"), Duration.ofSeconds(10));
        // step: ps without --format renders only the NAME column from psFormat
        s.compose("ps").outputContains("NAME").outputNotContains("IMAGE");
    }

    @ComposeScenario("TestPullNoImageNameGiven")
    void pullNoImageNameGiven(Scenario s) {
        // step: pull reports there is nothing to pull
        s.compose("pull").outputContains("Skipped No image to be pulled");
    }

    @ComposeScenario("TestUpDryRunMissingImage")
    void upDryRunMissingImage(Scenario s) {
        // step: make sure the image is not in the local store
        s.dockerMayFail("rmi", "-f", "alpine:3.20");
        // step: dry-run up succeeds on the faked pull
        s.compose("--dry-run", "up", "-d").outputNotContains("No such image");
    }

    @ComposeScenario("TestUpWithAllResources")
    void upWithAllResources(Scenario s) {
        // step: up creates the unused volume and network
        s.compose("--all-resources", "up")
                .outputContains("Volume " + s.project() + "_my_vol Created")
                .outputContains("Network " + s.project() + "_my_net Created");
    }
}
