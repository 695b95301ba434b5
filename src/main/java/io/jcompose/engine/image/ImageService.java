package io.jcompose.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The engine's image operations, returning Docker-shaped data for the API layer. State lives under
 * {@code <root>}: {@code blobs/} (content store), {@code layers/} (unpacked diffs), {@code images/} (records).
 *
 * <p>Names resolve as in Docker: a reference ({@code busybox}, {@code busybox:1}, {@code repo@sha256:…}) first,
 * then a full or unique short image ID. Layer dirs are never deleted while {@code layerInUse} says a snapshot
 * uses them.
 */
public final class ImageService implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROGRESS_STEP = 512 * 1024;

    private final ContentStore blobs;
    private final LayerStore layers;
    private final ImageStore images;
    private final RegistryClient registry;
    private final Predicate<Path> layerInUse;
    private final ExecutorService downloads;
    private final Path tmp;
    private final Object lock = new Object();

    public ImageService(Path root, RegistryClient registry, Predicate<Path> layerInUse) throws IOException {
        this.blobs = new ContentStore(root);
        this.layers = new LayerStore(root);
        this.images = new ImageStore(root);
        this.registry = registry;
        this.layerInUse = layerInUse;
        this.tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        try (var s = Files.newDirectoryStream(tmp)) {
            for (Path p : s) Trees.deleteUnder(tmp, p);
        }
        this.downloads = Executors.newFixedThreadPool(registry.config().maxConcurrentDownloads(), r -> {
            Thread t = new Thread(r, "image-download");
            t.setDaemon(true);
            return t;
        });
    }

    public ContentStore contentStore() {
        return blobs;
    }

    public LayerStore layerStore() {
        return layers;
    }

    // ---------------------------------------------------------------- pull

    /**
     * Pulls {@code reference} for {@code platform} (host platform when empty), reporting Docker's progress
     * messages (one at a time, possibly from download threads), and returns the image. Layers already unpacked are reported "Already exists" and not fetched.
     */
    public ImageInspect pull(String reference, RegistryAuth auth, Optional<Platform> platform, Consumer<ProgressMessage> callerProgress) throws IOException {
        Consumer<ProgressMessage> progress = serialised(callerProgress);
        ImageReference ref = userReference(reference);
        Platform p = platform.orElseGet(Platform::host);
        progress.accept(ProgressMessage.status("Pulling from " + ref.path(), ref.tag().orElse(ref.digest().map(Digest::toString).orElse(""))));
        RegistryClient.Resolved resolved = registry.resolve(ref, auth, p);
        RegistryClient.Manifest m = resolved.manifest();
        JsonNode mj = m.json();
        Digest configDigest = Digest.parse(mj.path("config").path("digest").asText());
        registry.fetchBlob(ref, configDigest, auth, blobs, n -> {});
        JsonNode config = JSON.readTree(blobs.readVerified(configDigest));
        List<Digest> diffIds = diffIds(config, configDigest);
        JsonNode layerDescs = mj.path("layers");
        if (layerDescs.size() != diffIds.size()) {
            throw new ImageException(ImageException.Kind.INVALID, ref + ": manifest has " + layerDescs.size() + " layers but the config lists " + diffIds.size() + " diff_ids");
        }
        boolean upToDate = images.get(configDigest.toString()).isPresent() && diffIds.stream().allMatch(layers::has)
                && images.get(configDigest.toString()).get().manifest().equals(m.digest().toString());
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            Digest diffId = diffIds.get(i);
            JsonNode d = layerDescs.get(i);
            Digest blob = Digest.parse(d.path("digest").asText());
            long size = d.path("size").asLong();
            String mt = d.path("mediaType").asText();
            String id = blob.shortId();
            // The compressed blob is kept too (push and save read it); the same diff_id may arrive compressed
            // differently, and then only the blob is fetched (unpack is a no-op for a known diff_id).
            if (layers.has(diffId) && blobs.has(blob)) {
                progress.accept(ProgressMessage.phase("Already exists", id));
                continue;
            }
            if (mt.equals(MediaTypes.DOCKER_FOREIGN_LAYER) || mt.contains("nondistributable")) {
                throw new ImageException(ImageException.Kind.INVALID, ref + ": foreign (non-distributable) layers are not supported");
            }
            progress.accept(ProgressMessage.phase("Pulling fs layer", id));
            if (work.size() >= registry.config().maxConcurrentDownloads()) progress.accept(ProgressMessage.phase("Waiting", id));
            work.add(downloads.submit(() -> {
                long[] last = {-PROGRESS_STEP};
                registry.fetchBlob(ref, blob, auth, blobs, n -> {
                    if (n - last[0] >= PROGRESS_STEP || n == size) {
                        last[0] = n;
                        progress.accept(ProgressMessage.progress("Downloading", id, n, size));
                    }
                });
                progress.accept(ProgressMessage.phase("Verifying Checksum", id));
                progress.accept(ProgressMessage.phase("Download complete", id));
                layers.unpack(diffId, () -> new ProgressInputStream(blobs.open(blob),
                        n -> progress.accept(ProgressMessage.progress("Extracting", id, n, size))));
                progress.accept(ProgressMessage.phase("Pull complete", id));
                return null;
            }));
        }
        awaitAll(work);
        blobs.write(m.bytes());
        String repoDigest = ref.repository() + "@" + resolved.repoDigest();
        synchronized (lock) {
            ImageRecord old = images.get(configDigest.toString()).orElse(null);
            List<String> tags = new ArrayList<>(old == null ? List.of() : old.repoTags());
            List<String> digests = new ArrayList<>(old == null ? List.of() : old.repoDigests());
            if (ref.tag().isPresent() && ref.digest().isEmpty()) {
                String full = ref.toString();
                untagElsewhere(full, configDigest.toString());
                if (!tags.contains(full)) tags.add(full);
            }
            digests.removeIf(x -> x.startsWith(ref.repository() + "@"));
            digests.add(repoDigest);
            images.put(new ImageRecord(configDigest.toString(), m.digest().toString(), m.mediaType(), tags, digests,
                    old == null ? now() : old.lastTagTime()));
        }
        progress.accept(ProgressMessage.status("Digest: " + resolved.repoDigest()));
        String name = ref.digest().isPresent() ? ref.familiarRepository() + "@" + ref.digest().get() : ref.familiarTagged();
        progress.accept(ProgressMessage.status(upToDate ? "Status: Image is up to date for " + name : "Status: Downloaded newer image for " + name));
        return inspect(configDigest.toString());
    }

    // ---------------------------------------------------------------- read

    /** {@code GET /images/json}: tagged images, plus dangling (untagged) ones when {@code all}; then the filters. */
    public List<ImageSummary> list(boolean all, ImageFilters filters) throws IOException {
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecord r : images.all()) {
            List<String> tags = familiarTags(r);
            boolean dangling = tags.isEmpty();
            if (dangling && !all && filters.dangling().isEmpty()) continue;
            ImageSummary sum = summary(r);
            if (!filters.matches(tags, sum.labels())) continue;
            out.add(sum);
        }
        // Newest first, as dockerd lists them.
        out.sort((a, b) -> a.created() != b.created() ? Long.compare(b.created(), a.created()) : a.id().compareTo(b.id()));
        return out;
    }

    public List<ImageSummary> list(boolean all) throws IOException {
        return list(all, ImageFilters.NONE);
    }

    /** Images without tags ({@code dangling=true}). */
    public List<ImageSummary> listDangling() throws IOException {
        return list(true, new ImageFilters(Optional.of(true), List.of(), List.of()));
    }

    /** {@code GET /images/{name}/json}; NOT_FOUND with Docker's wording when absent. */
    public ImageInspect inspect(String name) throws IOException {
        ImageRecord r = find(name);
        JsonNode c = JSON.readTree(blobs.readVerified(r.idDigest()));
        List<String> diffIds = new ArrayList<>();
        for (JsonNode d : c.path("rootfs").path("diff_ids")) diffIds.add(d.asText());
        long size = size(r);
        Map<String, String> gd = new TreeMap<>();
        List<String> dirs = new ArrayList<>();
        for (Digest d : diffIds(c, r.idDigest())) dirs.add(0, layers.diffDir(d).toString());
        if (!dirs.isEmpty()) {
            gd.put("MergedDir", "");
            gd.put("LowerDir", String.join(":", dirs));
        }
        return new ImageInspect(r.id(), familiarTags(r), familiarDigests(r), "", c.path("comment").asText(""),
                rfc3339Nano(c.path("created").asText("1970-01-01T00:00:00Z")), c.path("container").asText(""),
                containerConfig(c.path("container_config")), c.path("docker_version").asText(""), c.path("author").asText(""),
                containerConfig(c.path("config")), c.path("architecture").asText(""), c.path("variant").asText(""),
                c.path("os").asText(""), size, size, new ImageInspect.GraphDriver(gd, "overlay2"),
                new ImageInspect.RootFS("layers", diffIds), new ImageInspect.Metadata(r.lastTagTime().isEmpty() ? "0001-01-01T00:00:00Z" : r.lastTagTime()));
    }

    /** The unpacked layer dirs of an image, bottom first: what a snapshot is prepared from. */
    public List<Path> layerDirs(String name) throws IOException {
        ImageRecord r = find(name);
        List<Path> out = new ArrayList<>();
        for (Digest d : diffIds(JSON.readTree(blobs.readVerified(r.idDigest())), r.idDigest())) {
            if (!layers.has(d)) throw new ImageException(ImageException.Kind.NOT_FOUND, "layer " + d + " of image " + r.idDigest().shortId() + " is not unpacked; pull the image again");
            out.add(layers.diffDir(d));
        }
        return out;
    }

    // ---------------------------------------------------------------- tag / remove / prune

    /** {@code POST /images/{name}/tag}: the target reference moves to this image. */
    public void tag(String source, String target) throws IOException {
        ImageReference t = userReference(target);
        if (t.digest().isPresent()) throw new ImageException(ImageException.Kind.INVALID, "refusing to create a tag with a digest reference: " + target);
        synchronized (lock) {
            ImageRecord r = find(source);
            untagElsewhere(t.toString(), r.id());
            List<String> tags = new ArrayList<>(r.repoTags());
            if (!tags.contains(t.toString())) tags.add(t.toString());
            images.put(r.withTags(tags).withLastTagTime(now()));
        }
    }

    /**
     * {@code DELETE /images/{name}}. A tag reference of an image with other references only untags. Otherwise the
     * image is deleted — unless {@code usedByContainer} says a container uses it (CONFLICT; with {@code force} the
     * last tag is removed but the image kept — never deleted under a container, stopped or running), or it has
     * several tags and was named by ID without {@code force} (CONFLICT, as Docker). Returns Docker's
     * {@code [{"Untagged":…},{"Deleted":…}]}.
     */
    public List<Map<String, String>> remove(String name, boolean force, Predicate<String> usedByContainer) throws IOException {
        synchronized (lock) {
            ImageRecord r = find(name);
            List<Map<String, String>> out = new ArrayList<>();
            Optional<ImageReference> asRef = asReference(name, r);
            int refs = r.repoTags().size();
            if (asRef.isPresent()) {
                String full = asRef.get().toString();
                boolean byDigest = asRef.get().digest().isPresent() && !r.repoTags().contains(full);
                // Digest references count only while a tag keeps the image: removing the last tag deletes it.
                int others = byDigest ? refs + r.repoDigests().size() - 1 : refs - 1;
                if (others > 0 || (usedByContainer.test(r.id()) && force)) {
                    if (byDigest) images.put(r.withDigests(r.repoDigests().stream().filter(x -> !x.equals(full)).toList()));
                    else images.put(r.withTags(r.repoTags().stream().filter(x -> !x.equals(full)).toList()));
                    out.add(Map.of("Untagged", familiar(full)));
                    return out;
                }
            }
            if (usedByContainer.test(r.id()) && asRef.isPresent()) {
                throw new ImageException(ImageException.Kind.CONFLICT, "conflict: unable to remove repository reference \"" + name
                        + "\" (must force) - a container is using its referenced image " + r.idDigest().shortId());
            }
            if (usedByContainer.test(r.id())) {
                throw new ImageException(ImageException.Kind.CONFLICT, "conflict: unable to delete " + r.idDigest().shortId()
                        + " (cannot be forced) - image is being used by a container; remove the container first");
            }
            if (asRef.isEmpty() && refs > 1 && !force) {
                throw new ImageException(ImageException.Kind.CONFLICT, "conflict: unable to delete " + r.idDigest().shortId()
                        + " (must be forced) - image is referenced in multiple repositories");
            }
            for (String t : r.repoTags()) out.add(Map.of("Untagged", familiar(t)));
            for (String d : r.repoDigests()) out.add(Map.of("Untagged", familiar(d)));
            out.addAll(delete(r));
            return out;
        }
    }

    /** {@code POST /images/prune}: deletes dangling images (or, with {@code all}, every image no container uses). */
    public PruneReport prune(boolean all, Predicate<String> usedByContainer) throws IOException {
        synchronized (lock) {
            List<Map<String, String>> deleted = new ArrayList<>();
            long reclaimed = 0;
            for (ImageRecord r : images.all()) {
                if (usedByContainer.test(r.id())) continue;
                if (!r.repoTags().isEmpty() && !all) continue;
                long before = size(r);
                for (String t : r.repoTags()) deleted.add(Map.of("Untagged", familiar(t)));
                for (String d : r.repoDigests()) deleted.add(Map.of("Untagged", familiar(d)));
                deleted.addAll(delete(r));
                reclaimed += before;
            }
            return new PruneReport(deleted, reclaimed);
        }
    }

    /** {@code ImagesDeleted} and {@code SpaceReclaimed} of Docker's prune response. */
    public record PruneReport(@com.fasterxml.jackson.annotation.JsonProperty("ImagesDeleted") List<Map<String, String>> imagesDeleted,
                              @com.fasterxml.jackson.annotation.JsonProperty("SpaceReclaimed") long spaceReclaimed) {
        public PruneReport {
            imagesDeleted = List.copyOf(imagesDeleted);
        }
    }

    /** The image part of {@code GET /system/df}: LayersSize (unpacked, shared counted once) and Images. */
    public record DiskUsage(@com.fasterxml.jackson.annotation.JsonProperty("LayersSize") long layersSize,
                            @com.fasterxml.jackson.annotation.JsonProperty("Images") List<ImageSummary> images) {
        public DiskUsage {
            images = List.copyOf(images);
        }
    }

    public DiskUsage df() throws IOException {
        long total = 0;
        for (Digest d : layers.list()) total += layers.diskSize(d);
        return new DiskUsage(total, list(true));
    }

    // ---------------------------------------------------------------- push

    /** {@code POST /images/{name}/push}: blobs the registry lacks, then the manifest under the reference's tag. */
    public Digest push(String reference, RegistryAuth auth, Consumer<ProgressMessage> callerProgress) throws IOException {
        Consumer<ProgressMessage> progress = serialised(callerProgress);
        ImageReference ref = userReference(reference);
        ImageRecord r = find(reference);
        byte[] manifest = blobs.readVerified(r.manifestDigest());
        JsonNode mj = JSON.readTree(manifest);
        progress.accept(ProgressMessage.status("The push refers to repository [" + ref.repository() + "]"));
        List<JsonNode> descs = new ArrayList<>();
        mj.path("layers").forEach(descs::add);
        java.util.Collections.reverse(descs); // Docker lists the top layer first
        for (JsonNode d : descs) {
            Digest blob = Digest.parse(d.path("digest").asText());
            progress.accept(ProgressMessage.phase("Preparing", blob.shortId()));
        }
        // A repository on the same registry that already has these blobs (the image came from or went there):
        // the registry can mount them instead of receiving them again.
        Optional<String> mountFrom = r.repoDigests().stream().map(x -> ImageReference.parse(x))
                .filter(x -> x.domain().equals(ref.domain()) && !x.path().equals(ref.path())).map(ImageReference::path).findFirst();
        List<Future<?>> work = new ArrayList<>();
        for (JsonNode d : descs) {
            Digest blob = Digest.parse(d.path("digest").asText());
            work.add(downloads.submit(() -> {
                if (registry.blobExists(ref, blob, auth)) {
                    progress.accept(ProgressMessage.phase("Layer already exists", blob.shortId()));
                    return null;
                }
                progress.accept(ProgressMessage.progress("Pushing", blob.shortId(), 0, blobs.size(blob)));
                if (registry.pushBlob(ref, blob, blobs.path(blob), mountFrom, auth)) {
                    progress.accept(ProgressMessage.phase("Mounted from " + mountFrom.orElseThrow(), blob.shortId()));
                } else {
                    progress.accept(ProgressMessage.phase("Pushed", blob.shortId()));
                }
                return null;
            }));
        }
        awaitAll(work);
        Digest config = Digest.parse(mj.path("config").path("digest").asText());
        if (!registry.blobExists(ref, config, auth)) registry.pushBlob(ref, config, blobs.path(config), Optional.empty(), auth);
        String tag = ref.tag().orElse("latest");
        Digest d = registry.putManifest(ref, tag, r.manifestMediaType(), manifest, auth);
        synchronized (lock) {
            ImageRecord cur = images.get(r.id()).orElse(r);
            List<String> digests = new ArrayList<>(cur.repoDigests());
            digests.removeIf(x -> x.startsWith(ref.repository() + "@"));
            digests.add(ref.repository() + "@" + d);
            images.put(cur.withDigests(digests));
        }
        progress.accept(ProgressMessage.status(tag + ": digest: " + d + " size: " + manifest.length));
        Map<String, Object> aux = new LinkedHashMap<>();
        aux.put("Tag", tag);
        aux.put("Digest", d.toString());
        aux.put("Size", manifest.length);
        progress.accept(ProgressMessage.aux(aux));
        return d;
    }

    // ---------------------------------------------------------------- import / load / save

    /**
     * {@code POST /images/create?fromSrc=-}: a root filesystem tar (plain or compressed) becomes a one-layer image,
     * tagged {@code reference} if given. Returns the image ID.
     */
    public String importRootfs(InputStream tar, Optional<String> reference, Platform platform) throws IOException {
        return importRootfs(tar, reference, platform, List.of());
    }

    /** As above, with {@code docker import --change} instructions (CMD, ENV, WORKDIR, …) applied to the config. */
    public String importRootfs(InputStream tar, Optional<String> reference, Platform platform, List<String> changes) throws IOException {
        ObjectNode containerConfig = JsonNodeFactory.instance.objectNode();
        ImportChanges.apply(containerConfig, changes); // before any work: a bad change costs nothing
        Digest blob = blobs.write(tar, Optional.empty(), n -> {});
        Digest diffId = layers.unpackUnknown(() -> blobs.open(blob));
        ObjectNode cfg = JsonNodeFactory.instance.objectNode();
        cfg.put("architecture", platform.architecture());
        platform.variant().ifPresent(v -> cfg.put("variant", v));
        cfg.put("os", platform.os());
        cfg.put("created", now());
        cfg.set("config", containerConfig);
        ObjectNode rootfs = cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId.toString());
        cfg.putArray("history").addObject().put("created", now()).put("comment", "Imported from -");
        ImageRecord r = store(cfg, List.of(new LayerBlob(blob, layerMediaType(blob))), reference.stream().toList());
        return r.id();
    }

    /**
     * {@code POST /images/load}: a docker-archive tar ({@code manifest.json} + config + layer tars, as
     * {@code docker save} writes) or an OCI image-layout tar. Returns Docker's "Loaded image: …" lines.
     */
    public List<String> load(InputStream archive, Consumer<ProgressMessage> progress) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "load-");
        try {
            extractPlain(archive, dir);
            List<String> out = new ArrayList<>();
            if (Files.isRegularFile(dir.resolve("manifest.json"))) {
                for (JsonNode e : JSON.readTree(dir.resolve("manifest.json").toFile())) {
                    Path configFile = inside(dir, e.path("Config").asText());
                    JsonNode cfg = JSON.readTree(configFile.toFile());
                    List<Digest> diffIds = diffIds(cfg, Digest.of(Files.readAllBytes(configFile)));
                    List<LayerBlob> lbs = new ArrayList<>();
                    int i = 0;
                    for (JsonNode l : e.path("Layers")) {
                        Path lf = inside(dir, l.asText());
                        Digest blob;
                        try (InputStream in = Files.newInputStream(lf)) {
                            blob = blobs.write(in, Optional.empty(), n -> {});
                        }
                        Digest diffId = layers.unpackUnknown(() -> blobs.open(blob));
                        if (i >= diffIds.size() || !diffIds.get(i).equals(diffId)) {
                            throw new ImageException(ImageException.Kind.INVALID, "load: layer " + l.asText() + " has diff_id " + diffId + " but the config expects " + (i < diffIds.size() ? diffIds.get(i) : "no more layers"));
                        }
                        progress.accept(ProgressMessage.progress("Loading layer", diffId.shortId(), Files.size(lf), Files.size(lf)));
                        lbs.add(new LayerBlob(blob, layerMediaType(blob)));
                        i++;
                    }
                    List<String> tags = new ArrayList<>();
                    e.path("RepoTags").forEach(t -> tags.add(t.asText()));
                    ImageRecord r = store((ObjectNode) cfg, lbs, tags);
                    if (tags.isEmpty()) out.add("Loaded image ID: " + r.id());
                    for (String t : tags) out.add("Loaded image: " + t);
                }
            } else if (Files.isRegularFile(dir.resolve("index.json")) && Files.isRegularFile(dir.resolve("oci-layout"))) {
                JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
                for (JsonNode m : index.path("manifests")) out.addAll(loadOci(dir, m));
            } else {
                throw new ImageException(ImageException.Kind.INVALID, "load: the archive has neither manifest.json (docker save) nor index.json + oci-layout (OCI layout)");
            }
            for (String line : out) progress.accept(ProgressMessage.stream(line + "\n"));
            return out;
        } finally {
            Trees.deleteUnder(tmp, dir);
        }
    }

    private List<String> loadOci(Path dir, JsonNode desc) throws IOException {
        Digest md = Digest.parse(desc.path("digest").asText());
        byte[] bytes = Files.readAllBytes(ociBlob(dir, md));
        if (!Digest.of(bytes).equals(md)) throw new DigestMismatchException("OCI layout manifest", md, Digest.of(bytes));
        JsonNode mj = JSON.readTree(bytes);
        String mt = mj.path("mediaType").asText(desc.path("mediaType").asText());
        String name = desc.path("annotations").path("io.containerd.image.name").asText(
                desc.path("annotations").path("org.opencontainers.image.ref.name").asText(""));
        if (MediaTypes.isIndex(mt)) {
            RegistryClient.Manifest idx = new RegistryClient.Manifest(md, mt, bytes);
            Digest chosen = RegistryClient.selectPlatform(idx, Platform.host())
                    .orElseThrow(() -> new ImageException(ImageException.Kind.NOT_FOUND, "load: no manifest for " + Platform.host() + " in the OCI index"));
            for (JsonNode m : mj.path("manifests")) {
                if (m.path("digest").asText().equals(chosen.toString())) {
                    ObjectNode copy = m.deepCopy();
                    if (!name.isEmpty()) copy.putObject("annotations").put("io.containerd.image.name", name);
                    return loadOci(dir, copy);
                }
            }
        }
        Digest cd = Digest.parse(mj.path("config").path("digest").asText());
        try (InputStream in = Files.newInputStream(ociBlob(dir, cd))) {
            blobs.write(in, Optional.of(cd), n -> {});
        }
        JsonNode cfg = JSON.readTree(blobs.readVerified(cd));
        List<Digest> diffIds = diffIds(cfg, cd);
        int i = 0;
        for (JsonNode l : mj.path("layers")) {
            Digest b = Digest.parse(l.path("digest").asText());
            try (InputStream in = Files.newInputStream(ociBlob(dir, b))) {
                blobs.write(in, Optional.of(b), n -> {});
            }
            layers.unpack(diffIds.get(i++), () -> blobs.open(b));
        }
        blobs.write(bytes);
        List<String> tags = new ArrayList<>();
        // A full reference names the image; a bare tag ("v1") names no repository, as Docker treats it.
        if (name.contains(":") || name.contains("/")) parseQuietly(name).ifPresent(x -> tags.add(x.toString()));
        synchronized (lock) {
            for (String t : tags) untagElsewhere(t, cd.toString());
            ImageRecord old = images.get(cd.toString()).orElse(null);
            List<String> all = new ArrayList<>(tags);
            if (old != null) all.addAll(old.repoTags());
            images.put(new ImageRecord(cd.toString(), md.toString(), mt, all, old == null ? List.of() : old.repoDigests(), now()));
        }
        if (tags.isEmpty()) return List.of("Loaded image ID: " + cd);
        return tags.stream().map(t -> "Loaded image: " + familiar(t)).toList();
    }

    /** The stored manifest digest of an image (for the builder, which reads its layers' blobs); NOT_FOUND if absent. */
    public String manifestDigest(String name) {
        return find(name).manifest();
    }

    /**
     * Stores an image the builder wrote into an OCI layout directory: {@code manifestDigest} and its config are
     * read from {@code layoutDir}'s blobs, each layer from {@code layoutDir} or, for layers of base images, from
     * this store. Tags (full or familiar references with a tag) move to the image. Returns the image ID.
     */
    public String loadBuilt(Path layoutDir, String manifestDigest, List<String> tags) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "built-");
        try {
            Path b = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            Digest md = Digest.parse(manifestDigest);
            JsonNode mj = JSON.readTree(layoutDir.resolve("blobs/sha256").resolve(md.hex()).toFile());
            List<Digest> needed = new ArrayList<>(List.of(md, Digest.parse(mj.path("config").path("digest").asText())));
            for (JsonNode l : mj.path("layers")) needed.add(Digest.parse(l.path("digest").asText()));
            for (Digest d : needed) {
                Path src = layoutDir.resolve("blobs/sha256").resolve(d.hex());
                if (!Files.exists(src)) src = blobs.path(d);
                // Links, not copies: loadOci reads (and verifies) each blob once into the content store.
                if (!Files.exists(b.resolve(d.hex()))) Files.createSymbolicLink(b.resolve(d.hex()), src.toAbsolutePath());
            }
            ObjectNode desc = JsonNodeFactory.instance.objectNode();
            desc.put("digest", md.toString());
            desc.put("mediaType", mj.path("mediaType").asText(MediaTypes.OCI_MANIFEST));
            if (tags.isEmpty()) loadOci(dir, desc);
            for (String t : tags) {
                desc.putObject("annotations").put("io.containerd.image.name", t);
                loadOci(dir, desc);
            }
            return Digest.parse(mj.path("config").path("digest").asText()).toString();
        } finally {
            Trees.deleteUnder(tmp, dir);
        }
    }

    private static Path ociBlob(Path dir, Digest d) {
        return dir.resolve("blobs").resolve("sha256").resolve(d.hex());
    }

    /**
     * {@code GET /images/get}: a docker-archive tar that {@code docker load} accepts: {@code manifest.json},
     * {@code <config hex>.json}, {@code <diff_id hex>/layer.tar} (uncompressed, so its sha256 is the diff_id) and
     * the legacy {@code repositories} file.
     */
    public void save(List<String> names, OutputStream out) throws IOException {
        ArrayNode manifest = JsonNodeFactory.instance.arrayNode();
        ObjectNode repositories = JsonNodeFactory.instance.objectNode();
        Set<String> written = new LinkedHashSet<>();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (String name : names) {
            ImageRecord r = find(name);
            byte[] config = blobs.readVerified(r.idDigest());
            JsonNode mj = JSON.readTree(blobs.readVerified(r.manifestDigest()));
            List<Digest> diffIds = diffIds(JSON.readTree(config), r.idDigest());
            String configName = r.idDigest().hex() + ".json";
            if (written.add(configName)) addEntry(tar, configName, config);
            ObjectNode entry = manifest.addObject();
            entry.put("Config", configName);
            ArrayNode tags = entry.putArray("RepoTags");
            Optional<ImageReference> asRef = asReference(name, r);
            List<String> wanted = asRef.isPresent() && asRef.get().tag().isPresent() ? List.of(asRef.get().toString()) : r.repoTags();
            for (String t : wanted) {
                ImageReference tr = ImageReference.parse(t);
                tags.add(tr.familiarTagged());
                ObjectNode repo = repositories.has(tr.familiarRepository()) ? (ObjectNode) repositories.get(tr.familiarRepository()) : repositories.putObject(tr.familiarRepository());
                repo.put(tr.tag().orElse("latest"), diffIds.isEmpty() ? r.idDigest().hex() : diffIds.get(diffIds.size() - 1).hex());
            }
            ArrayNode ls = entry.putArray("Layers");
            for (int i = 0; i < diffIds.size(); i++) {
                Digest diffId = diffIds.get(i);
                String ln = diffId.hex() + "/layer.tar";
                ls.add(ln);
                if (!written.add(ln)) continue;
                Digest blob = Digest.parse(mj.path("layers").get(i).path("digest").asText());
                long size = layers.size(diffId);
                TarArchiveEntry te = new TarArchiveEntry(ln);
                te.setSize(size);
                te.setModTime(0);
                tar.putArchiveEntry(te);
                try (InputStream in = LayerUnpacker.decompress(blobs.open(blob))) {
                    long n = in.transferTo(tar);
                    if (n != size) throw new IOException("layer " + diffId + " decompressed to " + n + " bytes, expected " + size);
                }
                tar.closeArchiveEntry();
            }
        }
        addEntry(tar, "manifest.json", JSON.writeValueAsBytes(manifest));
        if (!repositories.isEmpty()) addEntry(tar, "repositories", JSON.writeValueAsBytes(repositories));
        tar.finish();
        out.flush();
    }

    @Override
    public void close() {
        downloads.shutdownNow();
    }

    // ---------------------------------------------------------------- internals

    private record LayerBlob(Digest digest, String mediaType) {}

    /** Stores an image whose config and layer blobs are local: synthesises an OCI manifest for it. */
    private ImageRecord store(ObjectNode cfg, List<LayerBlob> lbs, List<String> tags) throws IOException {
        byte[] config = JSON.writeValueAsBytes(cfg);
        Digest cd = blobs.write(config);
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.putObject("config").put("mediaType", MediaTypes.OCI_CONFIG).put("digest", cd.toString()).put("size", config.length);
        ArrayNode la = m.putArray("layers");
        for (LayerBlob lb : lbs) la.addObject().put("mediaType", lb.mediaType()).put("digest", lb.digest().toString()).put("size", blobs.size(lb.digest()));
        byte[] mb = JSON.writeValueAsBytes(m);
        Digest md = blobs.write(mb);
        synchronized (lock) {
            List<String> full = new ArrayList<>();
            for (String t : tags) full.add(userReference(t).toString());
            for (String t : full) untagElsewhere(t, cd.toString());
            ImageRecord old = images.get(cd.toString()).orElse(null);
            if (old != null) full.addAll(old.repoTags());
            ImageRecord r = new ImageRecord(cd.toString(), md.toString(), MediaTypes.OCI_MANIFEST, full,
                    old == null ? List.of() : old.repoDigests(), now());
            images.put(r);
            return r;
        }
    }

    private String layerMediaType(Digest blob) throws IOException {
        byte[] head;
        try (InputStream in = blobs.open(blob)) {
            head = in.readNBytes(4);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return MediaTypes.OCI_LAYER_GZIP;
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5) return MediaTypes.OCI_LAYER_ZSTD;
        return MediaTypes.OCI_LAYER;
    }

    /**
     * Deletes blobs and layer dirs no image references (and no snapshot uses): what a crash between download and
     * record, or during a delete, leaves behind. Call it at engine start, before any pull can be in flight.
     * Returns the number of bytes freed.
     */
    public long collectGarbage() throws IOException {
        synchronized (lock) {
            Set<Digest> keepBlobs = new TreeSet<>();
            Set<Digest> keepLayers = new TreeSet<>();
            referenced(keepBlobs, keepLayers);
            long freed = 0;
            for (Digest d : layers.list()) {
                if (!keepLayers.contains(d) && !layerInUse.test(layers.diffDir(d).toAbsolutePath().normalize())) {
                    freed += layers.diskSize(d);
                    layers.remove(d);
                }
            }
            for (Digest d : blobs.list()) {
                if (!keepBlobs.contains(d)) {
                    freed += blobs.size(d);
                    blobs.delete(d);
                }
            }
            return freed;
        }
    }

    private void referenced(Set<Digest> keepBlobs, Set<Digest> keepLayers) {
        for (ImageRecord o : images.all()) {
            keepBlobs.add(o.idDigest());
            keepBlobs.add(o.manifestDigest());
            try {
                JsonNode mj = JSON.readTree(blobs.readVerified(o.manifestDigest()));
                mj.path("layers").forEach(l -> keepBlobs.add(Digest.parse(l.path("digest").asText())));
                keepLayers.addAll(diffIds(JSON.readTree(blobs.readVerified(o.idDigest())), o.idDigest()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read image " + o.id() + " while collecting garbage; nothing more was deleted", e);
            }
        }
    }

    private List<Map<String, String>> delete(ImageRecord r) throws IOException {
        images.delete(r.id());
        Set<Digest> keepBlobs = new TreeSet<>();
        Set<Digest> keepLayers = new TreeSet<>();
        referenced(keepBlobs, keepLayers);
        JsonNode mj = JSON.readTree(blobs.readVerified(r.manifestDigest()));
        JsonNode cfg = JSON.readTree(blobs.readVerified(r.idDigest()));
        for (Digest d : diffIds(cfg, r.idDigest())) {
            if (!keepLayers.contains(d) && layers.has(d) && !layerInUse.test(layers.diffDir(d).toAbsolutePath().normalize())) layers.remove(d);
        }
        for (JsonNode l : mj.path("layers")) {
            Digest d = Digest.parse(l.path("digest").asText());
            if (!keepBlobs.contains(d)) blobs.delete(d);
        }
        if (!keepBlobs.contains(r.manifestDigest())) blobs.delete(r.manifestDigest());
        if (!keepBlobs.contains(r.idDigest())) blobs.delete(r.idDigest());
        return List.of(Map.of("Deleted", r.id()));
    }

    private void untagElsewhere(String fullRef, String exceptId) throws IOException {
        Optional<ImageRecord> other = images.byTag(fullRef);
        if (other.isPresent() && !other.get().id().equals(exceptId)) {
            images.put(other.get().withTags(other.get().repoTags().stream().filter(t -> !t.equals(fullRef)).toList()));
        }
    }

    /** Resolves a name as Docker does: reference first, then full or unique short ID. */
    ImageRecord find(String name) {
        Optional<ImageReference> ref = parseQuietly(name);
        if (ref.isPresent()) {
            ImageReference r = ref.get();
            Optional<ImageRecord> hit = r.digest().isPresent()
                    ? images.byDigest(r.repository() + "@" + r.digest().get())
                    : images.byTag(r.toString());
            if (hit.isPresent()) return hit.get();
            if (r.digest().isPresent()) {
                Optional<ImageRecord> byId = images.get(r.digest().get().toString());
                if (byId.isPresent()) return byId.get();
            }
        }
        if (name.matches("(sha256:)?[a-f0-9]{1,64}")) {
            List<ImageRecord> hits = images.byIdPrefix(name);
            if (hits.size() == 1) return hits.get(0);
            if (hits.size() > 1) throw new ImageException(ImageException.Kind.INVALID, "image ID prefix " + name + " is ambiguous; give more digits");
        }
        throw new ImageException(ImageException.Kind.NOT_FOUND, "No such image: " + name);
    }

    /** The reference {@code name} means for this image, if it was given as a reference rather than an ID. */
    private Optional<ImageReference> asReference(String name, ImageRecord r) {
        Optional<ImageReference> ref = parseQuietly(name);
        if (ref.isEmpty()) return Optional.empty();
        String full = ref.get().toString();
        return r.repoTags().contains(full) || r.repoDigests().contains(full) ? ref : Optional.empty();
    }

    /** A reference from the client: a bad one is the client's mistake (INVALID → HTTP 400), not ours. */
    private static ImageReference userReference(String name) {
        try {
            return ImageReference.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ImageException(ImageException.Kind.INVALID, e.getMessage());
        }
    }

    private static Optional<ImageReference> parseQuietly(String name) {
        try {
            return Optional.of(ImageReference.parse(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String familiar(String full) {
        ImageReference r = ImageReference.parse(full);
        return r.familiarRepository() + r.tag().map(t -> ":" + t).orElse("") + r.digest().map(d -> "@" + d).orElse("");
    }

    private static List<String> familiarTags(ImageRecord r) {
        return r.repoTags().stream().map(ImageService::familiar).toList();
    }

    private static List<String> familiarDigests(ImageRecord r) {
        return r.repoDigests().stream().map(ImageService::familiar).toList();
    }

    private ImageSummary summary(ImageRecord r) throws IOException {
        JsonNode c = JSON.readTree(blobs.readVerified(r.idDigest()));
        long created = 0;
        String cs = c.path("created").asText("");
        if (!cs.isEmpty()) {
            try {
                created = OffsetDateTime.parse(cs).toEpochSecond();
            } catch (java.time.format.DateTimeParseException ignored) {
                // Docker shows 0 for unparseable dates too
            }
        }
        Map<String, String> labels = null;
        JsonNode l = c.path("config").path("Labels");
        if (l.isObject()) {
            labels = new TreeMap<>();
            for (var it = l.fields(); it.hasNext(); ) {
                var e = it.next();
                labels.put(e.getKey(), e.getValue().asText());
            }
        }
        List<String> tags = familiarTags(r);
        List<String> digests = familiarDigests(r);
        long size = size(r);
        return new ImageSummary(-1, created, r.id(), labels, "",
                digests.isEmpty() && tags.isEmpty() ? List.of("<none>@<none>") : digests,
                tags.isEmpty() ? List.of("<none>:<none>") : tags, -1, size, size);
    }

    private long size(ImageRecord r) throws IOException {
        long total = 0;
        for (Digest d : diffIds(JSON.readTree(blobs.readVerified(r.idDigest())), r.idDigest())) {
            if (layers.has(d)) total += layers.diskSize(d);
        }
        return total;
    }

    private static List<Digest> diffIds(JsonNode config, Digest configDigest) {
        JsonNode ids = config.path("rootfs").path("diff_ids");
        if (!ids.isArray()) throw new ImageException(ImageException.Kind.INVALID, "image config " + configDigest + " has no rootfs.diff_ids");
        List<Digest> out = new ArrayList<>();
        for (JsonNode d : ids) out.add(Digest.parse(d.asText()));
        return out;
    }

    /** Docker's container-config shape, with its nulls; unknown keys of the image config pass through. */
    private static Map<String, Object> containerConfig(JsonNode c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", c.path("Hostname").asText(""));
        m.put("Domainname", c.path("Domainname").asText(""));
        m.put("User", c.path("User").asText(""));
        m.put("AttachStdin", false);
        m.put("AttachStdout", false);
        m.put("AttachStderr", false);
        putIfPresent(m, "ExposedPorts", c);
        m.put("Tty", false);
        m.put("OpenStdin", false);
        m.put("StdinOnce", false);
        m.put("Env", value(c.get("Env")));
        m.put("Cmd", value(c.get("Cmd")));
        putIfPresent(m, "Healthcheck", c);
        putIfPresent(m, "ArgsEscaped", c);
        m.put("Image", c.path("Image").asText(""));
        m.put("Volumes", value(c.get("Volumes")));
        m.put("WorkingDir", c.path("WorkingDir").asText(""));
        m.put("Entrypoint", value(c.get("Entrypoint")));
        m.put("OnBuild", value(c.get("OnBuild")));
        m.put("Labels", value(c.get("Labels")));
        putIfPresent(m, "StopSignal", c);
        putIfPresent(m, "Shell", c);
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, JsonNode c) {
        if (c.has(key) && !c.get(key).isNull()) m.put(key, value(c.get(key)));
    }

    private static Object value(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : JSON.convertValue(n, Object.class);
    }

    /** Download threads report concurrently; the caller (an HTTP response stream) gets one message at a time. */
    private static Consumer<ProgressMessage> serialised(Consumer<ProgressMessage> c) {
        Object guard = new Object();
        return m -> {
            synchronized (guard) {
                c.accept(m);
            }
        };
    }

    private static void awaitAll(List<Future<?>> work) throws IOException {
        Throwable first = null;
        for (Future<?> f : work) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) first = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                work.forEach(w -> w.cancel(true));
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
        if (first instanceof IOException io) throw io;
        if (first instanceof RuntimeException re) throw re;
        if (first != null) throw new IOException(first.getMessage(), first);
    }

    private static void extractPlain(InputStream archive, Path dir) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(LayerUnpacker.decompress(archive));
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (!e.isFile()) continue; // archives only need their files; links and dirs are implied
            Path p = inside(dir, e.getName());
            Files.createDirectories(p.getParent());
            Files.copy(tar, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void addEntry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry te = new TarArchiveEntry(name);
        te.setSize(content.length);
        te.setModTime(0);
        tar.putArchiveEntry(te);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static Path inside(Path dir, String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) throw new ImageException(ImageException.Kind.INVALID, "archive entry \"" + name + "\" escapes the archive");
        return p;
    }

    /** Go's time.RFC3339Nano, as dockerd re-formats config times: fraction without trailing zeros, "Z" for UTC. */
    static String rfc3339Nano(String t) {
        OffsetDateTime o;
        try {
            o = OffsetDateTime.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            return t;
        }
        StringBuilder b = new StringBuilder(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(o));
        if (o.getNano() != 0) {
            String f = String.format("%09d", o.getNano());
            b.append('.').append(f.replaceAll("0+$", ""));
        }
        b.append(o.getOffset().getTotalSeconds() == 0 ? "Z" : o.getOffset().getId());
        return b.toString();
    }

    private static String now() {
        return rfc3339Nano(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)));
    }
}
