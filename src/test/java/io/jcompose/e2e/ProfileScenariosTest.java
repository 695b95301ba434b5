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

    @ComposeScenario("TestExplicitProfileUsage")
    void explicitProfileUsage(Scenario s) {
        String profile = "test-profile";
        // step: up with the profile starts both services
        s.compose("--profile", profile, "up", "-d");
        s.serviceState("regular-service", "running");
        s.serviceState("profiled-service", "running");
        // step: stop with the profile halts both services
        s.compose("--profile", profile, "stop");
        s.serviceState("regular-service", "exited");
        s.serviceState("profiled-service", "exited");
        // step: start with the profile resumes both services
        s.compose("--profile", profile, "start");
        s.serviceState("regular-service", "running");
        s.serviceState("profiled-service", "running");
        s.notRecreated("regular-service", "profiled-service");
        // step: restart with the profile restarts both services in place
        s.compose("--profile", profile, "restart");
        s.serviceState("regular-service", "running");
        s.serviceState("profiled-service", "running");
        s.notRecreated("regular-service", "profiled-service");
        // step: down removes every container
        s.compose("--profile", profile, "down");
        s.serviceNotCreated("regular-service");
        s.serviceNotCreated("profiled-service");
    }

    @ComposeScenario("TestNoProfileUsage")
    void noProfileUsage(Scenario s) {
        // step: up starts only the regular service
        s.compose("up", "-d");
        s.serviceState("regular-service", "running");
        s.serviceNotCreated("profiled-service");
        // step: stop halts the regular service
        s.compose("stop");
        s.serviceState("regular-service", "exited");
        s.serviceNotCreated("profiled-service");
        // step: start resumes the regular service only
        s.compose("start");
        s.serviceState("regular-service", "running");
        s.serviceNotCreated("profiled-service");
        s.notRecreated("regular-service");
        // step: restart touches the regular service only
        s.compose("restart");
        s.serviceState("regular-service", "running");
        s.serviceNotCreated("profiled-service");
        s.notRecreated("regular-service");
        // step: down removes every container
        s.compose("down");
        s.serviceNotCreated("regular-service");
    }

    @ComposeScenario("TestActiveProfileViaTargetedService")
    void activeProfileViaTargetedService(Scenario s) {
        // step: up on the profiled service starts it without the regular one
        s.compose("up", "-d", "profiled-service");
        s.serviceState("profiled-service", "running");
        s.serviceNotCreated("regular-service");
        // step: stop on the profiled service halts it
        s.compose("stop", "profiled-service");
        s.serviceState("profiled-service", "exited");
        s.serviceNotCreated("regular-service");
        // step: start on the profiled service resumes it
        s.compose("start", "profiled-service");
        s.serviceState("profiled-service", "running");
        s.serviceNotCreated("regular-service");
        s.notRecreated("profiled-service");
        // step: restart keeps acting on the existing containers only
        s.compose("restart");
        s.serviceState("profiled-service", "running");
        s.serviceNotCreated("regular-service");
        s.notRecreated("profiled-service");
    }
}
