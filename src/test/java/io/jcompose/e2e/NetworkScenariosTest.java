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

    @ComposeScenario("TestNetworkModes")
    void networkModes(Scenario s) {
        // step: run starts the network provider and shares its namespace
        s.compose("run", "-T", "mydb", "echo", "success").outputContains("success");
        s.serviceState("db", "running");
    }

    @ComposeScenario("TestNetworkConfigChanged")
    void networkConfigChanged(Scenario s) {
        // step: up addresses the service in the default subnet
        s.compose("up", "-d");
        s.serviceState("test", "running");
        // step: the container's IP belongs to the default subnet
        s.compose("exec", "test", "hostname", "-i").outputContains("172.99.0.");
        // step: up with a changed subnet replaces the network, reconnecting the same container
        s.cmd("up", "-d").withEnv("SUBNET=192.168.0.0/16").run();
        s.serviceState("test", "running");
        s.notRecreated("test");
        // step: the container's IP moved to the new subnet
        s.compose("exec", "test", "hostname", "-i").outputContains("192.168.0.");
    }
}
