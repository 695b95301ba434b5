package io.jcompose.testing;

import io.jcompose.engine.image.ImageBuilder;
import io.jcompose.engine.image.LayerWriter;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The test images, built by our own pipeline ({@link ImageBuilder}) and pushed to the fixture {@link Registry},
 * so every engine under test pulls the very same bytes:
 * <ul>
 *   <li>{@code busybox}, {@code alpine}: look-alikes made of Debian's busybox-static (/bin/busybox plus one
 *       symlink per applet from {@code busybox --list}), /etc/passwd and /etc/group with root and nobody,
 *       /tmp 1777, Cmd ["sh"], a /bin/printenv script where busybox lacks the applet; alpine adds /etc/alpine-release and an Alpine-like /etc/os-release.</li>
 *   <li>{@code redis}, {@code nginx}: real Debian bookworm software from {@code mmdebstrap --variant=essential}.</li>
 * </ul>
 * Each image's OCI layout is cached in {@link #cacheDir()} under a content hash of its recipe, so CI pays for
 * mmdebstrap once. Each image is pushed (once per JVM) as {@code 127.0.0.1:PORT/library/NAME:latest} — the path a
 * registry mirror of docker.io is asked for — and as {@code 127.0.0.1:PORT/NAME:latest}.
 */
public final class TestImages {
    public static final List<String> NAMES = List.of("busybox", "alpine", "redis", "nginx");
    /** Bump to rebuild every cached image (part of every recipe hash). */
    private static final String PIPELINE_VERSION = "1";
    private static final String PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final Map<String, String> pushed = new HashMap<>();
    private static final Map<String, String> pulled = new HashMap<>();

    private TestImages() {}

    /**
     * The cache of built layouts: {@code jcompose.test.cache} / {@code JCOMPOSE_TEST_CACHE}, default
     * /var/cache/jcompose-test (root) or ~/.cache/jcompose-test.
     */
    public static Path cacheDir() {
        String dflt = "root".equals(System.getProperty("user.name")) ? "/var/cache/jcompose-test"
                : System.getProperty("user.home") + "/.cache/jcompose-test";
        return Path.of(Infra.setting("jcompose.test.cache", "JCOMPOSE_TEST_CACHE", dflt));
    }

    /** The OCI layout (tag "latest") of test image {@code name}, built now unless cached. */
    public static synchronized Path layout(String name) {
        String recipe = recipe(name);
        Path dir = cacheDir().resolve(name + "-" + sha256(recipe).substring(0, 16));
        if (Files.isRegularFile(dir.resolve("index.json"))) return dir;
        try {
            Files.createDirectories(cacheDir());
            Path work = Files.createTempDirectory(cacheDir(), ".build-" + name + "-");
            try {
                Path rootfs = work.resolve("rootfs");
                ImageBuilder b = switch (name) {
                    case "busybox", "alpine" -> busyboxLike(rootfs, name.equals("alpine"));
                    case "redis", "nginx" -> debian(rootfs, name);
                    default -> throw new IllegalArgumentException("no test image '" + name + "'; known: " + NAMES);
                };
                Path layout = work.resolve("layout");
                b.label("io.jcompose.test.recipe", sha256(recipe)).writeTo(layout, "latest");
                Files.writeString(layout.resolve("recipe.txt"), recipe);
                try {
                    Files.move(layout, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                    // Another JVM built it first; its copy is byte-for-byte the same.
                }
            } finally {
                TestFiles.deleteTree(work, cacheDir());
            }
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build test image " + name + " in " + cacheDir() + ": " + e.getMessage(), e);
        }
    }

    /** Builds (or takes from cache) and pushes {@code name} to the shared registry once; returns its reference. */
    public static synchronized String ref(String name) {
        String r = pushed.get(name);
        if (r != null) return r;
        Registry reg = Registry.shared();
        Path layout = layout(name);
        r = reg.push(layout, "latest", "library/" + name + ":latest");
        reg.push(layout, "latest", name + ":latest");
        pushed.put(name, r);
        return r;
    }

    /**
     * Pulls {@code name} from the fixture registry into the shared dockerd (plain HTTP: loopback registries are
     * trusted by default) and also tags it {@code NAME:latest} there, so tests can say {@code image: busybox}.
     * Returns the registry reference.
     */
    public static synchronized String pullIntoDockerd(String name) {
        String done = pulled.get(name);
        if (done != null) return done;
        String r = ref(name);
        Dockerd d = Dockerd.shared();
        d.docker("pull", "--quiet", r).check();
        d.docker("tag", r, name + ":latest").check();
        if (pulled.isEmpty()) {
            // The registry's port changes every run: drop this run's port-named tags at exit (NAME:latest stays).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (TestImages.class) {
                    pulled.values().forEach(ref -> d.docker("rmi", ref));
                }
            }, "untag-test-images"));
        }
        pulled.put(name, r);
        return r;
    }

    /** What an image is made of; its hash names the cache entry, so any change here rebuilds. */
    static String recipe(String name) {
        return switch (name) {
            case "busybox", "alpine" -> "pipeline " + PIPELINE_VERSION + "\nimage " + name
                    + "\nbusybox " + fileHash(Path.of("/bin/busybox")) + "\nprintenv " + sha256(PRINTENV) + "\n";
            case "redis", "nginx" -> "pipeline " + PIPELINE_VERSION + "\nimage " + name
                    + "\nmmdebstrap " + String.join(" ", mmdebstrapArgs(name)) + "\n";
            default -> throw new IllegalArgumentException("no test image '" + name + "'; known: " + NAMES);
        };
    }

    /**
     * /bin/printenv of the busybox look-alikes: the applet is in Docker Hub's busybox and Alpine's, not in Debian's
     * busybox-static, and fixtures run it ({@code CMD ["printenv", "X"]}). Prints the named variables' values (exit
     * 1 if one is unset), or the whole environment.
     */
    static final String PRINTENV = """
            #!/bin/sh
            [ $# -eq 0 ] && exec env
            exec awk 'BEGIN { rc = 0; for (i = 1; i < ARGC; i++) { if (ARGV[i] in ENVIRON) print ENVIRON[ARGV[i]]; else rc = 1 } exit rc }' "$@"
            """;

    private static ImageBuilder busyboxLike(Path rootfs, boolean alpine) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        Infra.require(Files.isExecutable(busybox), "/bin/busybox missing (install busybox-static)");
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "root", "tmp", "var/tmp", "home", "proc", "sys", "dev")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        Files.setPosixFilePermissions(rootfs.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String applet : Exec.run(busybox.toString(), "--list").check().out().split("\n")) {
            String a = applet.strip();
            if (a.isEmpty() || a.equals("busybox") || !a.matches("[A-Za-z0-9_.\\[-]+")) continue;
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(a), Path.of("busybox"));
        }
        if (!Files.exists(rootfs.resolve("bin/printenv"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.writeString(rootfs.resolve("bin/printenv"), PRINTENV);
            Files.setPosixFilePermissions(rootfs.resolve("bin/printenv"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // Shebangs like #!/usr/bin/env sh must work too.
        Files.createSymbolicLink(rootfs.resolve("usr/bin/env"), Path.of("/bin/busybox"));
        Files.writeString(rootfs.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnobody:x:65534:\n");
        Files.writeString(rootfs.resolve("etc/hostname"), "localhost\n");
        Files.setPosixFilePermissions(rootfs.resolve("root"), PosixFilePermissions.fromString("rwx------"));
        Exec.run("chmod", "1777", rootfs.resolve("tmp").toString(), rootfs.resolve("var/tmp").toString()).check();
        if (alpine) {
            Files.writeString(rootfs.resolve("etc/alpine-release"), "3.19.0\n");
            Files.writeString(rootfs.resolve("etc/os-release"), "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.0\n"
                    + "PRETTY_NAME=\"Alpine Linux v3.19 (jcompose test look-alike: busybox-static)\"\n");
        }
        return new ImageBuilder().layer(rootfs).env("PATH", PATH_ENV).cmd(List.of(alpine ? "/bin/sh" : "sh"));
    }

    private static List<String> mmdebstrapArgs(String name) {
        List<String> a = new ArrayList<>(List.of("--variant=essential", "--include=" + (name.equals("redis") ? "redis-server" : "nginx")));
        for (String p : List.of("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*", "/usr/share/info/*")) {
            a.add("--dpkgopt=path-exclude=" + p);
        }
        a.add("bookworm");
        return a;
    }

    private static ImageBuilder debian(Path rootfs, String name) {
        Path mm = Infra.requireBinary("mmdebstrap");
        List<String> cmd = new ArrayList<>(List.of(mm.toString(), "--quiet"));
        cmd.addAll(mmdebstrapArgs(name));
        cmd.add(rootfs.toString());
        Exec.run(cmd, Map.of(), Duration.ofMinutes(20)).check();
        // Owners are kept: Debian packages own files as redis:redis, www-data, etc.
        ImageBuilder b = new ImageBuilder().layer(rootfs, LayerWriter.deterministic().keepingOwners()).env("PATH", PATH_ENV);
        if (name.equals("redis")) {
            return b.cmd(List.of("redis-server", "--protected-mode", "no", "--bind", "0.0.0.0"))
                    .exposedPort("6379/tcp").user("redis").workingDir("/var/lib/redis");
        }
        return b.cmd(List.of("nginx", "-g", "daemon off;")).exposedPort("80/tcp");
    }

    private static String fileHash(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (Exception e) {
            return "missing:" + e.getMessage();
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
