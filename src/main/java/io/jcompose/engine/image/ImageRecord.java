package io.jcompose.engine.image;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the engine persists per image ({@code <root>/images/<config hex>.json}); everything else comes from the
 * content store. {@code id} is the config digest (Docker's image ID); {@code manifest} the stored image manifest;
 * {@code repoTags} full normalised references ({@code docker.io/library/busybox:latest}); {@code repoDigests}
 * {@code repository@digest} of what each repository's reference resolved to; times are RFC 3339.
 */
public record ImageRecord(String id, String manifest, String manifestMediaType, List<String> repoTags,
                          List<String> repoDigests, String lastTagTime) {
    public ImageRecord {
        Digest.parse(id);
        Digest.parse(manifest);
        // Sorted: RepoTags print in a stable order and the JSON file does not churn.
        repoTags = List.copyOf(new TreeSet<>(repoTags));
        repoDigests = List.copyOf(new TreeSet<>(repoDigests));
        lastTagTime = lastTagTime == null ? "" : lastTagTime;
    }

    Digest idDigest() {
        return Digest.parse(id);
    }

    Digest manifestDigest() {
        return Digest.parse(manifest);
    }

    ImageRecord withTags(List<String> tags) {
        return new ImageRecord(id, manifest, manifestMediaType, tags, repoDigests, lastTagTime);
    }

    ImageRecord withDigests(List<String> digests) {
        return new ImageRecord(id, manifest, manifestMediaType, repoTags, digests, lastTagTime);
    }

    ImageRecord withLastTagTime(String t) {
        return new ImageRecord(id, manifest, manifestMediaType, repoTags, repoDigests, t);
    }

    Optional<String> firstTag() {
        return repoTags.stream().findFirst();
    }
}
