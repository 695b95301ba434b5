package io.jcompose.e2e;

/** docker compose's profile scenarios (profiles_test.go). */
class ProfileScenariosTest {

    @ComposeScenario("TestDotEnvProfileUsage")
    void dotEnvProfileUsage(Scenario s) {
        // step: up starts both services, the profile coming from .env
        s.compose("up", "-d");
        s.serviceState("regular-service", "running");
        s.serviceState("profiled-service", "running");
    }
}
