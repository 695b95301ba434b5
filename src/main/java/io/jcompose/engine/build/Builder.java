package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jcompose.engine.image.LayerWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The image builder: a Dockerfile and a context in, an image in the store out, progress reported like dockerd's
 * classic builder. This is what the {@code POST /build} route calls:
 *
 * <pre>{@code
 * Builder b = new Builder(store, cacheDir, tmpDir, baseImages, runExecutor, Clock.systemUTC());
 * BuildResult r = b.build(requestBody, BuildRequest.fromQuery(query), new JsonProgress(responseBody));
 * }</pre>
 *
 * Steps: parse → plan stages (substitution, scoping) → per step: a cache key from the parent chain, the
 * substituted instruction and a content hash of its inputs; a hit reuses the layer ("---> Using cache"); a miss
 * stages COPY/ADD files (or runs RUN through the {@link RunExecutor}) and writes a deterministic layer.
 * Metadata instructions only change the config. The image config's "created" is when its newest layer was
 * first made, so an unchanged rebuild gives the identical image ID.
 *
 * <p>Thread-safe for concurrent builds as long as each has its own temporary directory (they share the cache
 * and the store, whose writes are atomic).
 */
public final class Builder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageLayout store;
    private final BuildCache cache;
    private final Path tmp;
    private final BaseImages images;
    private final RunExecutor runner;
    private final Clock clock;
    private final Publisher publisher;

    /**
     * Where a built image goes besides the builder's layout (the engine's image store, so {@code docker run}
     * sees it); called with the normalised tags ("x:latest") before the build reports success.
     */
    public interface Publisher {
        void publish(ImageLayout layout, String manifestDigest, List<String> tags) throws BuildException;
    }

    /** The outcome: image ID (sha256 of the config), manifest digest, tags applied, warnings printed. */
    public record BuildResult(String imageId, String manifestDigest, List<String> tags, List<String> warnings,
                              int steps, int cacheHits) {
        public BuildResult {
            tags = List.copyOf(tags);
            warnings = List.copyOf(warnings);
        }
    }

    public Builder(ImageLayout store, Path cacheDir, Path tmpDir, BaseImages images, RunExecutor runner, Clock clock)
            throws IOException {
        this(store, cacheDir, tmpDir, images, runner, clock, (layout, manifest, tags) -> {});
    }

    public Builder(ImageLayout store, Path cacheDir, Path tmpDir, BaseImages images, RunExecutor runner, Clock clock,
                   Publisher publisher) throws IOException {
        this.publisher = publisher;
        this.store = store;
        this.cache = new BuildCache(cacheDir);
        this.tmp = tmpDir;
        this.images = images;
        this.runner = runner;
        this.clock = clock;
        Files.createDirectories(tmpDir);
    }

    /**
     * Builds from a context tar (plain or gzip/bzip2) as {@code POST /build} receives it. Failures are reported
     * to {@code progress} as Docker's error message and thrown.
     */
    public BuildResult build(InputStream contextTar, BuildRequest request, ProgressSink progress) throws BuildException {
        return build(contextTar, request, NamedContexts.none(), progress);
    }

    /** As {@link #build(InputStream, BuildRequest, ProgressSink)}, with named contexts (in the tar or images). */
    public BuildResult build(InputStream contextTar, BuildRequest request, NamedContexts named, ProgressSink progress)
            throws BuildException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(tmp, "context-");
            BuildContext ctx = BuildContext.unpack(contextTar, dir, request.dockerfile(), named);
            return build(ctx, request, progress);
        } catch (IOException e) {
            BuildException b = new BuildException("reading the build context: " + e.getMessage(), e);
            progress.error(b.getMessage());
            throw b;
        } catch (BuildException e) {
            if (!(e instanceof Reported)) progress.error(e.getMessage(), e.code());
            throw e;
        } finally {
            deleteQuietly(dir);
        }
    }

    /** A BuildException already sent to the progress sink. */
    private static final class Reported extends BuildException {
        Reported(BuildException cause) {
            super(cause.getMessage(), cause);
        }
    }

    public BuildResult build(BuildContext ctx, BuildRequest request, ProgressSink progress) throws BuildException {
        try {
            return run(ctx, request, progress);
        } catch (DockerfileException e) {
            BuildException b = new BuildException("dockerfile parse error: " + e.getMessage(), e);
            progress.error(b.getMessage());
            throw new Reported(b);
        } catch (BuildException e) {
            progress.error(e.getMessage(), e.code());
            throw new Reported(e);
        } catch (IOException e) {
            BuildException b = new BuildException("build failed: " + e.getMessage(), e);
            progress.error(b.getMessage());
            throw new Reported(b);
        }
    }

    /** What one stage produced. */
    private record StageResult(ContainerConfig config, List<LayerRef> layers, ArrayNode history, Instant created,
                               String chain, String id, JsonNode baseImageConfig, java.util.Set<String> paths) {}

    private BuildResult run(BuildContext ctx, BuildRequest request, ProgressSink progress)
            throws IOException, BuildException, DockerfileException {
        String name = ctx.dockerfileName();
        Dockerfile df = new DockerfileParser().parse(name, ctx.dockerfile());
        List<String> warnings = new ArrayList<>(df.warnings());
        for (String w : df.warnings()) progress.stream("[Warning] " + w + "\n");
        Platform target = request.platform().orElse(Platform.host());
        StagePlanner planner = new StagePlanner(name, df, request, Platform.host(), target);
        List<Dockerfile.Stage> stages = planner.stagesFor(request.target());
        int total = stages.stream().mapToInt(s -> 1 + s.commands().size()).sum();
        int[] n = {0};
        int hits = 0;
        Map<Integer, StageResult> done = new HashMap<>();
        StageResult last = null;
        for (Dockerfile.Stage stage : stages) {
            String baseRef = planner.baseOf(stage);
            progress.stream("Step " + (++n[0]) + "/" + total + " : " + stage.from().text() + "\n");
            StageResult base = baseFor(df, baseRef, stage, done, planner, target, request, ctx, progress);
            progress.stream(" ---> " + shortId(base.id()) + "\n");
            // The base's ONBUILD triggers run first, as dockerd runs them right after FROM.
            java.util.Set<Instruction> triggers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            Dockerfile.Stage planned = stage;
            if (!base.config().onBuild().isEmpty()) {
                String text = "FROM scratch\n" + String.join("\n", base.config().onBuild()) + "\n";
                List<Instruction> trig = new DockerfileParser().parse("ONBUILD trigger of " + baseRef, text).stages().get(0).commands();
                triggers.addAll(trig);
                List<Instruction> all = new ArrayList<>(trig);
                all.addAll(stage.commands());
                planned = new Dockerfile.Stage(stage.index(), stage.name(), stage.from(), all);
                progress.stream("# Executing " + trig.size() + " build trigger" + (trig.size() == 1 ? "" : "s") + "\n");
            }
            List<Step> steps = planner.plan(planned, base.config(), base.id().isEmpty() ? "" : base.id());
            ContainerConfig cfg = base.config();
            List<LayerRef> layers = new ArrayList<>(base.layers());
            ArrayNode history = base.history().deepCopy();
            Instant created = base.created();
            String chain = base.chain();
            // What exists in the stage's file system, to know whether WORKDIR must create its directory.
            java.util.Set<String> paths = base.paths() != null ? new java.util.HashSet<>(base.paths()) : LayerIndex.paths(base.layers());
            for (Step step : steps) {
                if (!triggers.contains(step.instruction()))
                    progress.stream("Step " + (++n[0]) + "/" + total + " : " + step.instruction().text() + "\n");
                cfg = step.config();
                ObjectNode h = JSON.createObjectNode();
                Optional<String> mkdir = step.instruction() instanceof Instruction.Workdir
                        && !paths.contains(step.config().workingDir().substring(1))
                        && !step.config().workingDir().equals("/") ? Optional.of(step.config().workingDir()) : Optional.empty();
                if (mkdir.isPresent()) {
                    // dockerd's WORKDIR creates a missing directory, and that is a layer.
                    Layered r = workdir(mkdir.get(), chain, normalized(step), request, progress);
                    if (r.cached) hits++;
                    chain = r.key;
                    layers.add(r.layer);
                    created = r.created;
                    LayerIndex.addDir(paths, mkdir.get().substring(1));
                    h.put("created", created.toString());
                    h.put("created_by", step.createdBy());
                } else if (step instanceof Step.Meta) {
                    chain = BuildCache.key(chain, normalized(step), "");
                    h.put("created", created.toString());
                    h.put("created_by", step.createdBy());
                    h.put("empty_layer", true);
                } else {
                    Layered r = step instanceof Step.CopyFiles c
                            ? copy(c, ctx, chain, done, df, target, request, progress, paths, layers)
                            : runStep((Step.RunCommand) step, chain, layers, request, target, progress, paths, ctx, df, done);
                    if (r.cached) hits++;
                    chain = r.key;
                    layers.add(r.layer);
                    created = r.created;
                    h.put("created", created.toString());
                    h.put("created_by", step.createdBy());
                }
                history.add(h);
                String id = TreeHash.sha256Bytes(ImageLayout.configBytes(imageConfig(cfg, layers, history, created, target, base)));
                progress.stream(" ---> " + shortId(id) + "\n");
            }
            last = new StageResult(cfg, layers, history, created, chain, "", base.baseImageConfig(), paths);
            done.put(stage.index(), last);
        }
        planner.unusedArgsWarning().ifPresent(w -> {
            warnings.add(w.strip());
            progress.stream(w);
        });
        ContainerConfig finalCfg = last.config();
        for (Map.Entry<String, String> l : request.labels().entrySet()) finalCfg = finalCfg.withLabel(l.getKey(), l.getValue());
        ObjectNode config = imageConfig(finalCfg, last.layers(), last.history(), last.created(), target, last);
        String[] written = store.writeImage(config, last.layers());
        String imageId = written[0];
        List<String> tagged = new ArrayList<>();
        for (String t : request.tags()) tagged.add(t.lastIndexOf(':') > t.lastIndexOf('/') ? t : t + ":latest");
        for (String t : tagged) store.tag(t, written[1], Long.parseLong(written[2]));
        publisher.publish(store, written[1], tagged);
        progress.aux(imageId);
        progress.stream("Successfully built " + shortId(imageId) + "\n");
        for (String t : tagged) progress.stream("Successfully tagged " + t + "\n");
        return new BuildResult(imageId, written[1], request.tags(), warnings, n[0], hits);
    }

    private record Layered(LayerRef layer, String key, Instant created, boolean cached) {}

    private Layered copy(Step.CopyFiles c, BuildContext ctx, String chain, Map<Integer, StageResult> done, Dockerfile df,
                         Platform target, BuildRequest request, ProgressSink progress, java.util.Set<String> paths,
                         List<LayerRef> stageLayers) throws IOException, BuildException {
        Path staging = Files.createTempDirectory(tmp, "layer-");
        Path fromRoot = null;
        try {
            CopyStager.Source src;
            Optional<NamedContexts.Resolved> named = c.from().flatMap(f -> NamedContexts.lookup(ctx.named(), f));
            if (named.isPresent() && named.get() instanceof NamedContexts.Resolved.Local local) {
                // Already filtered by that context's own .dockerignore on the client.
                src = new CopyStager.Source(local.root(), rel -> false, "build context " + c.from().get());
            } else if (c.from().isPresent()) {
                List<LayerRef> ls = sourceLayers(c.from().get(), df, done, target, request.pull(), ctx);
                fromRoot = Files.createTempDirectory(tmp, "from-");
                for (LayerRef l : ls) {
                    try (InputStream in = Files.newInputStream(l.blob())) {
                        SafeTar.applyLayer(in, fromRoot, "layer " + l.digest());
                    }
                }
                Path r = fromRoot.toRealPath();
                src = new CopyStager.Source(r, rel -> false, "stage or image " + c.from().get());
            } else {
                src = new CopyStager.Source(ctx.root(), ctx::excluded, "build context");
            }
            if (!c.destIsDir() && paths.contains(c.dest().substring(1) + "/")) {
                // The destination is a directory in the stage's file system: the file goes into it (Docker's rule).
                c = new Step.CopyFiles(c.instruction(), c.config(), c.createdBy(), c.sources(), c.inline(), c.dest() + "/",
                        true, c.from(), c.chown(), c.chmod(), c.excludes());
            }
            CopyStager.Names names = CopyStager.Names.NUMERIC_ONLY;
            if (c.chown().isPresent() && (c.chown().get().uid().isEmpty() || c.chown().get().gid().isEmpty())) {
                // Names are looked up in the destination stage's /etc/passwd and /etc/group, as Docker does.
                names = CopyStager.Names.fromFiles(LayerIndex.readFile(stageLayers, "etc/passwd"),
                        LayerIndex.readFile(stageLayers, "etc/group"));
            }
            CopyStager.stage(c, src, staging, names);
            String key = BuildCache.key(chain, normalized(c), TreeHash.of(staging));
            LayerIndex.addTree(paths, staging);
            return layer(key, staging, request.noCache(), progress);
        } finally {
            deleteQuietly(staging);
            deleteQuietly(fromRoot);
        }
    }

    private Layered runStep(Step.RunCommand r, String chain, List<LayerRef> layers, BuildRequest request,
                            Platform target, ProgressSink progress, java.util.Set<String> paths, BuildContext ctx,
                            Dockerfile df, Map<Integer, StageResult> done)
            throws IOException, BuildException {
        TreeMap<String, String> env = new TreeMap<>(r.config().envMap());
        StringBuilder inputs = new StringBuilder("env=" + r.config().env() + "\nargs=" + r.buildArgs() + "\nuser=" + r.config().user()
                + "\nworkdir=" + r.config().workingDir() + "\nnetwork=" + r.network() + "\nmounts=" + r.mounts());
        // --mount=type=bind: the context or a stage/image root; what is bound is part of the step's inputs.
        TreeMap<Integer, Path> bindRoots = new TreeMap<>();
        List<Path> unpacked = new ArrayList<>();
        Path upper = null;
        try {
            for (int i = 0; i < r.mounts().size(); i++) {
                Instruction.Mount m = r.mounts().get(i);
                if (!m.type().equals("bind")) continue;
                Path root;
                String from = m.options().getOrDefault("from", "");
                Optional<NamedContexts.Resolved> named = NamedContexts.lookup(ctx.named(), from);
                if (from.isEmpty()) {
                    root = ctx.root();
                } else if (named.isPresent() && named.get() instanceof NamedContexts.Resolved.Local local) {
                    root = local.root();
                } else {
                    root = Files.createTempDirectory(tmp, "bind-");
                    unpacked.add(root);
                    for (LayerRef l : sourceLayers(from, df, done, target, request.pull(), ctx)) {
                        try (InputStream in = Files.newInputStream(l.blob())) {
                            SafeTar.applyLayer(in, root, "layer " + l.digest());
                        }
                    }
                    root = root.toRealPath();
                }
                bindRoots.put(i, root);
                Path src = root.resolve(m.options().getOrDefault("source", m.options().getOrDefault("src", ".")).replaceAll("^/+", "")).normalize();
                if (!src.startsWith(root)) throw new BuildException("RUN --mount=type=bind: source " + m.options().get("source") + " is outside its root");
                if (!Files.exists(src, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    throw new BuildException("RUN --mount=type=bind: source " + root.relativize(src) + " not found in "
                            + (from.isEmpty() ? "the build context" : from));
                inputs.append("\nbind").append(i).append('=').append(Files.isDirectory(src) ? TreeHash.of(src)
                        : TreeHash.sha256Bytes(Files.readAllBytes(src)));
            }
            String key = BuildCache.key(chain, normalized(r), inputs.toString());
            if (!request.noCache()) {
                Optional<BuildCache.Entry> hit = cache.get(key, store);
                if (hit.isPresent()) return hit(key, hit.get(), progress);
            }
            upper = Files.createTempDirectory(tmp, "upper-");
            return runIn(r, env, key, layers, upper, target, progress, paths, bindRoots);
        } finally {
            deleteQuietly(upper);
            for (Path p : unpacked) deleteQuietly(p);
        }
    }

    private Layered runIn(Step.RunCommand r, TreeMap<String, String> env, String key, List<LayerRef> layers, Path upper,
                          Platform target, ProgressSink progress, java.util.Set<String> paths, TreeMap<Integer, Path> bindRoots)
            throws IOException, BuildException {
        List<String> envList = new ArrayList<>(r.config().env());
        r.buildArgs().forEach((k, v) -> {
            if (!env.containsKey(k)) envList.add(k + "=" + v);
        });
        StringBuilder stdin = new StringBuilder();
        r.stdinHeredocs().forEach(h -> stdin.append(h.content()));
        runner.run(new RunExecutor.RunSpec(layers, upper, r.argv(), envList, r.config().user(),
                r.config().workingDir().isEmpty() ? "/" : r.config().workingDir(), r.network(), r.mounts(),
                new TreeMap<>(), stdin.length() == 0 ? Optional.empty() : Optional.of(stdin.toString()), target, bindRoots),
                line -> progress.stream(line.endsWith("\n") ? line : line + "\n"));
        UpperDirDiff.convert(upper);
        LayerIndex.addTree(paths, upper);
        return layer(key, upper, true, progress);
    }

    private Layered workdir(String dir, String chain, String step, BuildRequest request, ProgressSink progress)
            throws IOException {
        Path staging = Files.createTempDirectory(tmp, "workdir-");
        try {
            Path d = staging;
            for (String part : dir.substring(1).split("/")) {
                d = d.resolve(part);
                Files.createDirectory(d);
                Files.setAttribute(d, "unix:mode", 0755);
            }
            return layer(BuildCache.key(chain, step, "mkdir " + dir), staging, request.noCache(), progress);
        } finally {
            deleteQuietly(staging);
        }
    }

    private Layered hit(String key, BuildCache.Entry e, ProgressSink progress) {
        progress.stream(" ---> Using cache\n");
        return new Layered(new LayerRef(e.diffId(), e.digest(), LayerWriter.OCI_LAYER, e.size(), store.blob(e.digest())),
                key, e.created(), true);
    }

    private Layered layer(String key, Path dir, boolean skipLookup, ProgressSink progress) throws IOException {
        if (!skipLookup) {
            Optional<BuildCache.Entry> hit = cache.get(key, store);
            if (hit.isPresent()) return hit(key, hit.get(), progress);
        }
        LayerWriter.Layer l = LayerWriter.deterministic().keepingOwners().writeBlob(dir, store.root());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        BuildCache.Entry e = new BuildCache.Entry(l.diffId(), l.digest(), l.size(), now);
        cache.put(key, e);
        return new Layered(new LayerRef(l.diffId(), l.digest(), LayerWriter.OCI_LAYER, l.size(), store.blob(l.digest())),
                key, now, false);
    }

    private List<LayerRef> sourceLayers(String from, Dockerfile df, Map<Integer, StageResult> done, Platform target,
                                        boolean pull, BuildContext ctx) throws BuildException {
        Optional<NamedContexts.Resolved> named = NamedContexts.lookup(ctx.named(), from);
        if (named.isPresent() && named.get() instanceof NamedContexts.Resolved.Image i) {
            return images.resolve(i.ref(), target, pull).orElseThrow(() -> new BuildException(
                    "build context " + from + ": image not found: " + i.ref())).layers();
        }
        Optional<Dockerfile.Stage> s = df.stage(from);
        if (s.isPresent() && done.containsKey(s.get().index())) return done.get(s.get().index()).layers();
        if (s.isPresent()) throw new BuildException("COPY --from=" + from + ": that stage comes later in the Dockerfile");
        BaseImage img = images.resolve(from, target, pull).orElseThrow(() -> new BuildException(
                "COPY --from=" + from + ": no stage of that name and image not found: " + from));
        return img.layers();
    }

    private StageResult baseFor(Dockerfile df, String fromRef, Dockerfile.Stage stage, Map<Integer, StageResult> done,
                                StagePlanner planner, Platform target, BuildRequest request, BuildContext ctx,
                                ProgressSink progress) throws BuildException, IOException, DockerfileException {
        boolean pull = request.pull();
        Optional<NamedContexts.Resolved> named = NamedContexts.lookup(ctx.named(), fromRef);
        if (named.isPresent() && named.get() instanceof NamedContexts.Resolved.Local local) {
            // BuildKit: FROM <directory context> is a base of that directory's files and no configuration.
            Layered l = layer(BuildCache.key(TreeHash.sha256("scratch"), "FROM context " + fromRef, TreeHash.of(local.root())),
                    local.root(), request.noCache(), progress);
            return new StageResult(ContainerConfig.empty(), List.of(l.layer()), JSON.createArrayNode(), Instant.EPOCH,
                    l.key(), "", JSON.createObjectNode(), null);
        }
        String ref = named.isPresent() ? ((NamedContexts.Resolved.Image) named.get()).ref() : fromRef;
        Optional<Dockerfile.Stage> dep = named.isPresent() ? Optional.empty() : df.stage(ref);
        if (dep.isPresent() && dep.get().index() < stage.index() && done.containsKey(dep.get().index())) {
            StageResult r = done.get(dep.get().index());
            return new StageResult(r.config(), r.layers(), r.history(), r.created(), r.chain(), idOf(r, target), r.baseImageConfig(), r.paths());
        }
        if (ref.equalsIgnoreCase("scratch")) {
            return new StageResult(ContainerConfig.empty(), List.of(), JSON.createArrayNode(), Instant.EPOCH,
                    TreeHash.sha256("scratch"), "", JSON.createObjectNode(), new java.util.HashSet<>());
        }
        Platform p = planner.platformOf(stage).map(Platform::parse).orElse(target);
        BaseImage img = images.resolve(ref, p, pull).orElseThrow(() -> new BuildException(
                "pull access denied for " + ref + ": the image is not in the engine's store and could not be pulled"));
        JsonNode cfg = img.imageConfig();
        ArrayNode hist = cfg.has("history") && cfg.get("history").isArray() ? (ArrayNode) cfg.get("history").deepCopy() : JSON.createArrayNode();
        Instant created = Instant.EPOCH;
        try {
            if (cfg.hasNonNull("created")) created = Instant.parse(cfg.get("created").asText());
        } catch (RuntimeException e) {
            created = Instant.EPOCH; // an odd timestamp in a base image is not the user's problem
        }
        return new StageResult(img.config(), img.layers(), hist, created, img.id(), img.id(), cfg, null);
    }

    private String idOf(StageResult r, Platform target) throws IOException {
        return TreeHash.sha256Bytes(ImageLayout.configBytes(imageConfig(r.config(), r.layers(), r.history(), r.created(), target, r)));
    }

    /** The image config JSON: keys in dockerd's (alphabetical) order. */
    private static ObjectNode imageConfig(ContainerConfig cfg, List<LayerRef> layers, ArrayNode history, Instant created,
                                          Platform target, StageResult base) {
        ObjectNode o = JSON.createObjectNode();
        o.put("architecture", target.architecture());
        o.set("config", cfg.toJson(JSON));
        o.put("created", created.toString());
        o.set("history", history);
        o.put("os", target.os());
        ObjectNode rootfs = o.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(l -> ids.add(l.diffId()));
        if (!target.variant().isEmpty()) o.put("variant", target.variant());
        return o;
    }

    /** The step as the cache sees it: keyword, substituted arguments, flags. */
    private static String normalized(Step s) {
        if (s instanceof Step.CopyFiles c)
            return (c.instruction().add() ? "ADD" : "COPY") + " " + c.sources() + " " + c.dest() + " from=" + c.from()
                    + " chown=" + c.chown() + " chmod=" + c.chmod() + " excludes=" + c.excludes() + " inline=" + c.inline().size();
        if (s instanceof Step.RunCommand r) return "RUN " + r.argv() + " stdin=" + r.stdinHeredocs();
        return s.createdBy();
    }

    private static String shortId(String id) {
        if (id.isEmpty()) return "scratch";
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            SafeTar.deleteTree(p);
        } catch (IOException e) {
            // Temporary files only; a leftover is harmless and the temp root is cleaned by the engine.
        }
    }
}
