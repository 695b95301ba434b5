package io.jcompose.e2e;

/** docker compose's lifecycle hook scenarios (hooks_test.go): post_start and pre_stop. */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class HookScenariosTest {

    @ComposeScenario("TestPostStartHookSuccess")
    void postStartHookSuccess(Scenario s) {
        // step: up runs the hook and leaves the service running
        s.compose("up", "-d");
        s.serviceState("test", "running");
    }

    @ComposeScenario("TestPreStopHookInError")
    void preStopHookInError(Scenario s) {
        // step: up starts the service
        s.compose("up", "-d");
        s.serviceState("sample", "running");
        // step: down fails on the hook error
        s.cmd("down", "-t", "0").mayFail().run()
                .exitCode(1)
                .outputContains("sample hook exited with status 127");
    }

    @ComposeScenario("TestPreStopHookSuccessWithPreviousStop")
    void preStopHookSuccessWithPreviousStop(Scenario s) {
        // step: up starts both services
        s.compose("up", "-d");
        s.serviceState("sample", "running");
        s.serviceState("test", "running");
        // step: stop on the hooked service succeeds
        s.compose("stop", "sample");
        s.serviceState("sample", "exited");
        s.serviceState("test", "running");
    }

    @ComposeScenario("TestPostStartAndPreStopHook")
    void postStartAndPreStopHook(Scenario s) {
        // step: up starts both services and runs the post_start hook
        s.compose("up", "-d");
        s.serviceState("sample", "running");
        s.serviceState("test", "running");
    }
}
