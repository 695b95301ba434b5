package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An image the build starts from (or copies from): its ID (sha256 of the config bytes), the whole image config
 * JSON (architecture, config, history, rootfs…), and its layers bottom first.
 */
public record BaseImage(String id, JsonNode imageConfig, List<LayerRef> layers) {
    public BaseImage {
        layers = List.copyOf(layers);
    }

    public ContainerConfig config() {
        return ContainerConfig.fromJson(imageConfig.get("config"));
    }
}
