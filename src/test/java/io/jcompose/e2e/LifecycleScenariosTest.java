package io.jcompose.e2e;

import java.time.Duration;

/**
 * docker compose's lifecycle scenarios (start_stop_test.go, restart_test.go, pause_test.go, compose_test.go,
 * cascade_test.go, compose_up_test.go, up_test.go): stop/start/restart in place, pause, scoped down, attached up that
 * aborts, container naming. Each method is the transcription in SCENARIOS.md, step for step.
 */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class LifecycleScenariosTest {

    @ComposeScenario("TestStartStop")
    void startStop(Scenario s) {
        String name = "\"Name\":\"" + s.project() + "\"";
        // step: up starts every service
        s.compose("up", "-d");
        s.serviceState("simple", "running");
        s.serviceState("another", "running");
        // step: ls reports the project as running
        s.compose("ls", "--format", "json").outputContains(name);
        // step: stop halts the containers without removing them
        s.compose("stop");
        s.serviceState("simple", "exited");
        s.serviceState("another", "exited");
        // step: a stopped project is hidden from ls
        s.compose("ls", "--format", "json").outputNotContains(name);
        // step: ls --all still lists the stopped project
        s.compose("ls", "--all", "--format", "json").outputContains(name);
        // step: start brings the same containers back
        s.compose("start");
        s.serviceState("simple", "running");
        s.serviceState("another", "running");
        s.notRecreated("simple", "another");
    }

    @ComposeScenario("TestStartStopWithOneOffs")
    void startStopWithOneOffs(Scenario s) {
        // step: up starts the services
        s.compose("up", "-d");
        s.serviceState("foo", "running");
        s.serviceState("bar", "running");
        // step: run adds a one-off container alongside the service
        s.compose("run", "-d", "bar", "sleep", "infinity");
        s.oneOffState("bar", "running");
        s.notRecreated("foo", "bar");
        // step: stop halts the services but not the one-off
        s.compose("stop");
        s.serviceState("foo", "exited");
        s.serviceState("bar", "exited");
        s.oneOffState("bar", "running");
        s.oneOffsUntouched("bar");
        // step: start resumes the services without touching the one-off
        s.compose("start");
        s.serviceState("foo", "running");
        s.serviceState("bar", "running");
        s.oneOffsUntouched("bar");
        // step: restart restarts the services but not the one-off
        s.compose("restart");
        s.serviceState("foo", "running");
        s.serviceState("bar", "running");
        s.notRecreated("foo", "bar");
        s.oneOffsUntouched("bar");
        // step: down --remove-orphans removes the one-off as well
        s.compose("down", "--remove-orphans");
        s.serviceNotCreated("foo");
        s.serviceNotCreated("bar");
        s.oneOffsRemoved("bar");
    }

    @ComposeScenario("TestRestart")
    void restart(Scenario s) {
        // step: up starts the service, whose first run exits at once
        s.compose("up", "-d");
        s.eventually(() -> s.serviceState("app", "exited"), Duration.ofSeconds(10));
        // step: restart brings the service back up, reusing the container
        s.compose("restart");
        s.eventually(() -> s.serviceState("app", "running"), Duration.ofSeconds(10));
        s.notRecreated("app");
    }

    @ComposeScenario("TestPauseServiceNotRunning")
    void pauseServiceNotRunning(Scenario s) {
        // step: pause without any container is accepted
        s.compose("pause", "a");
    }

    @ComposeScenario("TestPauseServiceAlreadyPaused")
    void pauseServiceAlreadyPaused(Scenario s) {
        // step: up starts the service
        s.compose("up", "-d");
        s.serviceState("a", "running");
        // step: a first pause freezes the service
        s.compose("pause", "a");
        s.serviceState("a", "paused");
        // step: a second pause is rejected
        s.cmd("pause", "a").mayFail().run().exitCode(1).outputContains("already paused");
    }

    @ComposeScenario("TestPauseServiceDoesNotExist")
    void pauseServiceDoesNotExist(Scenario s) {
        // step: pause of an unknown service is rejected
        s.cmd("pause", "does_not_exist").mayFail().run().exitCode(1).outputContains("no such service: does_not_exist");
    }

    @ComposeScenario("TestRemoveOrphaned")
    void removeOrphaned(Scenario s) {
        // step: up starts the stack
        s.compose("up", "-d");
        s.serviceState("web", "running");
        s.serviceState("words", "running");
        s.serviceState("db", "running");
        // step: down scoped to one service leaves the others alone
        s.compose("down", "--remove-orphans", "web");
        s.serviceNotCreated("web");
        s.serviceState("words", "running");
        s.serviceState("db", "running");
    }

    @ComposeScenario("TestCompatibility")
    void compatibility(Scenario s) {
        // step: up names the container the v1 way
        s.compose("--compatibility", "up", "-d");
        s.serviceState("simple", "running");
        // step: the container name uses underscores
        s.docker("ps", "--filter", "label=com.docker.compose.project=" + s.project(), "--format", "{{.Names}}")
                .outputContains(s.project() + "_simple_1");
    }

    @ComposeScenario("TestCascadeStop")
    void cascadeStop(Scenario s) {
        // step: up aborts once a container exits, reporting which one
        s.cmd("up", "--abort-on-container-exit").within(Duration.ofSeconds(60)).run()
                .outputContains("exit-1 exited with code 0");
        s.serviceState("running", "exited");
    }

    @ComposeScenario("TestCascadeFail")
    void cascadeFail(Scenario s) {
        // step: up keeps going on clean exits and aborts on the failure, with its exit code
        s.cmd("up", "--abort-on-container-failure").mayFail().within(Duration.ofSeconds(60)).run()
                .exitCode(111)
                .outputContains("exit-1 exited with code 0")
                .outputContains("fail-1 exited with code 111");
        s.serviceState("running", "exited");
    }

    @ComposeScenario("TestUpExitCodeFrom")
    void upExitCodeFrom(Scenario s) {
        // step: up returns the failing service's code once it exits
        s.cmd("up", "--menu=false", "--exit-code-from=failure", "failure").mayFail().within(Duration.ofSeconds(60)).run()
                .exitCode(42);
    }

    @ComposeScenario("TestUpExitCodeFromContainerKilled")
    void upExitCodeFromContainerKilled(Scenario s) {
        // step: the watched long-lived service is stopped when another exits
        s.cmd("up", "--menu=false", "--exit-code-from=test").mayFail().within(Duration.ofSeconds(60)).run()
                .exitCode(143);
    }
}
