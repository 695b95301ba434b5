package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code config} object of an image, as dockerd's classic builder writes it (moby's {@code container.Config}):
 * the same fields in the same order, with Go's omitempty/null rules, so our images and dockerd's compare equal.
 * Env keeps the author's order (a replaced variable keeps its place); maps are sorted as Go marshals them.
 */
public record ContainerConfig(String user, SortedSet<String> exposedPorts, List<String> env,
                              Optional<List<String>> cmd, Optional<Health> healthcheck, String image,
                              SortedSet<String> volumes, String workingDir, Optional<List<String>> entrypoint,
                              List<String> onBuild, SortedMap<String, String> labels, String stopSignal,
                              List<String> shell) {
    // cmd/entrypoint: empty Optional is JSON null (inherit nothing); an empty list is [] (explicitly empty).

    /** Docker's HealthConfig; zero durations and retries are omitted as Go's omitempty does. */
    public record Health(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                         Duration startInterval, int retries) {
        public Health {
            test = List.copyOf(test);
        }
    }

    public ContainerConfig {
        exposedPorts = new TreeSet<>(exposedPorts);
        env = List.copyOf(env);
        cmd = cmd.map(List::copyOf);
        volumes = new TreeSet<>(volumes);
        entrypoint = entrypoint.map(List::copyOf);
        onBuild = List.copyOf(onBuild);
        labels = new TreeMap<>(labels);
        shell = List.copyOf(shell);
    }

    public static ContainerConfig empty() {
        return new ContainerConfig("", new TreeSet<>(), List.of(), Optional.empty(), Optional.empty(), "",
                new TreeSet<>(), "", Optional.empty(), List.of(), new TreeMap<>(), "", List.of());
    }

    /** The value of {@code name} in Env, if set. */
    public Optional<String> envValue(String name) {
        for (String e : env) {
            int i = e.indexOf('=');
            String k = i < 0 ? e : e.substring(0, i);
            if (k.equals(name)) return Optional.of(i < 0 ? "" : e.substring(i + 1));
        }
        return Optional.empty();
    }

    /** Env as a map, last value wins, author's order. */
    public Map<String, String> envMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : env) {
            int i = e.indexOf('=');
            m.put(i < 0 ? e : e.substring(0, i), i < 0 ? "" : e.substring(i + 1));
        }
        return m;
    }

    /** Sets {@code name}: replaced in place when present (as dockerd does), else appended. */
    public ContainerConfig withEnv(String name, String value) {
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        for (String e : env) {
            int i = e.indexOf('=');
            String k = i < 0 ? e : e.substring(0, i);
            if (k.equals(name)) {
                if (!replaced) out.add(name + "=" + value);
                replaced = true;
            } else out.add(e);
        }
        if (!replaced) out.add(name + "=" + value);
        return new ContainerConfig(user, exposedPorts, out, cmd, healthcheck, image, volumes, workingDir, entrypoint,
                onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withUser(String u) {
        return new ContainerConfig(u, exposedPorts, env, cmd, healthcheck, image, volumes, workingDir, entrypoint, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withExposedPort(String p) {
        SortedSet<String> s = new TreeSet<>(exposedPorts);
        s.add(p);
        return new ContainerConfig(user, s, env, cmd, healthcheck, image, volumes, workingDir, entrypoint, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withCmd(Optional<List<String>> c) {
        return new ContainerConfig(user, exposedPorts, env, c, healthcheck, image, volumes, workingDir, entrypoint, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withEntrypoint(Optional<List<String>> e) {
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, volumes, workingDir, e, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withHealthcheck(Optional<Health> h) {
        return new ContainerConfig(user, exposedPorts, env, cmd, h, image, volumes, workingDir, entrypoint, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withImage(String i) {
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, i, volumes, workingDir, entrypoint, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withVolume(String v) {
        SortedSet<String> s = new TreeSet<>(volumes);
        s.add(v);
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, s, workingDir, entrypoint, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withWorkingDir(String w) {
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, volumes, w, entrypoint, onBuild, labels, stopSignal, shell);
    }

    public ContainerConfig withOnBuild(String trigger) {
        List<String> o = new ArrayList<>(onBuild);
        o.add(trigger);
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, volumes, workingDir, entrypoint, o, labels, stopSignal, shell);
    }

    /** ONBUILD triggers are consumed by the child build and not inherited (as dockerd). */
    public ContainerConfig withoutOnBuild() {
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, volumes, workingDir, entrypoint, List.of(), labels, stopSignal, shell);
    }

    public ContainerConfig withLabel(String k, String v) {
        SortedMap<String, String> l = new TreeMap<>(labels);
        l.put(k, v);
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, volumes, workingDir, entrypoint, onBuild, l, stopSignal, shell);
    }

    public ContainerConfig withStopSignal(String s) {
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, volumes, workingDir, entrypoint, onBuild, labels, s, shell);
    }

    public ContainerConfig withShell(List<String> s) {
        return new ContainerConfig(user, exposedPorts, env, cmd, healthcheck, image, volumes, workingDir, entrypoint, onBuild, labels, stopSignal, s);
    }

    /** The shell for shell-form RUN/CMD/ENTRYPOINT: SHELL if set, else /bin/sh -c. */
    public List<String> effectiveShell() {
        return shell.isEmpty() ? List.of("/bin/sh", "-c") : shell;
    }

    /** The JSON object dockerd writes under "config" (field order and null/omitempty rules of container.Config). */
    public ObjectNode toJson(ObjectMapper m) {
        ObjectNode c = m.createObjectNode();
        c.put("Hostname", "");
        c.put("Domainname", "");
        c.put("User", user);
        c.put("AttachStdin", false);
        c.put("AttachStdout", false);
        c.put("AttachStderr", false);
        if (!exposedPorts.isEmpty()) {
            ObjectNode p = c.putObject("ExposedPorts");
            exposedPorts.forEach(x -> p.putObject(x));
        }
        c.put("Tty", false);
        c.put("OpenStdin", false);
        c.put("StdinOnce", false);
        strings(c, "Env", env.isEmpty() ? Optional.empty() : Optional.of(env));
        strings(c, "Cmd", cmd);
        healthcheck.ifPresent(h -> {
            ObjectNode o = c.putObject("Healthcheck");
            ArrayNode t = o.putArray("Test");
            h.test().forEach(t::add);
            if (!h.interval().isZero()) o.put("Interval", h.interval().toNanos());
            if (!h.timeout().isZero()) o.put("Timeout", h.timeout().toNanos());
            if (!h.startPeriod().isZero()) o.put("StartPeriod", h.startPeriod().toNanos());
            if (!h.startInterval().isZero()) o.put("StartInterval", h.startInterval().toNanos());
            if (h.retries() != 0) o.put("Retries", h.retries());
        });
        c.put("Image", image);
        if (volumes.isEmpty()) c.putNull("Volumes");
        else {
            ObjectNode v = c.putObject("Volumes");
            volumes.forEach(x -> v.putObject(x));
        }
        c.put("WorkingDir", workingDir);
        strings(c, "Entrypoint", entrypoint);
        strings(c, "OnBuild", onBuild.isEmpty() ? Optional.empty() : Optional.of(onBuild));
        if (labels.isEmpty()) c.putNull("Labels");
        else {
            ObjectNode l = c.putObject("Labels");
            labels.forEach(l::put);
        }
        if (!stopSignal.isEmpty()) c.put("StopSignal", stopSignal);
        if (!shell.isEmpty()) strings(c, "Shell", Optional.of(shell));
        return c;
    }

    private static void strings(ObjectNode c, String key, Optional<List<String>> v) {
        if (v.isEmpty()) {
            c.putNull(key);
            return;
        }
        ArrayNode a = c.putArray(key);
        v.get().forEach(a::add);
    }

    /** Reads the "config" object of a base image (either Docker's or an OCI one with fewer fields). */
    public static ContainerConfig fromJson(JsonNode c) {
        if (c == null || c.isNull()) return empty();
        SortedSet<String> ports = new TreeSet<>();
        if (c.has("ExposedPorts") && c.get("ExposedPorts").isObject()) c.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        SortedSet<String> vols = new TreeSet<>();
        if (c.has("Volumes") && c.get("Volumes").isObject()) c.get("Volumes").fieldNames().forEachRemaining(vols::add);
        SortedMap<String, String> labels = new TreeMap<>();
        if (c.has("Labels") && c.get("Labels").isObject()) c.get("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Optional<Health> health = Optional.empty();
        JsonNode h = c.get("Healthcheck");
        if (h != null && h.isObject()) {
            health = Optional.of(new Health(list(h.get("Test")).orElse(List.of()), Duration.ofNanos(h.path("Interval").asLong()),
                    Duration.ofNanos(h.path("Timeout").asLong()), Duration.ofNanos(h.path("StartPeriod").asLong()),
                    Duration.ofNanos(h.path("StartInterval").asLong()), h.path("Retries").asInt()));
        }
        return new ContainerConfig(c.path("User").asText(""), ports, list(c.get("Env")).orElse(List.of()),
                list(c.get("Cmd")), health, c.path("Image").asText(""), vols, c.path("WorkingDir").asText(""),
                list(c.get("Entrypoint")), list(c.get("OnBuild")).orElse(List.of()), labels,
                c.path("StopSignal").asText(""), list(c.get("Shell")).orElse(List.of()));
    }

    private static Optional<List<String>> list(JsonNode n) {
        if (n == null || !n.isArray()) return Optional.empty();
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return Optional.of(out);
    }
}
