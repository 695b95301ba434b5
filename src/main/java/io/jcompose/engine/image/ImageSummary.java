package io.jcompose.engine.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** One entry of {@code GET /images/json} (API 1.41: dangling images show {@code <none>:<none>}). */
@JsonPropertyOrder({"Containers", "Created", "Id", "Labels", "ParentId", "RepoDigests", "RepoTags", "SharedSize", "Size", "VirtualSize"})
public record ImageSummary(
        @JsonProperty("Containers") long containers,
        @JsonProperty("Created") long created,
        @JsonProperty("Id") String id,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("ParentId") String parentId,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("SharedSize") long sharedSize,
        @JsonProperty("Size") long size,
        @JsonProperty("VirtualSize") long virtualSize) {
    public ImageSummary {
        repoDigests = List.copyOf(repoDigests);
        repoTags = List.copyOf(repoTags);
    }
}
