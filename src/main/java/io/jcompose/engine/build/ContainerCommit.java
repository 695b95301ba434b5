package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jcompose.engine.image.ImageService;
import io.jcompose.engine.image.ImportChanges;
import io.jcompose.engine.image.LayerWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /commit}: a container's changes as a new image on top of its image, made the way a RUN step's layer
 * is — the overlay upper directory converted to OCI whiteouts ({@link UpperDirDiff}) and written by
 * {@link LayerWriter} into the builder's layout, then stored in the engine like a built image.
 *
 * @param config  the new image's {@code config}: the container's configuration (Docker's Config shape)
 * @param changes Dockerfile-like {@code --change} instructions applied to {@code config}
 * @param tag     "repo:tag", or empty for an untagged image
 */
public record ContainerCommit(String baseImage, Path upperCopy, ObjectNode config, String author, String comment,
                              List<String> changes, String createdBy, Optional<String> tag) {
    public ContainerCommit {
        changes = List.copyOf(changes);
        author = author == null ? "" : author;
        comment = comment == null ? "" : comment;
    }

    /**
     * Writes the layer and the image, stores it in {@code images}; returns the image ID. {@code upperCopy} is
     * converted in place: pass a copy, never a running container's upper directory.
     */
    public String run(ImageService images, ImageLayout layout, Clock clock) throws IOException, BuildException {
        BaseImage base = new EngineImages(images, ref -> io.jcompose.engine.image.RegistryAuth.NONE, s -> { })
                .resolve(baseImage, Platform.host(), false)
                .orElseThrow(() -> new BuildException("No such image: " + baseImage));
        ObjectNode cfg = config.deepCopy();
        try {
            ImportChanges.apply(cfg, changes);
        } catch (RuntimeException e) {
            throw new BuildException(e.getMessage(), e);
        }
        UpperDirDiff.convert(upperCopy);
        LayerWriter.Layer l = LayerWriter.deterministic().keepingOwners().writeBlob(upperCopy, layout.root());
        List<LayerRef> layers = new ArrayList<>(base.layers());
        layers.add(new LayerRef(l.diffId(), l.digest(), LayerWriter.OCI_LAYER, l.size(), layout.blob(l.digest())));
        String created = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        ObjectNode image = base.imageConfig().deepCopy();
        image.set("config", cfg);
        image.put("created", created);
        if (!author.isEmpty()) image.put("author", author);
        else image.remove("author");
        if (!comment.isEmpty()) image.put("comment", comment);
        else image.remove("comment");
        image.remove("container");
        image.remove("container_config");
        ArrayNode history = image.has("history") && image.get("history").isArray() ? (ArrayNode) image.get("history") : image.putArray("history");
        ObjectNode h = history.addObject();
        h.put("created", created);
        h.put("created_by", createdBy);
        if (!author.isEmpty()) h.put("author", author);
        if (!comment.isEmpty()) h.put("comment", comment);
        ObjectNode rootfs = image.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(x -> ids.add(x.diffId()));
        String[] written = layout.writeImage(image, layers);
        List<String> tags = tag.map(t -> List.of(t.lastIndexOf(':') > t.lastIndexOf('/') ? t : t + ":latest")).orElse(List.of());
        return images.loadBuilt(layout.root(), written[1], tags);
    }
}
