package io.jcompose.engine.api;

import io.jcompose.engine.image.Digest;
import io.jcompose.engine.image.ImageException;
import io.jcompose.engine.image.ImageFilters;
import io.jcompose.engine.image.ImageReference;
import io.jcompose.engine.image.ImageService;
import io.jcompose.engine.image.ImageSummary;
import io.jcompose.engine.image.Platform;
import io.jcompose.engine.image.ProgressMessage;
import io.jcompose.engine.image.RegistryAuth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The image endpoints of the Docker Engine API (moby's api/swagger.yaml, v1.41), served by {@link ImageService}:
 * <pre>
 * POST   /images/create?fromImage=&amp;tag=&amp;platform=   pull (JSON progress stream, X-Registry-Auth)
 * POST   /images/create?fromSrc=-&amp;repo=&amp;tag=&amp;changes=  import a rootfs tar from the body
 * GET    /images/json?all=&amp;filters=                  list
 * GET    /images/{name}/json                         inspect
 * DELETE /images/{name}?force=&amp;noprune=             untag / delete
 * POST   /images/{name}/tag?repo=&amp;tag=              tag (201)
 * POST   /images/{name}/push?tag=                    push (JSON progress stream, X-Registry-Auth)
 * POST   /images/load?quiet=                         docker-archive or OCI layout tar from the body
 * GET    /images/{name}/get, /images/get?names=      docker-archive tar
 * POST   /images/prune?filters=                      dangling (or, with dangling=false, all unused) images
 * GET    /system/df                                  image disk usage; Containers/Volumes/BuildCache empty for now
 * </pre>
 * {@code {name}} is greedy, so references with slashes and ports work ({@code 127.0.0.1:5000/team/app:1});
 * the fixed paths ({@code /images/json}, {@code /images/get}) never match the greedy templates, which need a
 * non-empty segment before their suffix.
 *
 * <p>Errors as dockerd reports them: a failure before a stream starts is an HTTP status with
 * {@code {"message":…}} (the {@link ImageException.Kind} picks 404/409/400/401/500); after it started, Docker's
 * in-band {@code {"errorDetail":…,"error":…}} line. A pull holds back its first line ("Pulling from …") until the
 * registry has answered, so an unknown image or refused credentials is still a 404/401, as with dockerd (the
 * Docker CLI offers a login only on a 401 status).
 */
public final class ImageRoutes {
    private final ImageService images;
    private final Predicate<String> usedByContainer;

    private ImageRoutes(ImageService images, Predicate<String> usedByContainer) {
        this.images = images;
        this.usedByContainer = usedByContainer;
    }

    /** Registers the image routes; {@code usedByContainer} (image ID → in use) guards delete and prune. */
    public static void register(Routes routes, ImageService images, Predicate<String> usedByContainer) {
        ImageRoutes r = new ImageRoutes(images, usedByContainer);
        routes.post("/images/create", wrap(r::create))
                .get("/images/json", wrap(r::list))
                .get("/images/{name:.*}/json", wrap(r::inspect))
                .delete("/images/{name:.*}", wrap(r::remove))
                .post("/images/{name:.*}/tag", wrap(r::tag))
                .post("/images/{name:.*}/push", wrap(r::push))
                .post("/images/load", wrap(r::load))
                .get("/images/{name:.*}/get", wrap(r::saveOne))
                .get("/images/get", wrap(r::saveMany))
                .post("/images/prune", wrap(r::prune))
                .get("/system/df", wrap(r::df));
    }

    /** The count /info reports: every image, tagged or not (as dockerd counts). */
    public static int count(ImageService images) {
        try {
            return images.list(true).size();
        } catch (IOException | RuntimeException e) {
            return 0; // /info must answer even when one image record is unreadable
        }
    }

    /** Turns the image service's failure categories into Docker's statuses. */
    static Handler wrap(Handler h) {
        return (req, res) -> {
            try {
                h.handle(req, res);
            } catch (ImageException e) {
                throw new ApiException(status(e.kind()), e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
    }

    static int status(ImageException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            // dockerd answers a registry it cannot reach with a 500 (errdefs.System), not 503.
            case UNAVAILABLE -> 500;
        };
    }

    // ---------------------------------------------------------------- create: pull or import

    private void create(Request req, Response res) throws IOException {
        Optional<String> fromImage = nonEmpty(req, "fromImage");
        Optional<String> fromSrc = nonEmpty(req, "fromSrc");
        if (fromImage.isPresent()) {
            pull(req, res, fromImage.get());
        } else if (fromSrc.isPresent()) {
            importRootfs(req, res, fromSrc.get());
        } else {
            throw ApiException.invalid("bad parameter: give fromImage (pull) or fromSrc (import)");
        }
    }

    private void pull(Request req, Response res, String fromImage) throws IOException {
        String tag = req.queryParam("tag").orElse("");
        ImageReference ref = reference(fromImage);
        if (!tag.isEmpty()) {
            try {
                ref = Digest.isDigest(tag) ? ref.withDigest(Digest.parse(tag)) : ref.withTag(tag);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("invalid reference format: " + e.getMessage());
            }
        }
        Optional<Platform> platform = platform(req);
        RegistryAuth auth = auth(req);
        ProgressStream out = new ProgressStream(res, m -> m.status() != null && m.status().startsWith("Pulling from "));
        try {
            images.pull(ref.toString(), auth, platform, out::send);
        } catch (ImageException e) {
            if (!out.started() && e.kind() == ImageException.Kind.UNAUTHORIZED && auth.isAnonymous()) {
                // dockerd answers "no basic auth credentials" with a 500: a 401 makes the Docker CLI prompt for a
                // login on its terminal (and hang without one), which is wrong for scripts that simply forgot it.
                throw ApiException.internal(e.getMessage());
            }
            if (!out.started()) throw e;
            out.fail(e);
            return;
        } catch (IOException | RuntimeException e) {
            if (!out.started()) throw e;
            out.fail(e);
            return;
        }
        out.close();
    }

    private void importRootfs(Request req, Response res, String fromSrc) throws IOException {
        if (!fromSrc.equals("-")) {
            throw ApiException.invalid("import from a URL is not supported (fromSrc=" + fromSrc + "); send the tar in the body with fromSrc=-");
        }
        Optional<String> repo = nonEmpty(req, "repo");
        Optional<String> tag = nonEmpty(req, "tag");
        Optional<String> name = Optional.empty();
        if (repo.isPresent()) {
            ImageReference r = reference(repo.get());
            name = Optional.of((tag.isPresent() ? r.withTag(tag.get()) : r).toString());
        } else if (tag.isPresent()) {
            throw ApiException.invalid("bad parameter: tag given without repo");
        }
        Platform platform = platform(req).orElseGet(Platform::host);
        List<String> changes = req.query().getOrDefault("changes", List.of());
        String id = images.importRootfs(req.body(), name, platform, changes);
        try (JsonStream s = JsonStream.start(res)) {
            s.send(ProgressMessage.status(id));
        }
    }

    // ---------------------------------------------------------------- read

    private void list(Request req, Response res) throws IOException {
        Filters f = Filters.of(req);
        Map<String, List<String>> filters = new LinkedHashMap<>(f.values());
        // The pre-1.25 "filter" parameter is a reference glob.
        nonEmpty(req, "filter").ifPresent(g -> filters.merge("reference", List.of(g), (a, b) -> {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }));
        res.json(200, images.list(req.flag("all"), ImageFilters.fromDocker(filters)));
    }

    private void inspect(Request req, Response res) throws IOException {
        res.json(200, images.inspect(req.param("name")));
    }

    // ---------------------------------------------------------------- tag / remove / prune

    private void remove(Request req, Response res) throws IOException {
        // noprune: parent images are a legacy-builder notion; ours have none, so there is nothing to keep.
        res.json(200, images.remove(req.param("name"), req.flag("force"), usedByContainer));
    }

    private void tag(Request req, Response res) throws IOException {
        String repo = nonEmpty(req, "repo").orElseThrow(() -> ApiException.invalid("bad parameter: repo is required"));
        Optional<String> tag = nonEmpty(req, "tag");
        ImageReference target = reference(repo);
        if (tag.isPresent()) {
            try {
                target = target.withTag(tag.get());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("invalid tag format: " + e.getMessage());
            }
        }
        images.tag(req.param("name"), target.toString());
        res.empty(201);
    }

    private void prune(Request req, Response res) throws IOException {
        boolean all = false;
        for (Map.Entry<String, List<String>> e : Filters.of(req).values().entrySet()) {
            if (!e.getKey().equals("dangling")) {
                throw ApiException.invalid("invalid filter '" + e.getKey() + "' (supported: dangling)");
            }
            for (String v : e.getValue()) all = v.equalsIgnoreCase("false") || v.equals("0");
        }
        ImageService.PruneReport r = images.prune(all, usedByContainer);
        Map<String, Object> body = new LinkedHashMap<>();
        // dockerd sends null, not [], when nothing was deleted.
        body.put("ImagesDeleted", r.imagesDeleted().isEmpty() ? null : r.imagesDeleted());
        body.put("SpaceReclaimed", r.spaceReclaimed());
        res.json(200, body);
    }

    private void df(Request req, Response res) throws IOException {
        ImageService.DiskUsage du = images.df();
        List<ImageSummary> list = new ArrayList<>();
        for (ImageSummary s : du.images()) {
            // /system/df counts containers per image and shared sizes; -1 ("not computed") would confuse the
            // CLI's RECLAIMABLE column. No containers yet, and layers shared between images are not split out.
            list.add(new ImageSummary(usedByContainer.test(s.id()) ? 1 : 0, s.created(), s.id(), s.labels(), s.parentId(),
                    s.repoDigests(), s.repoTags(), 0, s.size(), s.virtualSize()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("LayersSize", du.layersSize());
        body.put("Images", list);
        body.put("Containers", List.of());
        body.put("Volumes", List.of());
        body.put("BuildCache", List.of());
        res.json(200, body);
    }

    // ---------------------------------------------------------------- push / load / save

    private void push(Request req, Response res) throws IOException {
        String name = req.param("name");
        Optional<String> tag = nonEmpty(req, "tag");
        ImageReference repo = reference(name);
        List<String> refs = new ArrayList<>();
        if (tag.isPresent()) {
            refs.add(repo.withTag(tag.get()).toString());
        } else if (name.lastIndexOf(':') > name.lastIndexOf('/')) {
            refs.add(repo.toString());
        } else {
            // Without a tag dockerd pushes every tag of the repository.
            for (ImageSummary s : images.list(false)) {
                for (String t : s.repoTags()) {
                    ImageReference r = ImageReference.parse(t);
                    if (r.repository().equals(repo.repository())) refs.add(r.toString());
                }
            }
            if (refs.isEmpty()) throw ApiException.notFound("An image does not exist locally with the tag: " + repo.familiarRepository());
        }
        for (String r : refs) images.inspect(r); // a missing tag is a 404 before the stream starts
        RegistryAuth auth = auth(req);
        ProgressStream out = new ProgressStream(res, m -> false);
        try {
            for (String r : refs) images.push(r, auth, out::send);
        } catch (IOException | RuntimeException e) {
            if (!out.started()) throw e;
            out.fail(e);
            return;
        }
        out.close();
    }

    private void load(Request req, Response res) throws IOException {
        boolean quiet = req.flag("quiet");
        ProgressStream out = new ProgressStream(res, m -> false);
        try {
            images.load(req.body(), m -> {
                if (!quiet || m.stream() != null) out.send(m);
            });
        } catch (IOException | RuntimeException e) {
            if (!out.started()) throw e;
            out.fail(e);
            return;
        }
        out.close();
    }

    private void saveOne(Request req, Response res) throws IOException {
        save(List.of(req.param("name")), res);
    }

    private void saveMany(Request req, Response res) throws IOException {
        List<String> names = req.query().getOrDefault("names", List.of());
        if (names.isEmpty()) throw ApiException.invalid("bad parameter: names is required (GET /images/get?names=IMAGE)");
        save(names, res);
    }

    private void save(List<String> names, Response res) throws IOException {
        for (String n : names) images.inspect(n); // unknown names are a 404 before the tar starts
        try (OutputStream out = res.stream(200, "application/x-tar")) {
            images.save(names, out);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Optional<String> nonEmpty(Request req, String name) {
        return req.queryParam(name).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static ImageReference reference(String s) {
        try {
            return ImageReference.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid reference format: " + e.getMessage());
        }
    }

    private static Optional<Platform> platform(Request req) {
        Optional<String> p = nonEmpty(req, "platform");
        if (p.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Platform.parse(p.get()));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    static RegistryAuth auth(Request req) {
        try {
            return RegistryAuth.fromHeader(req.headers().first("X-Registry-Auth").orElse(""));
        } catch (ImageException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    /**
     * A JSON progress stream that starts (commits 200) lazily: messages {@code holdBack} accepts are buffered until
     * another message arrives, so failures before that are still an HTTP status. Sends come from download
     * threads one at a time (the image service serialises them); a client that went away surfaces as an
     * UncheckedIOException that aborts the operation.
     */
    static final class ProgressStream {
        private final Response res;
        private final Predicate<ProgressMessage> holdBack;
        private final List<ProgressMessage> held = new ArrayList<>();
        private JsonStream stream;

        ProgressStream(Response res, Predicate<ProgressMessage> holdBack) {
            this.res = res;
            this.holdBack = holdBack;
        }

        synchronized boolean started() {
            return stream != null;
        }

        synchronized void send(ProgressMessage m) {
            try {
                if (stream == null && holdBack.test(m)) {
                    held.add(m);
                    return;
                }
                start();
                stream.send(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void start() throws IOException {
            if (stream != null) return;
            stream = JsonStream.start(res);
            for (ProgressMessage h : held) stream.send(h);
            held.clear();
        }

        /** Docker's in-band error line; the stream ends after it. */
        synchronized void fail(Exception e) throws IOException {
            String msg = e instanceof UncheckedIOException u ? String.valueOf(u.getCause().getMessage()) : String.valueOf(e.getMessage());
            try {
                stream.send(ProgressMessage.error(msg));
            } finally {
                stream.close();
            }
        }

        synchronized void close() throws IOException {
            start();
            stream.close();
        }
    }
}
