package io.jcompose.cli;

import io.jcompose.runtime.docker.DockerEndpoint;
import io.jcompose.runtime.docker.DockerRuntime;
import io.jcompose.testing.Dockerd;
import io.jcompose.testing.EngineFixture;
import io.jcompose.testing.Infra;
import io.jcompose.testing.TestImages;
import java.nio.file.Path;
import java.util.Optional;

/** The engines a CLI test runs the same compose file on: {@code "dockerd"} (the shared one) or {@code "jcompose"} (ours). */
final class BothEngines {
    private BothEngines() {}

    /** The engine's socket, with the busybox look-alike there as {@code busybox:latest}. */
    static Path withBusybox(String kind) throws Exception {
        Infra.requireRoot();
        if (kind.equals("dockerd")) {
            Dockerd.shared();
            TestImages.pullIntoDockerd("busybox");
            return Dockerd.DEFAULT_SOCKET;
        }
        Infra.require(Infra.which("runc").isPresent() && Infra.which("conmon").isPresent(), "runc and conmon");
        Path socket = EngineFixture.shared().socket();
        try (DockerRuntime rt = DockerRuntime.connect(DockerEndpoint.unix(socket), System::getenv, Path.of(System.getProperty("user.home")))) {
            String ref = TestImages.ref("busybox");
            rt.images().pull(ref, Optional.empty(), p -> { });
            rt.images().tag(ref, "busybox:latest");
        }
        return socket;
    }
}
