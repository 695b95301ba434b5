package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.engine.image.Digest;
import io.jcompose.engine.image.ImageException;
import io.jcompose.engine.image.ImageService;
import io.jcompose.engine.image.ProgressMessage;
import io.jcompose.engine.image.RegistryAuth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The engine's image store as the builder sees it: FROM and {@code COPY --from=<image>} read images from
 * {@link ImageService} (pulled through it — registry mirrors included — when missing, or always with
 * {@code pull=1}, as dockerd's classic builder does), and a built image is stored into it so {@code docker images},
 * {@code docker run} and the composer see it.
 */
public final class EngineImages implements BaseImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageService images;
    private final Function<String, RegistryAuth> auth;
    private final Consumer<String> progress;

    /**
     * @param auth     credentials for a reference's registry (from the request's X-Registry-Config)
     * @param progress where pull progress lines go (the build's stream)
     */
    public EngineImages(ImageService images, Function<String, RegistryAuth> auth, Consumer<String> progress) {
        this.images = images;
        this.auth = auth;
        this.progress = progress;
    }

    @Override
    public Optional<BaseImage> resolve(String ref, Platform platform, boolean pull) throws BuildException {
        io.jcompose.engine.image.Platform p = io.jcompose.engine.image.Platform.parse(platform.toString());
        try {
            if (pull || !present(ref)) {
                try {
                    images.pull(ref, auth.apply(ref), Optional.of(p), this::report);
                } catch (IOException | ImageException e) {
                    throw new BuildException("pull access denied for " + ref + ", repository does not exist or may require"
                            + " 'docker login': " + e.getMessage(), e);
                }
            }
            return Optional.of(load(ref));
        } catch (ImageException e) {
            if (e.kind() == ImageException.Kind.NOT_FOUND) return Optional.empty();
            throw new BuildException("image " + ref + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BuildException("reading image " + ref + ": " + e.getMessage(), e);
        }
    }

    private boolean present(String ref) {
        try {
            images.manifestDigest(ref);
            return true;
        } catch (ImageException e) {
            return false;
        }
    }

    private void report(ProgressMessage m) {
        if (m.status() != null && !m.status().isEmpty() && m.progressDetail() == null)
            progress.accept((m.id() == null || m.id().isEmpty() ? "" : m.id() + ": ") + m.status() + "\n");
    }

    private BaseImage load(String ref) throws IOException {
        Digest md = Digest.parse(images.manifestDigest(ref));
        JsonNode manifest = JSON.readTree(images.contentStore().readVerified(md));
        Digest cd = Digest.parse(manifest.path("config").path("digest").asText());
        JsonNode config = JSON.readTree(images.contentStore().readVerified(cd));
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        List<LayerRef> layers = new ArrayList<>();
        int i = 0;
        for (JsonNode l : manifest.path("layers")) {
            Digest d = Digest.parse(l.path("digest").asText());
            layers.add(new LayerRef(diffIds.path(i++).asText(), d.toString(), l.path("mediaType").asText(),
                    l.path("size").asLong(), images.contentStore().path(d)));
        }
        return new BaseImage(cd.toString(), config, layers);
    }

    /** Stores the built image (written to {@code layout} by the builder) in the engine with its tags. */
    public void publish(ImageLayout layout, String manifestDigest, List<String> tags) throws BuildException {
        try {
            images.loadBuilt(layout.root(), manifestDigest, tags);
        } catch (IOException | ImageException e) {
            throw new BuildException("storing the built image in the engine: " + e.getMessage(), e);
        }
    }
}
