package io.jcompose.e2e;

/** docker compose's volume scenarios (volumes_test.go). */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class VolumeScenariosTest {

    @ComposeScenario("TestUpSwitchVolumes")
    void upSwitchVolumes(Scenario s) {
        String vol1 = s.project() + "-ext-1";
        String vol2 = s.project() + "-ext-2";
        s.defer(() -> s.dockerMayFail("volume", "rm", "-f", vol1)).defer(() -> s.dockerMayFail("volume", "rm", "-f", vol2));
        // step: create the two external volumes
        s.docker("volume", "create", vol1);
        // step: and the second one
        s.docker("volume", "create", vol2);
        // step: up mounts the first volume
        s.cmd("up", "-d").withEnv("EXTERNAL_VOLUME=" + vol1).run();
        // step: the container's mount points at the first volume
        s.docker("inspect", s.project() + "-app-1", "-f", "{{ (index .Mounts 0).Name }}").outputContains(vol1);
        // step: up with the other volume reconnects the service
        s.cmd("up", "-d").withEnv("EXTERNAL_VOLUME=" + vol2).run();
        // step: the container's mount points at the second volume
        s.docker("inspect", s.project() + "-app-1", "-f", "{{ (index .Mounts 0).Name }}").outputContains(vol2);
    }

    @ComposeScenario("TestUpRecreateVolumes")
    void upRecreateVolumes(Scenario s) {
        // step: up creates the volume with its declared label
        s.compose("up", "-d");
        // step: the volume carries the initial label
        s.docker("volume", "inspect", s.project() + "_my_vol", "-f", "{{ index .Labels \"foo\" }}").outputContains("bar");
        // step: up -y with a changed label recreates the volume
        s.cmd("up", "-d", "-y").withEnv("VOL_LABEL=zot").run();
        // step: the volume carries the new label
        s.docker("volume", "inspect", s.project() + "_my_vol", "-f", "{{ index .Labels \"foo\" }}").outputContains("zot");
    }
}
