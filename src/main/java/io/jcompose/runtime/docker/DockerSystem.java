package io.jcompose.runtime.docker;

import io.jcompose.runtime.EngineInfo;
import io.jcompose.runtime.SystemService;
import io.jcompose.runtime.VersionInfo;
import java.io.IOException;

final class DockerSystem implements SystemService {
    private final DockerApi api;

    DockerSystem(DockerApi api) {
        this.api = api;
    }

    @Override
    public String ping() {
        try (HttpResponse r = api.http().execute(HttpRequest.of("GET", "/_ping"))) {
            byte[] body = r.bytes();
            if (r.status() >= 300) throw api.error(r.status(), body, "ping the engine");
            String v = r.header("API-Version");
            api.learnVersion(v);
            return v == null ? "" : v;
        } catch (IOException e) {
            throw api.unreachable(e);
        }
    }

    @Override
    public VersionInfo version() {
        return InfoJson.version(api.get("/version", null, "read the engine version"));
    }

    @Override
    public EngineInfo info() {
        return InfoJson.info(api.get("/info", null, "read the engine info"));
    }
}
