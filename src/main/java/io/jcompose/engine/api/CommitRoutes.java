package io.jcompose.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jcompose.engine.build.BuildException;
import io.jcompose.engine.build.ContainerCommit;
import io.jcompose.engine.build.ImageLayout;
import io.jcompose.engine.container.ContainerRecord;
import io.jcompose.engine.container.ContainerService;
import io.jcompose.engine.image.ImageException;
import io.jcompose.engine.image.ImageService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /commit} ({@code docker commit}): a container's changes become a layer on its image; the new image's
 * config is the container's (inspect's Config), then the body's non-null fields, then {@code changes}
 * (Dockerfile-like instructions, repeated query parameter). Query: container, repo, tag, author, comment, pause
 * (default true).
 */
public final class CommitRoutes {
    private final ContainerService containers;
    private final ImageService images;
    private final ImageLayout layout;
    private final Path tmp;

    private CommitRoutes(ContainerService containers, ImageService images, ImageLayout layout, Path tmp) {
        this.containers = containers;
        this.images = images;
        this.layout = layout;
        this.tmp = tmp;
    }

    /** {@code work}: a directory of the engine's own (the layout and temporary copies live there). */
    public static void register(Routes routes, ContainerService containers, ImageService images, Path work) throws IOException {
        CommitRoutes c = new CommitRoutes(containers, images, new ImageLayout(work.resolve("images")),
                Files.createDirectories(work.resolve("tmp")));
        // Copies left by an engine that died mid-commit.
        try (var old = Files.list(c.tmp)) {
            for (Path p : old.toList()) c.deleteTree(p);
        }
        routes.post("/commit", c::commit);
    }

    private void commit(Request req, Response res) throws IOException {
        String ref = req.queryParam("container").orElseThrow(() -> ApiException.invalid("bad parameter: container is required"));
        ContainerRecord r = ContainerRoutes.call(() -> containers.get(ref));
        String repo = req.queryParam("repo").orElse("");
        String tagParam = req.queryParam("tag").orElse("");
        Optional<String> tag = repo.isEmpty() ? Optional.empty() : Optional.of(tagParam.isEmpty() ? repo : repo + ":" + tagParam);
        ObjectNode config = Json.MAPPER.valueToTree(ContainerRoutes.config(r));
        byte[] body = req.body().readAllBytes();
        if (body.length > 0) {
            JsonNode b = Json.MAPPER.readTree(body);
            if (b != null && b.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (!f.getValue().isNull()) config.set(f.getKey(), f.getValue());
                }
            }
        }
        config.remove("Image");
        List<String> changes = req.query().getOrDefault("changes", List.of()).stream()
                .flatMap(c -> c.lines()).filter(c -> !c.isBlank()).toList();
        List<String> args = new java.util.ArrayList<>();
        config.path("Entrypoint").forEach(n -> args.add(n.asText()));
        config.path("Cmd").forEach(n -> args.add(n.asText()));
        boolean pause = req.queryParam("pause").isEmpty() || req.flag("pause"); // Docker pauses unless told not to
        Path work = Files.createTempDirectory(tmp, "commit-");
        Path upper = work.resolve("upper");
        try {
            ContainerRoutes.call(() -> {
                containers.copyChanges(r.id(), upper, pause);
                return null;
            });
            String base = r.image().id().isEmpty() ? r.spec().image() : r.image().id();
            String id = new ContainerCommit(base, upper, config, req.queryParam("author").orElse(""),
                    req.queryParam("comment").orElse(""), changes, String.join(" ", args), tag).run(images, layout, Clock.systemUTC());
            res.json(201, Map.of("Id", id));
        } catch (BuildException e) {
            throw ApiException.invalid(e.getMessage());
        } catch (ImageException e) {
            throw e.kind() == ImageException.Kind.NOT_FOUND ? ApiException.notFound(e.getMessage()) : ApiException.invalid(e.getMessage());
        } finally {
            deleteTree(work);
        }
    }

    /** Removes a temporary tree made by this class (under {@code tmp} only). */
    private void deleteTree(Path dir) throws IOException {
        if (!dir.startsWith(tmp) || dir.equals(tmp)) throw new IllegalArgumentException("refusing to delete " + dir);
        io.jcompose.engine.state.SafeTrees.deleteUnder(tmp, dir);
    }
}
