package io.jcompose.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The training run behind {@code bin/appcds}: run with {@code -XX:ArchiveClassesAtExit} it leaves a class-data archive
 * (AppCDS) that covers every CLI verb, not just the one a training command happens to use. It loads (without
 * initialising) every class of the CLI's own packages and of the libraries the CLI uses, then runs a typical
 * {@code config} so the JDK classes and lambda forms of a real load are recorded too. The engine's packages and JNR
 * are left out: the CLI never loads them (the engine is a long-running process and gets no archive).
 */
public final class ClassDataTraining {
    private ClassDataTraining() {}

    /** Jar entry prefixes of classes the CLI may load. */
    static final List<String> INCLUDED = List.of("io/jcompose/", "picocli/", "com/fasterxml/jackson/core/",
            "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/annotation/", "com/networknt/schema/",
            "org/snakeyaml/engine/", "com/ethlo/time/");
    static final List<String> EXCLUDED = List.of("io/jcompose/engine/", "com/fasterxml/jackson/databind/ext/");

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args.length > 0 ? args[0]
                : System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
        ClassLoader loader = ClassDataTraining.class.getClassLoader();
        int loaded = 0;
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) continue;
                if (INCLUDED.stream().noneMatch(name::startsWith) || EXCLUDED.stream().anyMatch(name::startsWith)) continue;
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // Optional dependencies a library refers to but we do not ship: not needed at run time either.
                }
            }
        }
        Path dir = Files.createTempDirectory("jcompose-cds");
        try {
            Path file = dir.resolve("compose.yaml");
            Files.writeString(file, """
                    services:
                      web:
                        image: "nginx:${TAG:-1}"
                        ports: ["127.0.0.1:8080:80"]
                        depends_on: {db: {condition: service_healthy}}
                        volumes: ["data:/data"]
                        environment: {A: "1"}
                      db:
                        image: postgres
                        healthcheck: {test: ["CMD", "true"], interval: 1s}
                    volumes:
                      data: {}
                    """);
            PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
            JcomposeCommand.Context context = new JcomposeCommand.Context(devNull, devNull, k -> null, dir);
            JcomposeCommand.run(new String[] {"-f", file.toString(), "config"}, context);
            JcomposeCommand.run(new String[] {"-f", file.toString(), "config", "--hash", "*"}, context);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) Files.delete(p);
            }
            Files.delete(dir);
        }
        System.out.println("classes loaded for the archive: " + loaded);
    }
}
