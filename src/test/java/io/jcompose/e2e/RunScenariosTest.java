package io.jcompose.e2e;

/** docker compose's one-off scenarios (compose_run_test.go, env_file_test.go): run and what it publishes and sees. */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class RunScenariosTest {

    @ComposeScenario("TestComposeRunPorts")
    void composeRunPorts(Scenario s) {
        // step: run --publish maps the requested port, not the model's
        s.compose("run", "--publish", "8081:80", "-d", "back", "/bin/sh", "-c", "sleep 30");
        // step: the ad-hoc mapping is live
        s.docker("ps", "--filter", "label=com.docker.compose.project=" + s.project())
                .outputContains("8081->80/tcp")
                .outputNotContains("8082->80/tcp");
        // step: run --service-ports maps the model's ports
        s.compose("run", "--service-ports", "-d", "back", "/bin/sh", "-c", "sleep 30");
        // step: the model's mapping is live
        s.docker("ps", "--filter", "label=com.docker.compose.project=" + s.project()).outputContains("8082->80/tcp");
    }

    @ComposeScenario("TestComposeRunNotRequiredDeps")
    void composeRunNotRequiredDeps(Scenario s) {
        // step: run executes the service without materializing the optional dependency
        s.compose("run", "foo").outputContains("foo");
        s.serviceNotCreated("bar");
    }

    @ComposeScenario("TestRawEnvFile")
    void rawEnvFile(Scenario s) {
        // step: the service prints the raw value, quotes included
        s.compose("run", "test").outputContains("'{\"key\": \"value\"}'");
    }

    @ComposeScenario("TestRunEnvFile")
    void runEnvFile(Scenario s) {
        // step: the one-off sees the env_file's variables
        s.compose("run", "--rm", "serviceC", "env").outputContains("FOO=BAR");
    }
}
