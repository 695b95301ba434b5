package io.jcompose.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.testing.Dockerd;
import io.jcompose.testing.Exec;
import io.jcompose.testing.TestFiles;
import io.jcompose.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * One run of a docker compose e2e scenario, the Java twin of upstream's scenario DSL ({@code pkg/e2e/scenario.go},
 * {@code checks.go}): the fixture {@code e2e/testdata/<name>/} copied to a temporary directory (tests never write into
 * the corpus), a project name unique to this run, the jcompose CLI run in process against {@link Dockerd#shared()},
 * and observations made with the docker CLI — an observer independent of the code under test.
 *
 * <pre>
 *   s.compose("up", "-d");                              // ComposeCmd("up", "-d"): must exit 0
 *   s.serviceState("web", "running");                   // ServiceState("web", "running")
 *   s.cmd("up", "-d").withEnv("SUBNET=10.0.0.0/16").mayFail().within(Duration.ofSeconds(60)).run().exitCode(1);
 *   s.notRecreated("web");                              // same container ids as before the last compose command
 * </pre>
 *
 * {@link #close()} runs {@code down -v --remove-orphans -t 0}, then removes whatever still carries the project label
 * (containers, networks, volumes), runs the scenario's deferred clean-ups and deletes the copy.
 */
final class Scenario implements AutoCloseable {
    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";
    static final String NUMBER_LABEL = "com.docker.compose.container-number";
    static final String ONEOFF_LABEL = "com.docker.compose.oneoff";
    private static final Duration DEFAULT_WITHIN = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String project;
    private final Path dir;
    private final Dockerd dockerd;
    private final Map<String, String> env = new TreeMap<>();
    private final List<Runnable> deferred = new ArrayList<>();
    /** The project's containers just before the last compose command: what NotRecreated/LabelUnchanged compare with. */
    private Map<String, Container> before = Map.of();
    /** The last compose command's own environment: teardown's down loads the model the way that step did. */
    private Map<String, String> lastStepEnv = Map.of();

    /** What docker reports for one of the project's containers. */
    record Container(String id, String name, String state, String health, String startedAt, Map<String, String> labels) {
        // health: State.Health.Status (starting, healthy, unhealthy), empty without a healthcheck; startedAt: State.StartedAt
        Container {
            labels = Map.copyOf(labels);
        }

        String service() {
            return labels.getOrDefault(SERVICE_LABEL, "");
        }

        boolean oneOff() {
            return "true".equalsIgnoreCase(labels.getOrDefault(ONEOFF_LABEL, "False"));
        }
    }

    private Scenario(String name, String project, Path dir, Dockerd dockerd) {
        this.name = name;
        this.project = project;
        this.dir = dir;
        this.dockerd = dockerd;
    }

    /** Prepares scenario {@code name}: dockerd, the look-alike images, a copy of its fixture, a fresh project name. */
    static Scenario start(String name) {
        Path fixture = E2eCorpus.testdata(name);
        Dockerd d = Dockerd.shared();
        ensureImages(d);
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        String project = "e2e-" + name.replaceFirst("^Test", "").toLowerCase(Locale.ROOT) + "-" + suffix;
        try {
            Path dir = Files.createTempDirectory("jc-e2e-" + name + "-");
            copyTree(fixture, dir);
            return new Scenario(name, project, dir, d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy fixture " + fixture + ": " + e.getMessage(), e);
        }
    }

    /**
     * The fixtures name {@code alpine}, {@code busybox} and {@code bash}: the harness' busybox-static look-alikes,
     * pulled from the fixture registry into dockerd ({@code bash} is the alpine look-alike under another name: the
     * fixtures that use it only run {@code echo}). nginx is pulled by the scenarios that need it ({@link #image}).
     */
    private static synchronized void ensureImages(Dockerd d) {
        String alpine = TestImages.pullIntoDockerd("alpine");
        String busybox = TestImages.pullIntoDockerd("busybox");
        // Every scenario, not once per JVM: other test JVMs on the same dockerd tag their own look-alikes as
        // NAME:latest, and one built from an older recipe lacks files (e.g. /bin/printenv) that fixtures run.
        d.docker("tag", alpine, "alpine:latest").check();
        d.docker("tag", busybox, "busybox:latest").check();
        d.docker("tag", alpine, "bash:latest").check();
    }

    /** Makes harness image {@code name} (e.g. nginx) resolvable as {@code name:latest} in dockerd. */
    Scenario image(String imageName) {
        TestImages.pullIntoDockerd(imageName);
        return this;
    }

    String name() {
        return name;
    }

    String project() {
        return project;
    }

    /** The temporary copy of the fixture: the working directory of every compose command. */
    Path dir() {
        return dir;
    }

    /** {@code s.Env("K=V")}: an environment variable for every later compose command. */
    Scenario env(String assignment) {
        int eq = assignment.indexOf('=');
        env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        return this;
    }

    /**
     * {@code s.CLI().ConfigDir}: the Docker CLI configuration directory every later compose command sees
     * ({@code DOCKER_CONFIG}), a fresh temporary one per scenario, deleted by {@link #close()}.
     */
    Path cliConfigDir() {
        String was = env.get("DOCKER_CONFIG");
        if (was != null) return Path.of(was);
        try {
            Path d = Files.createTempDirectory("jc-e2e-docker-config-");
            env.put("DOCKER_CONFIG", d.toString());
            defer(() -> TestFiles.deleteTree(d, d.getParent()));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Docker CLI config directory: " + e.getMessage(), e);
        }
    }

    /** {@code s.Defer(...)}: a clean-up run by {@link #close()}, after the project is down. */
    Scenario defer(Runnable cleanup) {
        deferred.add(cleanup);
        return this;
    }

    /** {@code ComposeCmd(args…)}, run now; it must succeed. */
    CmdResult compose(String... args) {
        return cmd(args).run();
    }

    /** {@code ComposeCmd(args…)} with modifiers ({@code withEnv}, {@code mayFail}, {@code within}, {@code withStdin}). */
    Compose cmd(String... args) {
        return new Compose(List.of(args));
    }

    /** {@code DockerCmd(args…)}: the docker CLI against the same daemon; it must succeed. */
    CmdResult docker(String... args) {
        CmdResult r = dockerMayFail(args);
        r.success();
        return r;
    }

    /** {@code DockerCmd(args…).MayFail()}. */
    CmdResult dockerMayFail(String... args) {
        Exec.Result r = dockerd.docker(args);
        return new CmdResult(r.command(), r.exitCode(), r.out(), r.err());
    }

    final class Compose {
        private final List<String> args;
        private final Map<String, String> stepEnv = new TreeMap<>();
        private boolean mayFail;
        private Duration within = DEFAULT_WITHIN;
        private String stdin = "";

        private Compose(List<String> args) {
            this.args = List.copyOf(args);
        }

        Compose withEnv(String... assignments) {
            for (String a : assignments) {
                int eq = a.indexOf('=');
                stepEnv.put(a.substring(0, eq), a.substring(eq + 1));
            }
            return this;
        }

        Compose mayFail() {
            mayFail = true;
            return this;
        }

        Compose within(Duration limit) {
            within = limit;
            return this;
        }

        Compose withStdin(String text) {
            stdin = text;
            return this;
        }

        CmdResult run() {
            before = containersByName();
            lastStepEnv = Map.copyOf(stepEnv);
            CmdResult r = runInProcess(args, stepEnv, stdin, within);
            if (!mayFail) r.success();
            return r;
        }
    }

    /**
     * Runs {@code jcompose args…} in this JVM ({@link JcomposeCommand#run(String[], JcomposeCommand.Context)}), in the
     * fixture copy, with a small explicit environment (the caller's own COMPOSE_* variables must not leak in).
     */
    private CmdResult runInProcess(List<String> args, Map<String, String> stepEnv, String stdin, Duration limit) {
        Map<String, String> e = new TreeMap<>();
        for (String k : List.of("PATH", "HOME", "USER", "TMPDIR")) {
            String v = System.getenv(k);
            if (v != null) e.put(k, v);
        }
        e.put("DOCKER_HOST", dockerd.dockerHost());
        e.put("COMPOSE_PROJECT_NAME", project);
        e.putAll(env);
        e.putAll(stepEnv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream pout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream perr = new PrintStream(err, true, StandardCharsets.UTF_8);
        byte[] in = stdin.getBytes(StandardCharsets.UTF_8);
        JcomposeCommand.Context ctx = new JcomposeCommand.Context(pout, perr, e::get, dir, () -> new ByteArrayInputStream(in));
        List<String> command = new ArrayList<>();
        command.add("jcompose");
        command.addAll(args);
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jcompose " + String.join(" ", args));
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Integer> f = pool.submit(() -> JcomposeCommand.run(args.toArray(String[]::new), ctx));
            int code;
            try {
                code = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException t) {
                f.cancel(true);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit + "\n--- stdout\n"
                        + out.toString(StandardCharsets.UTF_8) + "--- stderr\n" + err.toString(StandardCharsets.UTF_8));
            } catch (ExecutionException x) {
                throw new AssertionError(String.join(" ", command) + " threw " + x.getCause(), x.getCause());
            }
            return new CmdResult(command, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", x);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- observations (upstream checks.go) ----

    /** Every container of the project (service and one-off), keyed by name, as docker reports them now. */
    Map<String, Container> containersByName() {
        String ids = dockerd.docker("ps", "-a", "-q", "--no-trunc", "--filter", "label=" + PROJECT_LABEL + "=" + project).check().out();
        List<String> idList = Arrays.stream(ids.split("\\s+")).filter(s -> !s.isEmpty()).toList();
        Map<String, Container> out = new TreeMap<>();
        if (idList.isEmpty()) return out;
        List<String> cmd = new ArrayList<>(List.of("inspect"));
        cmd.addAll(idList);
        Exec.Result r = dockerd.docker(cmd.toArray(String[]::new));
        // A container removed between ps and inspect makes inspect exit 1 but still print the others.
        String json = r.out().isBlank() ? "[]" : r.out();
        try {
            for (JsonNode c : JSON.readTree(json)) {
                Map<String, String> labels = new TreeMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = c.path("Config").path("Labels").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> l = it.next();
                    labels.put(l.getKey(), l.getValue().asText());
                }
                String n = c.path("Name").asText().replaceFirst("^/", "");
                out.put(n, new Container(c.path("Id").asText(), n, c.path("State").path("Status").asText(),
                        c.path("State").path("Health").path("Status").asText(""), c.path("State").path("StartedAt").asText(""), labels));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse docker inspect output: " + e.getMessage(), e);
        }
        return out;
    }

    private List<Container> serviceContainers(String service) {
        return containersByName().values().stream().filter(c -> !c.oneOff() && c.service().equals(service)).toList();
    }

    /** {@code ServiceState(service, state)}: the service has containers and all are in {@code state}. */
    Scenario serviceState(String service, String state) {
        List<Container> cs = serviceContainers(service);
        assertThat(cs).as("containers of service %s in project %s", service, project).isNotEmpty();
        assertThat(cs).as("state of service %s's containers", service).allSatisfy(c -> assertThat(c.state()).as(c.name()).isEqualTo(state));
        return this;
    }

    /** {@code ServiceHealthy(service)}: the service has containers and docker reports all of them healthy. */
    Scenario serviceHealthy(String service) {
        List<Container> cs = serviceContainers(service);
        assertThat(cs).as("containers of service %s in project %s", service, project).isNotEmpty();
        assertThat(cs).as("health of service %s's containers", service).allSatisfy(c -> assertThat(c.health()).as(c.name()).isEqualTo("healthy"));
        return this;
    }

    /** {@code ServiceNotCreated(service)}: no container of the service exists, one-off containers included. */
    Scenario serviceNotCreated(String service) {
        assertThat(containersByName().values().stream().filter(c -> c.service().equals(service)).map(Container::name).toList())
                .as("containers of service %s (one-offs included)", service).isEmpty();
        return this;
    }

    private List<Container> oneOffs(Map<String, Container> cs, String service) {
        return cs.values().stream().filter(c -> c.oneOff() && c.service().equals(service)).toList();
    }

    /** {@code OneOffState(service, state)}: the service has one-off containers and all are in {@code state}. */
    Scenario oneOffState(String service, String state) {
        List<Container> cs = oneOffs(containersByName(), service);
        assertThat(cs).as("one-off containers of service %s", service).isNotEmpty();
        assertThat(cs).as("state of service %s's one-offs", service).allSatisfy(c -> assertThat(c.state()).as(c.name()).isEqualTo(state));
        return this;
    }

    /**
     * {@code OneOffsUntouched(service)}: the one-offs the service had before the last compose command are exactly the
     * ones it has now, in the same state, with the same start time (neither restarted nor removed).
     */
    Scenario oneOffsUntouched(String service) {
        List<Container> was = oneOffs(before, service);
        assertThat(was).as("service %s had one-off containers before the last compose command", service).isNotEmpty();
        List<Container> now = oneOffs(containersByName(), service);
        assertThat(now.stream().map(Container::id).toList()).as("one-off containers of %s", service)
                .isEqualTo(was.stream().map(Container::id).toList());
        for (int i = 0; i < was.size(); i++) {
            assertThat(now.get(i).state() + " started " + now.get(i).startedAt()).as("one-off %s touched?", was.get(i).name())
                    .isEqualTo(was.get(i).state() + " started " + was.get(i).startedAt());
        }
        return this;
    }

    /** {@code OneOffsRemoved(service)}: the service had one-offs before the last compose command, and has none now. */
    Scenario oneOffsRemoved(String service) {
        assertThat(oneOffs(before, service)).as("service %s had one-off containers before the last compose command", service).isNotEmpty();
        assertThat(oneOffs(containersByName(), service).stream().map(Container::name).toList()).as("one-offs of %s still present", service)
                .isEmpty();
        return this;
    }

    /** {@code ReplicaNumbers(service, n…)}: the service's containers carry exactly these container numbers. */
    Scenario replicaNumbers(String service, Integer... numbers) {
        TreeSet<Integer> actual = new TreeSet<>();
        for (Container c : serviceContainers(service)) actual.add(Integer.parseInt(c.labels().getOrDefault(NUMBER_LABEL, "0")));
        assertThat(actual).as("replica numbers of %s", service).containsExactlyInAnyOrder(numbers);
        return this;
    }

    /**
     * {@code NotRecreated(service…)}: every container the service had before the last compose command still exists
     * under the same name with the same id (the service must have had one).
     */
    Scenario notRecreated(String... services) {
        Map<String, Container> now = containersByName();
        for (String service : services) {
            List<Container> was = before.values().stream().filter(c -> !c.oneOff() && c.service().equals(service)).toList();
            assertThat(was).as("service %s had containers before the last compose command", service).isNotEmpty();
            for (Container c : was) {
                assertThat(now.get(c.name())).as("container %s after the last compose command", c.name()).isNotNull();
                assertThat(now.get(c.name()).id()).as("id of %s (recreated?)", c.name()).isEqualTo(c.id());
            }
        }
        return this;
    }

    /** {@code LabelUnchanged(service, label)}: the label's value on the service's containers is what it was before. */
    Scenario labelUnchanged(String service, String label) {
        Map<String, String> was = labels(before.values().stream(), service, label);
        assertThat(was).as("service %s had containers before the last compose command", service).isNotEmpty();
        assertThat(labels(containersByName().values().stream(), service, label)).as("label %s of %s", label, service).isEqualTo(was);
        return this;
    }

    private static Map<String, String> labels(Stream<Container> cs, String service, String label) {
        Map<String, String> m = new LinkedHashMap<>();
        cs.filter(c -> !c.oneOff() && c.service().equals(service)).forEach(c -> m.put(c.name(), c.labels().get(label)));
        return m;
    }

    /** {@code Eventually(check, timeout)}: retries the check (any assertion) until it passes or time runs out. */
    Scenario eventually(Runnable check, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(check::run);
        return this;
    }

    // ---- teardown ----

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        try {
            CmdResult down = runInProcess(List.of("down", "-v", "--remove-orphans", "-t", "0"), lastStepEnv, "", DEFAULT_WITHIN);
            if (down.exitCode() != 0) problems.add("down: " + CmdResult.flat(down.output()));
        } catch (AssertionError | RuntimeException e) {
            problems.add("down: " + e.getMessage());
        }
        // Whatever down left (or a down that could not load the project): remove it by label, so no test leaks.
        String filter = "label=" + PROJECT_LABEL + "=" + project;
        removeAll(List.of("ps", "-a", "-q", "--filter", filter), List.of("rm", "-f", "-v"), problems);
        removeAll(List.of("network", "ls", "-q", "--filter", filter), List.of("network", "rm"), problems);
        removeAll(List.of("volume", "ls", "-q", "--filter", filter), List.of("volume", "rm", "-f"), problems);
        for (Runnable r : deferred) {
            try {
                r.run();
            } catch (RuntimeException e) {
                problems.add("deferred clean-up: " + e.getMessage());
            }
        }
        TestFiles.deleteTree(dir, dir.getParent());
        // Left-overs are not the scenario's verdict, but they must be visible in the test output.
        if (!problems.isEmpty()) System.err.println("e2e " + name + " (" + project + ") teardown: " + String.join("; ", problems));
    }

    private void removeAll(List<String> list, List<String> remove, List<String> problems) {
        Exec.Result ids = dockerd.docker(list.toArray(String[]::new));
        List<String> found = Arrays.stream(ids.out().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        if (found.isEmpty()) return;
        problems.add("left behind by down: " + list.get(0) + " " + found);
        List<String> cmd = new ArrayList<>(remove);
        cmd.addAll(found);
        Exec.Result r = dockerd.docker(cmd.toArray(String[]::new));
        if (!r.ok()) problems.add(String.join(" ", cmd) + ": " + r.err().strip());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
