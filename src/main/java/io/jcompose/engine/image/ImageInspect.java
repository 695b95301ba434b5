package io.jcompose.engine.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/{name}/json}, field for field as dockerd 20.10 (API 1.41) writes it. {@code Config} is the
 * container-config shape (Hostname … StopSignal) with Docker's nulls for absent Cmd/Entrypoint/Volumes.
 */
@JsonPropertyOrder({"Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Container", "ContainerConfig",
        "DockerVersion", "Author", "Config", "Architecture", "Variant", "Os", "Size", "VirtualSize", "GraphDriver",
        "RootFS", "Metadata"})
public record ImageInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("Container") String container,
        @JsonProperty("ContainerConfig") Map<String, Object> containerConfig,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Author") String author,
        @JsonProperty("Config") Map<String, Object> config,
        @JsonProperty("Architecture") String architecture,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("Variant") String variant,
        @JsonProperty("Os") String os,
        @JsonProperty("Size") long size,
        @JsonProperty("VirtualSize") long virtualSize,
        @JsonProperty("GraphDriver") GraphDriver graphDriver,
        @JsonProperty("RootFS") RootFS rootFS,
        @JsonProperty("Metadata") Metadata metadata) {

    public ImageInspect {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    public record GraphDriver(@JsonProperty("Data") Map<String, String> data, @JsonProperty("Name") String name) {}

    public record RootFS(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {}

    public record Metadata(@JsonProperty("LastTagTime") String lastTagTime) {}

    /** Convenience views for engine code (container creation) that needs the defaults, not JSON. */
    @SuppressWarnings("unchecked")
    public List<String> env() {
        Object e = config.get("Env");
        return e == null ? List.of() : (List<String>) e;
    }
}
