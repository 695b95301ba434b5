package io.jcompose.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The real `jcompose engine` under the fixture. */
@Tag("integration")
@Tag("engine")
class EngineFixtureIT {
    @Test void realEngineAnswersPingAndStops() throws Exception {
        Infra.requireRoot();
        EngineFixture e = EngineFixture.shared();
        assertThat(UnixHttp.get(e.socket(), "/_ping").body()).isEqualTo("OK");
        assertThat(UnixHttp.get(e.socket(), "/v1.41/version").status()).isEqualTo(200);
    }
}
