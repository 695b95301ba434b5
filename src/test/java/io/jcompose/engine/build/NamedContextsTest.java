package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code X-Jcompose-Build-Contexts} header, the reserved prefix, and FROM / COPY --from of named contexts. */
class NamedContextsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    ImageLayout store;
    Builder builder;

    @BeforeEach
    void setUp() throws Exception {
        store = new ImageLayout(tmp.resolve("store"));
        builder = new Builder(store, tmp.resolve("cache"), tmp.resolve("tmp"), store, RunExecutor.unsupported(),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    @Test
    void parsesJsonAndBase64JsonSorted() {
        String json = "{\"z\":{\"type\":\"image\",\"ref\":\"busybox:1\"},\"extra\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/extra\"}}";
        NamedContexts a = NamedContexts.parse(json);
        NamedContexts b = NamedContexts.parse(Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(a).isEqualTo(b);
        assertThat(a.refs().keySet()).containsExactly("extra", "z");
        assertThat(a.refs().get("extra")).isEqualTo(new NamedContexts.Ref.Dir(".jcompose/contexts/extra"));
        assertThat(a.refs().get("z")).isEqualTo(new NamedContexts.Ref.Image("busybox:1"));
        assertThat(NamedContexts.parse(" ").isEmpty()).isTrue();
        // What the client uses for a name that is no plain file name ("reg/lib:1" → _<i>).
        assertThat(NamedContexts.parse("{\"reg/lib:1\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/_2\"}}").refs().get("reg/lib:1"))
                .isEqualTo(new NamedContexts.Ref.Dir(".jcompose/contexts/_2"));
        // Image-like names may override an image ("FROM docker.io/library/alpine:3").
        assertThat(NamedContexts.parse("{\"docker.io/library/alpine:3\":{\"type\":\"image\",\"ref\":\"busybox\"}}").refs()).hasSize(1);
    }

    @Test
    void refusesPathsOutsideThePrefixBadNamesAndTypes() {
        for (String path : List.of("../x", ".jcompose/contexts/../../etc", ".jcompose/contexts/..", ".jcompose/contexts/a/b",
                "other/x", ".jcompose/contexts/", "/abs")) {
            assertThatThrownBy(() -> NamedContexts.parse("{\"x\":{\"type\":\"dir\",\"path\":\"" + path + "\"}}"))
                    .as(path).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("context \"x\": path \"" + path + "\" must be .jcompose/contexts/<dir>");
        }
        assertThatThrownBy(() -> NamedContexts.parse("{\"../x\":{\"type\":\"image\",\"ref\":\"a\"}}"))
                .hasMessage("invalid build context name \"../x\"");
        assertThatThrownBy(() -> NamedContexts.parse("{\"x\":{\"type\":\"git\"}}"))
                .hasMessage("context \"x\": type \"git\" is not dir or image");
        assertThatThrownBy(() -> NamedContexts.parse("{\"x\":{\"type\":\"image\",\"ref\":\"a b\"}}"))
                .hasMessage("context \"x\": image reference \"a b\" is not valid");
        assertThatThrownBy(() -> NamedContexts.parse("[1]")).hasMessageStartingWith("must be a JSON object");
    }

    /** A context tar from path → content (a trailing '/' is a directory). */
    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                if (!f.getKey().endsWith("/")) e.setSize(data.length);
                out.putArchiveEntry(e);
                if (!f.getKey().endsWith("/")) out.write(data);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private List<List<String>> layers(Builder.BuildResult r) throws IOException {
        JsonNode m = JSON.readTree(store.blob(r.manifestDigest()).toFile());
        List<List<String>> out = new ArrayList<>();
        for (JsonNode l : m.path("layers")) {
            List<String> names = new ArrayList<>();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(store.blob(l.path("digest").asText())));
                 TarArchiveInputStream t = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = t.getNextEntry()) != null) names.add(e.getName());
            }
            out.add(names);
        }
        return out;
    }

    private Builder.BuildResult build(Map<String, String> files, String header) throws Exception {
        BuilderTest.Collect c = new BuilderTest.Collect();
        try {
            return builder.build(new ByteArrayInputStream(tar(files)), BuildRequest.defaults(), NamedContexts.parse(header), c);
        } finally {
            // Every build's temp dir (context + named) is gone afterwards.
            try (var left = Files.list(tmp.resolve("tmp"))) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("context-"));
            }
        }
    }

    @Test
    void copyFromADirectoryAndAnImageContextWhileCopyDotSeesNoReservedPrefix() throws Exception {
        Map<String, String> lib = new LinkedHashMap<>();
        lib.put("Dockerfile", "FROM scratch\nCOPY lib.txt /lib/\n");
        lib.put("lib.txt", "lib");
        build(lib, "");
        builder.build(new ByteArrayInputStream(tar(lib)), BuildRequest.defaults().withTags(List.of("lib:1")), new BuilderTest.Collect());

        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", "FROM base\nCOPY --from=extra e.txt /from-extra/\nCOPY --from=base /lib/lib.txt /again/\nCOPY . /main/\n");
        files.put("m.txt", "main");
        files.put(".jcompose/", "");
        files.put(".jcompose/contexts/", "");
        files.put(".jcompose/contexts/extra/", "");
        files.put(".jcompose/contexts/extra/e.txt", "extra");
        String header = "{\"extra\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/extra\"},\"base\":{\"type\":\"image\",\"ref\":\"lib:1\"}}";
        List<List<String>> layers = layers(build(files, header));
        assertThat(layers).hasSize(4);
        assertThat(layers.get(0)).containsExactly("lib/", "lib/lib.txt");
        assertThat(layers.get(1)).containsExactly("from-extra/", "from-extra/e.txt");
        assertThat(layers.get(2)).containsExactly("again/", "again/lib.txt");
        assertThat(layers.get(3)).containsExactly("main/", "main/Dockerfile", "main/m.txt");
    }

    @Test
    void aDirectoryContextOverridesAStageOfItsNameAsBaseAndInCopyFrom() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", "FROM scratch AS deps\nCOPY m.txt /stage-only\n"
                + "FROM deps\nCOPY --from=deps /d.txt /copied/\n");
        files.put("m.txt", "main");
        files.put(".jcompose/contexts/deps/d.txt", "dir");
        List<List<String>> layers = layers(build(files, "{\"deps\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/deps\"}}"));
        assertThat(layers).containsExactly(List.of("d.txt"), List.of("copied/", "copied/d.txt"));
    }

    @Test
    void aDirectoryContextMissingFromTheTarFailsNamingIt() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", "FROM scratch\n");
        assertThatThrownBy(() -> build(files, "{\"extra\":{\"type\":\"dir\",\"path\":\".jcompose/contexts/extra\"}}"))
                .isInstanceOf(BuildException.class)
                .hasMessage("build context \"extra\": .jcompose/contexts/extra is not in the context tar");
    }

    @Test
    void theReservedPrefixIsDetachedEvenWithoutHeader(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve(".jcompose/contexts/a"));
        Files.writeString(root.resolve(".jcompose/contexts/a/f"), "x");
        assertThat(NamedContexts.none().detach(root, dir.resolve("named"))).isEmpty();
        assertThat(root.resolve(".jcompose")).doesNotExist();
        assertThat(dir.resolve("named/a/f")).hasContent("x");
    }
}
