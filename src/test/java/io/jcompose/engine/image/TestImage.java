package io.jcompose.engine.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A test image made by hand (config + gzip layers + manifest), pushed with our own registry client. */
record TestImage(String mediaType, byte[] manifest, byte[] config, List<byte[]> layers) {
    static final ObjectMapper JSON = new ObjectMapper();

    Digest digest() {
        return Digest.of(manifest);
    }

    Digest configDigest() {
        return Digest.of(config);
    }

    static TestImage build(boolean oci, String arch, List<byte[]> plainTars) throws IOException {
        ObjectNode cfg = JsonNodeFactory.instance.objectNode();
        cfg.put("architecture", arch).put("os", "linux").put("created", "2024-01-02T03:04:05Z");
        ObjectNode c = cfg.putObject("config");
        c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").add("APP=" + arch);
        c.putArray("Cmd").add("sh");
        c.putArray("Entrypoint").add("/bin/entry");
        c.put("WorkingDir", "/srv").put("User", "1000:1000").put("StopSignal", "SIGINT");
        c.putObject("ExposedPorts").putObject("8080/tcp");
        c.putObject("Volumes").putObject("/data");
        c.putObject("Labels").put("org.example.arch", arch);
        ObjectNode hc = c.putObject("Healthcheck");
        hc.putArray("Test").add("CMD").add("true");
        hc.put("Interval", 1_000_000_000L).put("Retries", 3);
        ArrayNode diffs = cfg.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        List<byte[]> gz = new ArrayList<>();
        for (byte[] t : plainTars) {
            diffs.add(Digest.of(t).toString());
            gz.add(TarFixture.gzip(t));
        }
        byte[] config = JSON.writeValueAsBytes(cfg);
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST);
        m.putObject("config").put("mediaType", oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG)
                .put("digest", Digest.of(config).toString()).put("size", config.length);
        ArrayNode ls = m.putArray("layers");
        for (byte[] g : gz) {
            ls.addObject().put("mediaType", oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP)
                    .put("digest", Digest.of(g).toString()).put("size", g.length);
        }
        return new TestImage(oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST, JSON.writeValueAsBytes(m), config, gz);
    }

    /** Pushes blobs and manifest (by digest, then under {@code tag} if given). */
    Digest push(RegistryClient c, ImageReference ref, RegistryAuth auth, Path tmp) throws IOException {
        List<byte[]> all = new ArrayList<>(layers);
        all.add(config);
        for (byte[] b : all) {
            Digest d = Digest.of(b);
            if (c.blobExists(ref, d, auth)) continue;
            Path f = Files.createTempFile(tmp, "blob", "");
            Files.write(f, b);
            c.pushBlob(ref, d, f, Optional.empty(), auth);
        }
        return c.putManifest(ref, ref.tag().orElse(digest().toString()), mediaType, manifest, auth);
    }

    /** An OCI image layout directory (as skopeo reads it) holding this image under {@code tag}. */
    void writeOciLayout(Path dir, String tag) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.write(blobs.resolve(digest().hex()), manifest);
        Files.write(blobs.resolve(configDigest().hex()), config);
        for (byte[] l : layers) Files.write(blobs.resolve(Digest.of(l).hex()), l);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode idx = JsonNodeFactory.instance.objectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        idx.putArray("manifests").addObject().put("mediaType", mediaType).put("digest", digest().toString())
                .put("size", manifest.length).putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(idx));
    }

    static byte[] layer(String file, String content) {
        return new TarFixture().dir("srv", 0755).file("srv/" + file, content, 0644).tar();
    }

    static ByteArrayInputStream stream(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
