package io.jcompose.engine.network;

import java.util.List;

/** The ports published for one endpoint ({@code ports/<endpointId>.json}), re-bound when the engine starts. */
public record PortRecord(String endpointId, List<PortBinding> bindings) {
    public PortRecord {
        bindings = List.copyOf(bindings);
    }
}
