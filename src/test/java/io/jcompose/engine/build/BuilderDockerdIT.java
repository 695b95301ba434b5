package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.testing.Dockerd;
import io.jcompose.testing.Exec;
import io.jcompose.testing.Infra;
import io.jcompose.testing.Registry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end without RUN: our builder makes a scratch image with busybox-static COPYed in; skopeo pushes it to
 * the fixture registry; dockerd pulls and runs it. dockerd's classic builder builds the same Dockerfile, and
 * the two images must have the same config (Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Labels,
 * Healthcheck, Volumes, StopSignal) and the same file tree.
 */
@Tag("integration")
class BuilderDockerdIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    static final String DOCKERFILE = String.join("\n",
            "FROM scratch",
            "COPY busybox /bin/busybox",
            "COPY site/ /srv/www/",
            "COPY --chown=1000:1000 site/index.html /srv/private.html", // classic builder: no --chmod
            "ARG GREETING=hello",
            "ENV GREETING=$GREETING PATH=/bin",
            "LABEL org.example.kind=\"e2e test\" greeting=${GREETING}",
            "WORKDIR /opt/created/here",
            "WORKDIR /srv/www",
            "USER 1000:1000",
            "EXPOSE 8080 53/udp",
            "VOLUME /data",
            "STOPSIGNAL SIGQUIT",
            "HEALTHCHECK --interval=5s --timeout=2s --retries=2 CMD [\"/bin/busybox\", \"true\"]",
            "ENTRYPOINT [\"/bin/busybox\"]",
            "CMD [\"echo\", \"built by jcompose\"]",
            "");

    @Test
    void scratchCopyImageRunsOnDockerdAndMatchesDockerdsOwnBuild() throws Exception {
        Infra.requireRoot();
        Infra.requireBinary("skopeo");
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), DOCKERFILE);
        Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
        Files.setAttribute(ctx.resolve("busybox"), "unix:mode", 0755);
        Files.createDirectories(ctx.resolve("site/css"));
        Files.writeString(ctx.resolve("site/index.html"), "<h1>hi</h1>\n");
        Files.writeString(ctx.resolve("site/css/a.css"), "h1{}\n");
        Files.writeString(ctx.resolve("site/draft.tmp"), "x");
        Files.writeString(ctx.resolve(".dockerignore"), "site/*.tmp\n");

        ImageLayout store = new ImageLayout(tmp.resolve("store"));
        Builder builder = new Builder(store, tmp.resolve("cache"), tmp.resolve("work"), store, RunExecutor.unsupported(), Clock.systemUTC());
        BuilderTest.Collect progress = new BuilderTest.Collect();
        Builder.BuildResult result = builder.build(new ByteArrayInputStream(tar(ctx)),
                BuildRequest.defaults().withTags(List.of("jcompose-e2e:1")), progress);
        assertThat(progress.error).isNull();

        Registry registry = Registry.shared();
        String ref = registry.push(store.root(), "jcompose-e2e:1", "jcompose/build-e2e:" + result.imageId().substring(7, 19));
        Dockerd d = Dockerd.shared();
        d.docker("pull", "--quiet", ref).check();
        try {
            Exec.Result run = d.docker("run", "--rm", ref);
            assertThat(run.check().out().strip()).isEqualTo("built by jcompose");
            assertThat(d.docker("run", "--rm", "--entrypoint", "/bin/busybox", ref, "cat", "/srv/www/index.html").check().out())
                    .isEqualTo("<h1>hi</h1>\n");

            String dockerTag = "jcompose-e2e-dockerd:" + result.imageId().substring(7, 19);
            Exec.Result built = Exec.run(List.of("docker", "build", "-q", "-t", dockerTag, ctx.toString()),
                    Map.of("DOCKER_HOST", d.dockerHost(), "DOCKER_BUILDKIT", "0"), Duration.ofMinutes(2));
            built.check();
            try {
                JsonNode ours = inspect(d, ref).path("Config");
                JsonNode theirs = inspect(d, dockerTag).path("Config");
                for (String field : List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts", "Labels",
                        "Healthcheck", "Volumes", "StopSignal", "Shell", "OnBuild"))
                    assertThat(ours.path(field)).as(field).isEqualTo(theirs.path(field));
                assertThat(tree(d, ref)).isEqualTo(tree(d, dockerTag));
            } finally {
                d.docker("rmi", "-f", dockerTag);
            }
        } finally {
            d.docker("rmi", "-f", ref);
        }
    }

    private static JsonNode inspect(Dockerd d, String image) throws Exception {
        return JSON.readTree(d.docker("image", "inspect", image).check().out()).get(0);
    }

    /** Names, types, modes and owners of the image's files, via a created (not started) container's export. */
    private TreeSet<String> tree(Dockerd d, String image) throws Exception {
        String id = d.docker("create", "--label", Dockerd.TEST_LABEL, image).check().out().strip();
        Path out = tmp.resolve("export-" + id + ".tar");
        try {
            d.docker("export", "-o", out.toString(), id).check();
        } finally {
            d.docker("rm", "-f", id);
        }
        TreeSet<String> names = new TreeSet<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(Files.newInputStream(out))) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null)
                names.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLongUserId() + ":" + e.getLongGroupId()
                        + (e.isSymbolicLink() ? " -> " + e.getLinkName() : "") + (e.isFile() ? " " + e.getSize() : ""));
        }
        return names;
    }

    static byte[] tar(Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes); Stream<Path> s = Files.walk(dir)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            List<Path> all = new ArrayList<>(s.filter(p -> !p.equals(dir)).sorted().toList());
            for (Path p : all) {
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), dir.relativize(p).toString());
                e.setMode((Integer) Files.getAttribute(p, "unix:mode")); // TarArchiveEntry(File) does not read it
                out.putArchiveEntry(e);
                if (Files.isRegularFile(p)) Files.copy(p, out);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
