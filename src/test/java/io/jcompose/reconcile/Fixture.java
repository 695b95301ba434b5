package io.jcompose.reconcile;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.project.Binder;
import io.jcompose.project.Node;
import io.jcompose.project.YamlReader;
import io.jcompose.runtime.ContainerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One reconcile case: {@code src/test/resources/reconcile/<case>/}
 * <ul>
 * <li>{@code compose.yaml} — the desired project in canonical form (bound by the real Binder);</li>
 * <li>{@code observed.yaml} — what the fake engine holds (format below); absent: an empty engine;</li>
 * <li>{@code options.yaml} — {@code verb: up|down} and the verb's flags in their long names with underscores
 *     ({@code remove_orphans: true}, {@code scale: {web: 3}}, {@code services: [web]}, {@code rmi: all},
 *     {@code build: always|never|default} …);</li>
 * <li>{@code plan.txt} — the expected {@link Plan#text()}.</li>
 * </ul>
 * observed.yaml:
 * <pre>
 * images: {busybox:latest: sha256:1111}      # reference → id
 * networks: [demo_default, demo_test@10.9.0.0/16]  # project networks (labelled with the project), @subnet
 * volumes: [demo_data]
 * containers:
 *   - service: web                           # the service in the {@code config} file
 *     number: 1                              # default 1
 *     status: running                        # default running; exited, created …
 *     config: old.yaml                       # file the container was created from; default compose.yaml
 *     name: demo_web_1                       # default the Compose name
 *     image_id: sha256:2222                  # default the current id of its image
 * exit_on_start: {demo-migrate-1: 0}         # containers that exit with this code as soon as they start
 * </pre>
 * options.yaml may also say {@code converges: false}: a second {@code up} is expected to act again (e.g. Compose
 * restarts an exited one-shot on every {@code up}).
 */
final class Fixture {
    static final Path WORKDIR = Path.of("/srv/demo");
    final Path dir;
    final Project project;
    final Map<String, Object> options;

    Fixture(Path dir) {
        this.dir = dir;
        this.project = project(dir.resolve("compose.yaml"));
        Path opts = dir.resolve("options.yaml");
        this.options = Files.exists(opts) ? map(read(opts)) : Map.of();
    }

    static Path stageDir() {
        return Paths.get(System.getProperty("jcompose.projectDir", "."), "src/test/resources/reconcile");
    }

    static String text(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Project project(Path file) {
        return new Binder().bind(read(file), WORKDIR);
    }

    static Node read(Path file) {
        return new YamlReader().read(file.getFileName().toString(), text(file));
    }

    /** The YAML tree as plain Java values (String, List, Map), for options and observed state. */
    static Object plain(Node n) {
        if (n instanceof Node.Scalar s) return s.isNull() ? null : s.text();
        if (n instanceof Node.Seq s) return s.items().stream().map(Fixture::plain).toList();
        Map<String, Object> out = new TreeMap<>();
        for (Node.Entry e : ((Node.Mapping) n).entries()) out.put(e.key().text(), plain(e.value()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Node n) {
        return (Map<String, Object>) plain(n);
    }

    String verb() {
        return (String) options.getOrDefault("verb", "up");
    }

    private boolean flag(String key) {
        return Boolean.parseBoolean(String.valueOf(options.getOrDefault(key, "false")));
    }

    @SuppressWarnings("unchecked")
    UpOptions upOptions() {
        TreeMap<String, Integer> scale = new TreeMap<>();
        ((Map<String, Object>) options.getOrDefault("scale", Map.of())).forEach((k, v) -> scale.put(k, Integer.parseInt((String) v)));
        return new UpOptions((List<String>) options.getOrDefault("services", List.of()), flag("force_recreate"),
                flag("no_recreate"), flag("no_deps"), flag("always_recreate_deps"), flag("remove_orphans"), scale,
                Optional.ofNullable((String) options.get("pull")).map(UpOptions.PullPolicy::of), flag("no_start"),
                flag("wait"), Optional.ofNullable((String) options.get("timeout")).map(t -> Duration.ofSeconds(Long.parseLong(t))),
                List.of(WORKDIR.resolve("compose.yaml").toString()), "test")
                .with(b -> {
                    b.build = UpOptions.BuildPolicy.valueOf(((String) options.getOrDefault("build", "default")).toUpperCase());
                    return b;
                });
    }

    @SuppressWarnings("unchecked")
    DownOptions downOptions() {
        return new DownOptions(flag("volumes"),
                Optional.ofNullable((String) options.get("rmi")).map(r -> DownOptions.Rmi.valueOf(r.toUpperCase())),
                flag("remove_orphans"), Optional.ofNullable((String) options.get("timeout")).map(t -> Duration.ofSeconds(Long.parseLong(t))),
                (List<String>) options.getOrDefault("services", List.of()));
    }

    Plan plan(Observed observed) {
        return verb().equals("down") ? Reconciler.down(project, observed, downOptions()) : Reconciler.up(project, observed, upOptions());
    }

    /** A fake engine holding observed.yaml's state. */
    @SuppressWarnings("unchecked")
    FakeRuntime runtime() {
        FakeRuntime rt = new FakeRuntime();
        Path file = dir.resolve("observed.yaml");
        if (!Files.exists(file)) return rt;
        Map<String, Object> o = map(read(file));
        ((Map<String, Object>) o.getOrDefault("exit_on_start", Map.of())).forEach((k, v) -> rt.exitOnStart.put(k, Integer.parseInt((String) v)));
        ((Map<String, Object>) o.getOrDefault("images", Map.of())).forEach((k, v) -> rt.images.put(Observed.normalise(k), (String) v));
        for (Object n : (List<Object>) o.getOrDefault("networks", List.of())) {
            // "demo_test@172.99.0.0/16": a network with that subnet.
            String[] parts = ((String) n).split("@", 2);
            String name = parts[0];
            List<io.jcompose.runtime.NetworkSpec.IpamPool> pools = parts.length < 2 ? List.of()
                    : List.of(new io.jcompose.runtime.NetworkSpec.IpamPool(parts[1], "", "", new TreeMap<>()));
            rt.networks.put(name, new io.jcompose.runtime.NetworkInfo("net-" + name, name, "bridge", "local",
                    new TreeMap<>(Map.of(Labels.PROJECT, project.name(), Labels.NETWORK, name.substring(name.indexOf('_') + 1))),
                    false, false, false, pools, null, null, null));
        }
        for (Object v : (List<Object>) o.getOrDefault("volumes", List.of())) {
            String name = (String) v;
            rt.volumes.put(name, new io.jcompose.runtime.VolumeInfo(name, "local", "/fake/" + name,
                    new TreeMap<>(Map.of(Labels.PROJECT, project.name())), null, "local", null));
        }
        for (Object item : (List<Object>) o.getOrDefault("containers", List.of())) {
            Map<String, Object> c = (Map<String, Object>) item;
            Project from = c.containsKey("config") ? project(dir.resolve((String) c.get("config"))) : project;
            Service s = from.services().get((String) c.get("service"));
            if (s == null) throw new IllegalArgumentException(dir + ": no service " + c.get("service") + " in " + c.get("config"));
            int number = Integer.parseInt((String) c.getOrDefault("number", "1"));
            String image = ContainerSpecs.image(from, s);
            String imageId = (String) c.getOrDefault("image_id", rt.images.getOrDefault(Observed.normalise(image), "sha256:unknown"));
            ContainerSpec spec = ContainerSpecs.spec(from, s, number, new ContainerSpecs.SpecContext(
                    List.of(WORKDIR.resolve("compose.yaml").toString()), "test", Optional.of(imageId)));
            if (c.containsKey("name")) spec = spec.toBuilder().name((String) c.get("name")).build();
            String status = (String) c.getOrDefault("status", "running");
            FakeRuntime.FakeContainer fc = rt.put(spec, status, imageId);
            if (status.equals("running") && spec.healthcheck().isPresent()) fc.health = "healthy";
        }
        return rt;
    }

    static List<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(stageDir())) {
            s.filter(Files::isDirectory).sorted().forEach(out::add);
        }
        return out;
    }
}
