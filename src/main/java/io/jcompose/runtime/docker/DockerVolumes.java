package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.DockerApi.query;
import static io.jcompose.runtime.docker.DockerApi.seg;

import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.runtime.VolumeInfo;
import io.jcompose.runtime.VolumeSpec;
import io.jcompose.runtime.Volumes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

final class DockerVolumes implements Volumes {
    private final DockerApi api;

    DockerVolumes(DockerApi api) {
        this.api = api;
    }

    @Override
    public VolumeInfo create(VolumeSpec spec) {
        return InfoJson.volume(api.post("/volumes/create", null, SpecJson.volumeCreate(spec),
                "create volume " + spec.name()));
    }

    @Override
    public VolumeInfo inspect(String name) {
        return InfoJson.volume(api.get("/volumes/" + seg(name), null, "inspect volume " + name));
    }

    @Override
    public List<VolumeInfo> list(List<String> labelFilters) {
        JsonNode r = api.get("/volumes", query("filters",
                labelFilters.isEmpty() ? null : SpecJson.filters(Map.of("label", labelFilters))), "list volumes");
        List<VolumeInfo> out = new ArrayList<>();
        r.path("Volumes").forEach(n -> out.add(InfoJson.volume(n)));
        out.sort(Comparator.comparing(VolumeInfo::name));
        return out;
    }

    @Override
    public void remove(String name, boolean force) {
        api.delete("/volumes/" + seg(name), query("force", force), "remove volume " + name);
    }
}
