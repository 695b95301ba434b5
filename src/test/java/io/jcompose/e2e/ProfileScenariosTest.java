package io.jcompose.e2e;

/** docker compose's profile scenarios (profiles_test.go). */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class ProfileScenariosTest {

    @ComposeScenario("TestDotEnvProfileUsage")
    void dotEnvProfileUsage(Scenario s) {
        // step: up starts both services, the profile coming from .env
        s.compose("up", "-d");
        s.serviceState("regular-service", "running");
        s.serviceState("profiled-service", "running");
    }
}
