package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole builds without RUN: scratch + COPY/ADD + metadata, into an OCI layout. */
class BuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    Path ctx;
    ImageLayout store;
    Builder builder;

    static final class Collect implements ProgressSink {
        final List<String> lines = new ArrayList<>();
        String id;
        String error;

        @Override public void stream(String text) {
            lines.add(text);
        }

        @Override public void aux(String imageId) {
            id = imageId;
        }

        @Override public void error(String message) {
            error = message;
        }

        String text() {
            return String.join("", lines);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        store = new ImageLayout(tmp.resolve("store"));
        builder = new Builder(store, tmp.resolve("cache"), tmp.resolve("tmp"), store, RunExecutor.unsupported(),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    private void write(String rel, String content) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private Builder.BuildResult build(BuildRequest r, Collect c) throws Exception {
        return builder.build(BuildContext.open(ctx, r.dockerfile()), r, c);
    }

    /** Paths (and link targets) in the image's top layer. */
    private List<String> topLayer(Builder.BuildResult r) throws IOException {
        JsonNode cfg = JSON.readTree(store.blob(r.imageId()).toFile());
        String manifest = r.manifestDigest();
        JsonNode m = JSON.readTree(store.blob(manifest).toFile());
        JsonNode layers = m.path("layers");
        assertThat(layers.size()).isEqualTo(cfg.path("rootfs").path("diff_ids").size());
        String digest = layers.get(layers.size() - 1).path("digest").asText();
        List<String> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(store.blob(digest)));
             TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null)
                out.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":" + e.getLongGroupId()
                        + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
        }
        return out;
    }

    @Test
    void scratchCopyAndMetadataThenIdenticalRebuild() throws Exception {
        write("Dockerfile", "FROM scratch\nCOPY app/ /srv/\nCOPY --chmod=0755 --chown=10:20 run.sh /bin/run\n"
                + "ENV A=1\nWORKDIR /srv\nCMD [\"/bin/run\"]\nEXPOSE 8080\n");
        write("app/index.html", "hi");
        write("app/sub/x.txt", "x");
        write("run.sh", "#!/bin/sh\n");
        write("app/secret.key", "no");
        write(".dockerignore", "app/*.key\n");
        BuildRequest req = BuildRequest.defaults().withTags(List.of("demo:1"));
        Collect first = new Collect();
        Builder.BuildResult r1 = build(req, first);
        assertThat(first.text()).contains("Step 1/7 : FROM scratch\n").contains("Step 7/7 : EXPOSE 8080\n")
                .contains("Successfully built " + r1.imageId().substring(7, 19) + "\n").contains("Successfully tagged demo:1\n");
        assertThat(first.id).isEqualTo(r1.imageId());
        assertThat(r1.cacheHits()).isZero();
        JsonNode cfg = JSON.readTree(store.blob(r1.imageId()).toFile());
        assertThat(cfg.path("config").path("Cmd").toString()).isEqualTo("[\"/bin/run\"]");
        assertThat(cfg.path("config").path("Env").toString()).isEqualTo("[\"PATH=" + StagePlanner.DEFAULT_PATH + "\",\"A=1\"]");
        assertThat(cfg.path("config").path("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(cfg.path("config").path("ExposedPorts").toString()).isEqualTo("{\"8080/tcp\":{}}");
        assertThat(cfg.path("rootfs").path("diff_ids")).hasSize(2);
        assertThat(cfg.path("created").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(topLayer(r1)).containsExactly("bin/ 755 0:0", "bin/run 755 10:20");
        assertThat(store.resolve("demo:1", Platform.host(), false)).isPresent();

        // A later clock must not change anything: everything comes from the cache.
        builder = new Builder(store, tmp.resolve("cache"), tmp.resolve("tmp"), store, RunExecutor.unsupported(), Clock.systemUTC());
        Collect second = new Collect();
        Builder.BuildResult r2 = build(req, second);
        assertThat(r2.imageId()).isEqualTo(r1.imageId());
        assertThat(r2.cacheHits()).isEqualTo(2);
        assertThat(second.text()).contains(" ---> Using cache\n");

        // A changed input file changes the key and the image.
        write("app/sub/x.txt", "changed");
        Builder.BuildResult r3 = build(req, new Collect());
        assertThat(r3.imageId()).isNotEqualTo(r1.imageId());
        assertThat(r3.cacheHits()).isZero(); // the run.sh layer's parent changed, so its key did too
    }

    @Test
    void workdirCreatesAMissingDirectoryAsALayerLikeDockerd() throws Exception {
        write("Dockerfile", "FROM scratch\nCOPY a.txt /app/\nWORKDIR /app\nUSER 1000\nWORKDIR sub/dir\nCMD [\"x\"]\n");
        write("a.txt", "a");
        Builder.BuildResult r = build(BuildRequest.defaults(), new Collect());
        JsonNode cfg = JSON.readTree(store.blob(r.imageId()).toFile());
        assertThat(cfg.path("rootfs").path("diff_ids")).hasSize(2); // WORKDIR /app existed: no layer
        assertThat(topLayer(r)).containsExactly("app/ 755 0:0", "app/sub/ 755 0:0", "app/sub/dir/ 755 0:0");
        assertThat(cfg.path("config").path("WorkingDir").asText()).isEqualTo("/app/sub/dir");
        assertThat(cfg.path("history").get(3).has("empty_layer")).isFalse(); // WORKDIR sub/dir made a layer
        assertThat(cfg.path("history").get(1).path("empty_layer").asBoolean()).isTrue(); // WORKDIR /app did not
    }

    @Test
    void dockerignoreExcludesAndDirectoryContentsAreCopied() throws Exception {
        write("Dockerfile", "FROM scratch\nCOPY . /app/\n");
        write("keep/a.txt", "a");
        write("node_modules/x/y.js", "y");
        write("logs/1.log", "l");
        write("logs/keep.log", "k");
        write(".dockerignore", "node_modules\nlogs/*.log\n!logs/keep.log\nDockerfile\n.dockerignore\n");
        Builder.BuildResult r = build(BuildRequest.defaults(), new Collect());
        assertThat(topLayer(r)).containsExactly("app/ 755 0:0", "app/keep/ 755 0:0", "app/keep/a.txt 644 0:0",
                "app/logs/ 755 0:0", "app/logs/keep.log 644 0:0");
    }

    @Test
    void multiStageCopyFromAndTarget() throws Exception {
        write("Dockerfile", "FROM scratch AS build\nCOPY src/ /out/\nLABEL stage=build\n"
                + "FROM scratch AS unused\nCOPY missing /nope\n"
                + "FROM scratch\nCOPY --from=build /out/m.txt /final/\nCMD [\"x\"]\n");
        write("src/m.txt", "m");
        Collect c = new Collect();
        Builder.BuildResult r = build(BuildRequest.defaults(), c);
        assertThat(c.text()).doesNotContain("missing");
        assertThat(topLayer(r)).containsExactly("final/ 755 0:0", "final/m.txt 644 0:0");
        JsonNode cfg = JSON.readTree(store.blob(r.imageId()).toFile());
        assertThat(cfg.path("config").path("Labels").isNull()).isTrue(); // the build stage's label stays there

        Builder.BuildResult b = build(BuildRequest.defaults().withTarget("build"), new Collect());
        JsonNode bcfg = JSON.readTree(store.blob(b.imageId()).toFile());
        assertThat(bcfg.path("config").path("Labels").toString()).isEqualTo("{\"stage\":\"build\"}");
    }

    @Test
    void addExtractsALocalTarAndWildcardsCollect() throws Exception {
        write("Dockerfile", "FROM scratch\nADD files.tar.gz /opt/\nCOPY *.conf /etc/app/\n");
        write("a.conf", "a");
        write("b.conf", "b");
        try (var out = new TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(Files.newOutputStream(ctx.resolve("files.tar.gz"))))) {
            TarArchiveEntry e = new TarArchiveEntry("tool/bin");
            byte[] data = "bin".getBytes();
            e.setSize(data.length);
            e.setMode(0755);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }
        Builder.BuildResult r = build(BuildRequest.defaults(), new Collect());
        assertThat(topLayer(r)).containsExactly("etc/ 755 0:0", "etc/app/ 755 0:0", "etc/app/a.conf 644 0:0",
                "etc/app/b.conf 644 0:0");
        JsonNode cfg = JSON.readTree(store.blob(r.imageId()).toFile());
        assertThat(cfg.path("rootfs").path("diff_ids")).hasSize(2);
    }

    @Test
    void contextTarIsUnpackedSafely() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry("../escape");
            e.setSize(1);
            out.putArchiveEntry(e);
            out.write('x');
            out.closeArchiveEntry();
        }
        Collect c = new Collect();
        assertThatThrownBy(() -> builder.build(new java.io.ByteArrayInputStream(bytes.toByteArray()), BuildRequest.defaults(), c))
                .hasMessageContaining("refusing entry \"../escape\"");
        assertThat(c.error).contains("refusing entry");
        assertThat(tmp.resolve("tmp/escape")).doesNotExist();
    }

    @Test
    void symlinkInContextCannotEscapeOnCopy() throws Exception {
        write("Dockerfile", "FROM scratch\nCOPY link/passwd /x\n");
        Files.createSymbolicLink(ctx.resolve("link"), Path.of("/etc"));
        Collect c = new Collect();
        assertThatThrownBy(() -> build(BuildRequest.defaults(), c)).hasMessageContaining("file not found in build context");
    }

    @Test
    void errorsAreReportedLikeDocker() throws Exception {
        write("Dockerfile", "FROM scratch\nCOPY nothing /x\n");
        Collect c = new Collect();
        assertThatThrownBy(() -> build(BuildRequest.defaults(), c))
                .hasMessage("COPY failed: file not found in build context or excluded by .dockerignore: stat nothing: file does not exist");
        assertThat(c.error).isEqualTo("COPY failed: file not found in build context or excluded by .dockerignore: stat nothing: file does not exist");

        write("Dockerfile", "FROM scratch\nRUNN x\n");
        Collect p = new Collect();
        assertThatThrownBy(() -> build(BuildRequest.defaults(), p))
                .hasMessage("dockerfile parse error: Dockerfile:2: unknown instruction \"RUNN\" (did you mean RUN?)");

        write("Dockerfile", "FROM scratch\nRUN true\n");
        assertThatThrownBy(() -> build(BuildRequest.defaults(), new Collect())).hasMessageContaining("RUN is not available");

        write("Dockerfile", "FROM nosuchimage\n");
        assertThatThrownBy(() -> build(BuildRequest.defaults(), new Collect())).hasMessageContaining("nosuchimage");
    }

    @Test
    void buildArgsWarningAndLabels() throws Exception {
        write("Dockerfile", "FROM scratch\nARG USED=d\nLABEL used=$USED\n");
        Collect c = new Collect();
        BuildRequest r = BuildRequest.defaults().withBuildArg("USED", "u").withBuildArg("EXTRA", "e");
        r = new BuildRequest(r.dockerfile(), r.tags(), r.buildArgs(), r.target(), new TreeMap<>(java.util.Map.of("req", "l")),
                false, false, "default", r.platform());
        Builder.BuildResult res = build(r, c);
        assertThat(c.text()).contains("[Warning] One or more build-args [EXTRA] were not consumed\n");
        JsonNode cfg = JSON.readTree(store.blob(res.imageId()).toFile());
        assertThat(new TreeSet<>(List.of(cfg.path("config").path("Labels").toString()))).containsExactly("{\"req\":\"l\",\"used\":\"u\"}");
    }

    /** A busybox-like base image in the store, made with the harness's ImageBuilder. */
    private void baseImage(String tag) throws Exception {
        Path rootfs = Files.createDirectories(tmp.resolve("base-rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.writeString(rootfs.resolve("etc/os-release"), "ID=base\n");
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:\n");
        Files.writeString(rootfs.resolve("bin/tool"), "#!/bin/sh\n");
        new io.jcompose.engine.image.ImageBuilder().layer(rootfs).env("PATH", "/bin").cmd(List.of("sh"))
                .label("base", "yes").writeTo(store.root(), tag);
    }

    @Test
    void fromAnImageInTheStoreAndCopyFromAnImage() throws Exception {
        baseImage("base:1");
        write("Dockerfile", "FROM base:1\nCOPY app.conf /etc\nCOPY --from=base:1 /bin/tool /usr/bin/\nENV X=1\n");
        write("app.conf", "c");
        Builder.BuildResult r = build(BuildRequest.defaults(), new Collect());
        JsonNode cfg = JSON.readTree(store.blob(r.imageId()).toFile());
        assertThat(cfg.path("rootfs").path("diff_ids")).hasSize(3);
        assertThat(cfg.path("config").path("Env").toString()).isEqualTo("[\"PATH=/bin\",\"X=1\"]");
        assertThat(cfg.path("config").path("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(cfg.path("config").path("Labels").toString()).isEqualTo("{\"base\":\"yes\"}");
        assertThat(cfg.path("config").path("Image").asText()).startsWith("sha256:");
        assertThat(topLayer(r)).containsExactly("usr/ 755 0:0", "usr/bin/ 755 0:0", "usr/bin/tool 644 0:0");
        // /etc is a directory in the base image, so app.conf went into it.
        JsonNode m = JSON.readTree(store.blob(r.manifestDigest()).toFile());
        String second = m.path("layers").get(1).path("digest").asText();
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(store.blob(second))))) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) names.add(e.getName());
        }
        assertThat(names).containsExactly("etc/", "etc/app.conf");
    }

    @Test
    void onbuildTriggersOfTheBaseRunFirstAndAreNotInherited() throws Exception {
        write("Dockerfile", "FROM scratch\nONBUILD COPY trig.txt /trig/\nONBUILD LABEL from=trigger\n");
        write("trig.txt", "t");
        build(BuildRequest.defaults().withTags(List.of("parent:1")), new Collect());
        write("Dockerfile", "FROM parent:1\nCMD [\"x\"]\n");
        Collect c = new Collect();
        Builder.BuildResult r = build(BuildRequest.defaults(), c);
        assertThat(c.text()).contains("# Executing 2 build triggers\n").contains("Step 2/2 : CMD [\"x\"]\n");
        JsonNode cfg = JSON.readTree(store.blob(r.imageId()).toFile());
        assertThat(cfg.path("config").path("Labels").toString()).isEqualTo("{\"from\":\"trigger\"}");
        assertThat(cfg.path("config").path("OnBuild").isNull()).isTrue();
        assertThat(topLayer(r)).containsExactly("trig/ 755 0:0", "trig/trig.txt 644 0:0");
    }

    @Test
    void chownNamesComeFromTheImagesPasswdAndGroup() throws Exception {
        baseImage("base:1");
        write("Dockerfile", "FROM base:1\nCOPY --chown=app:staff a /a\nCOPY --chown=app b /b\n");
        write("a", "a");
        write("b", "b");
        Builder.BuildResult r = build(BuildRequest.defaults(), new Collect());
        assertThat(topLayer(r)).containsExactly("b 644 1001:1001");
        write("Dockerfile", "FROM base:1\nCOPY --chown=nobody a /a\n");
        assertThatThrownBy(() -> build(BuildRequest.defaults(), new Collect())).hasMessageContaining("--chown=nobody: unknown user");
    }

    @Test
    void multiStageRebuildIsAllCacheHitsSameIdUnderOneSecond() throws Exception {
        baseImage("base:1");
        write("Dockerfile", "FROM base:1 AS build\nCOPY src/ /src/\nWORKDIR /out\nCOPY src/a.txt /out/\n"
                + "FROM scratch\nCOPY --from=build /out/ /app/\nCOPY --from=build /etc/os-release /app/\nCMD [\"/app/a.txt\"]\n");
        write("src/a.txt", "a");
        write("src/b.txt", "b");
        Builder.BuildResult first = build(BuildRequest.defaults(), new Collect());
        long t0 = System.nanoTime();
        Collect c = new Collect();
        Builder.BuildResult again = build(BuildRequest.defaults(), c);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(again.imageId()).isEqualTo(first.imageId());
        assertThat(again.cacheHits()).isEqualTo(5); // 2 COPY + WORKDIR in build, 2 COPY in the final stage
        assertThat(ms).as("rebuild time in ms").isLessThan(1000);
        assertThat(topLayer(again)).containsExactly("app/ 755 0:0", "app/os-release 644 0:0");
    }
}
