package io.jcompose.e2e;

/** docker compose's network scenarios (networks_test.go). */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class NetworkScenariosTest {

    @ComposeScenario("TestIPAMConfig")
    void ipamConfig(Scenario s) {
        // step: up starts the service
        s.compose("up", "-d");
        s.serviceState("foo", "running");
        // step: the container got the fixed IP
        s.docker("inspect", s.project() + "-foo-1", "-f", String.format(
                "{{ $network := index .NetworkSettings.Networks \"%s_default\" }}{{ $network.IPAMConfig.IPv4Address }}", s.project()))
                .outputContains("10.1.0.100");
    }

    @ComposeScenario("TestMacAddress")
    void macAddress(Scenario s) {
        // step: up starts the service
        s.compose("up", "-d");
        s.serviceState("test", "running");
        // step: the endpoint carries the declared mac address
        s.docker("inspect", s.project() + "-test-1", "-f", String.format(
                "{{ (index .NetworkSettings.Networks \"%s_default\" ).MacAddress }}", s.project()))
                .outputContains("00:e0:84:35:d0:e8");
    }
}
