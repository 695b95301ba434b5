package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.DockerApi.query;
import static io.jcompose.runtime.docker.DockerApi.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.NetworkInfo;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.Networks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

final class DockerNetworks implements Networks {
    private final DockerApi api;

    DockerNetworks(DockerApi api) {
        this.api = api;
    }

    @Override
    public String create(NetworkSpec spec) {
        return api.post("/networks/create", null, SpecJson.networkCreate(spec), "create network " + spec.name())
                .path("Id").asText();
    }

    @Override
    public NetworkInfo inspect(String network) {
        return InfoJson.network(api.get("/networks/" + seg(network), null, "inspect network " + network));
    }

    @Override
    public List<NetworkInfo> list(List<String> labelFilters) {
        JsonNode r = api.get("/networks", query("filters",
                labelFilters.isEmpty() ? null : SpecJson.filters(Map.of("label", labelFilters))), "list networks");
        List<NetworkInfo> out = new ArrayList<>();
        r.forEach(n -> out.add(InfoJson.network(n)));
        out.sort(Comparator.comparing(NetworkInfo::name));
        return out;
    }

    @Override
    public void remove(String network) {
        api.delete("/networks/" + seg(network), null, "remove network " + network);
    }

    @Override
    public void connect(String network, String container, NetworkAttachment attachment) {
        ObjectNode body = api.json.createObjectNode();
        body.put("Container", container);
        body.set("EndpointConfig", SpecJson.endpoint(attachment));
        api.post("/networks/" + seg(network) + "/connect", null, body,
                "connect container " + container + " to network " + network);
    }

    @Override
    public void disconnect(String network, String container, boolean force) {
        ObjectNode body = api.json.createObjectNode();
        body.put("Container", container);
        body.put("Force", force);
        api.post("/networks/" + seg(network) + "/disconnect", null, body,
                "disconnect container " + container + " from network " + network);
    }
}
