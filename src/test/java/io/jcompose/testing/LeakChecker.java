package io.jcompose.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds host objects that tests may leave behind, and compares them with a baseline taken before the suite:
 * overlay mounts outside /var/lib/docker, network namespaces in /run/netns, veth and bridge links that are not
 * Docker's (docker0, br-&lt;12 hex&gt; and veths attached to them), iptables rules mentioning JCOMPOSE (every
 * table), cgroups whose name contains "jcompose", conmon/runc/crun processes, {@code jcompose engine}
 * processes, and dockerd containers labelled {@value Dockerd#TEST_LABEL}.
 *
 * <pre>
 *   java -cp … io.jcompose.testing.LeakChecker snapshot target/leak-baseline.txt
 *   java -cp … io.jcompose.testing.LeakChecker check target/leak-baseline.txt   # exit 1 and one line per leak
 * </pre>
 */
public final class LeakChecker {
    /** One host object; {@code kind} is mount, netns, link, iptables, cgroup, process, engine or container. */
    public record Leak(String kind, String id) implements Comparable<Leak> {
        @Override public int compareTo(Leak o) {
            int c = kind.compareTo(o.kind);
            return c != 0 ? c : id.compareTo(o.id);
        }

        @Override public String toString() {
            return kind + "\t" + id;
        }
    }

    private static final Pattern DOCKER_BRIDGE = Pattern.compile("docker0|br-[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LeakChecker() {}

    /** Everything on the host right now that would count as a leak if it was not there before. */
    public static SortedSet<Leak> snapshot() {
        SortedSet<Leak> all = new TreeSet<>();
        all.addAll(overlayMounts(read(Path.of("/proc/self/mountinfo"))));
        all.addAll(netns(Path.of("/run/netns")));
        Exec.Result links = Exec.run("ip", "-d", "-j", "link", "show");
        if (links.ok()) all.addAll(links(links.out()));
        Exec.Result rules = Exec.run("iptables-save");
        if (rules.ok()) all.addAll(iptables(rules.out()));
        all.addAll(cgroups(Path.of("/sys/fs/cgroup")));
        all.addAll(processes(Path.of("/proc")));
        all.addAll(containers(Path.of(Infra.setting("jcompose.test.dockerSocket", "JCOMPOSE_TEST_DOCKER_SOCKET",
                Dockerd.DEFAULT_SOCKET.toString()))));
        return all;
    }

    /** What is in {@code now} but not in {@code baseline}. */
    public static SortedSet<Leak> leaks(Set<Leak> baseline, Set<Leak> now) {
        SortedSet<Leak> d = new TreeSet<>(now);
        d.removeAll(baseline);
        return d;
    }

    static List<Leak> overlayMounts(String mountinfo) {
        List<Leak> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] halves = line.split(" - ", 2);
            if (halves.length < 2) continue;
            String[] f = halves[0].split(" ");
            String fstype = halves[1].split(" ")[0];
            if (f.length < 5 || !fstype.equals("overlay")) continue;
            String mountpoint = f[4].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
            if (mountpoint.startsWith("/var/lib/docker/")) continue;
            out.add(new Leak("mount", mountpoint));
        }
        return out;
    }

    static List<Leak> netns(Path dir) {
        List<Leak> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> out.add(new Leak("netns", p.getFileName().toString())));
        } catch (IOException e) {
            out.add(new Leak("netns", "(cannot list " + dir + ": " + e.getMessage() + ")"));
        }
        return out;
    }

    /** {@code ip -d -j link show} output → bridges and veths that are not Docker's. */
    static List<Leak> links(String ipJson) {
        List<Leak> out = new ArrayList<>();
        try {
            for (JsonNode l : JSON.readTree(ipJson)) {
                String name = l.path("ifname").asText();
                String kind = l.path("linkinfo").path("info_kind").asText("");
                String master = l.path("master").asText("");
                if (kind.equals("bridge") && !DOCKER_BRIDGE.matcher(name).matches()) out.add(new Leak("link", "bridge " + name));
                if (kind.equals("veth") && !DOCKER_BRIDGE.matcher(master).matches()) out.add(new Leak("link", "veth " + name));
            }
        } catch (IOException e) {
            out.add(new Leak("link", "(cannot parse ip -j output: " + e.getMessage() + ")"));
        }
        return out;
    }

    /** {@code iptables-save} output → every line mentioning JCOMPOSE, prefixed with its table, counters removed. */
    static List<Leak> iptables(String save) {
        List<Leak> out = new ArrayList<>();
        String table = "?";
        for (String line : save.split("\n")) {
            if (line.startsWith("*")) table = line.substring(1).strip();
            else if (line.contains("JCOMPOSE")) out.add(new Leak("iptables", table + ": " + line.replaceAll(" \\[\\d+:\\d+\\]$", "").strip()));
        }
        return out;
    }

    static List<Leak> cgroups(Path root) {
        List<Leak> out = new ArrayList<>();
        cgroupWalk(root, 0, out);
        return out;
    }

    private static void cgroupWalk(Path dir, int depth, List<Leak> out) {
        if (depth > 5) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).contains("jcompose")) out.add(new Leak("cgroup", p.toString()));
                else cgroupWalk(p, depth + 1, out);
            }
        } catch (IOException e) {
            // cgroup directories vanish while we walk; that is not a leak
        }
    }

    static List<Leak> processes(Path proc) {
        List<Leak> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> s = Files.list(proc)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                if (Long.parseLong(p.getFileName().toString()) == self) continue;
                String comm = read(p.resolve("comm")).strip();
                List<String> args = List.of(read(p.resolve("cmdline")).split("\0"));
                Leak l = process(p.getFileName().toString(), comm, args);
                if (l != null) out.add(l);
            }
        } catch (IOException e) {
            out.add(new Leak("process", "(cannot list " + proc + ": " + e.getMessage() + ")"));
        }
        return out;
    }

    /** A conmon/runc/crun process (or the engine's shell about to exec conmon), or a jcompose engine (an arg named jcompose, jcompose.jar or io.jcompose.Main followed by "engine"). */
    static Leak process(String pid, String comm, List<String> args) {
        if (Set.of("conmon", "runc", "crun").contains(comm)) return new Leak("process", comm + " " + pid);
        // The engine starts conmon through a shell (sh -c 'exec "$@" 3<>FIFO' conmon /usr/bin/conmon …): a shell
        // that never got to exec it is a leak too, though its name is sh.
        if (args.size() > 4 && args.stream().skip(3).anyMatch(x -> x.endsWith("/conmon"))) return new Leak("process", "conmon launcher " + pid);
        for (int i = 0; i + 1 < args.size(); i++) {
            String base = args.get(i).substring(args.get(i).lastIndexOf('/') + 1);
            if (Set.of("jcompose", "jcompose.jar", "io.jcompose.Main").contains(base) && args.get(i + 1).equals("engine")) {
                return new Leak("engine", pid + " " + String.join(" ", args.subList(i, Math.min(args.size(), i + 6))));
            }
        }
        return null;
    }

    static List<Leak> containers(Path socket) {
        List<Leak> out = new ArrayList<>();
        if (!UnixHttp.pingOk(socket)) return out;
        try {
            String filter = java.net.URLEncoder.encode("{\"label\":[\"" + Dockerd.TEST_LABEL + "\"]}", StandardCharsets.UTF_8);
            UnixHttp.Response r = UnixHttp.get(socket, "/containers/json?all=1&filters=" + filter);
            for (JsonNode c : JSON.readTree(r.body())) {
                out.add(new Leak("container", c.path("Id").asText().substring(0, 12) + " " + c.path("Names").path(0).asText()));
            }
        } catch (IOException | RuntimeException e) {
            out.add(new Leak("container", "(cannot list containers on " + socket + ": " + e.getMessage() + ")"));
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // processes exit while we look
        }
    }

    public static void write(Path file, Set<Leak> leaks) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Leak l : leaks) sb.append(l).append('\n');
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb);
    }

    public static SortedSet<Leak> readFile(Path file) throws IOException {
        SortedSet<Leak> out = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            String[] kv = line.split("\t", 2);
            if (kv.length == 2) out.add(new Leak(kv[0], kv[1]));
        }
        return out;
    }

    /** {@code snapshot FILE} writes the baseline; {@code check [FILE]} prints leaks since it and exits 1 if any. */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("snapshot")) {
            write(Path.of(args[1]), snapshot());
            return;
        }
        if (args.length >= 1 && args.length <= 2 && args[0].equals("check")) {
            Set<Leak> baseline = args.length == 2 ? readFile(Path.of(args[1])) : Set.of();
            SortedSet<Leak> leaks = leaks(baseline, snapshot());
            if (leaks.isEmpty()) {
                System.out.println("leak check: nothing left behind");
                return;
            }
            System.out.println("leak check: " + leaks.size() + " object(s) left behind by the tests:");
            leaks.forEach(l -> System.out.println("  " + l.kind() + ": " + l.id()));
            System.exit(1);
        }
        System.err.println("usage: LeakChecker snapshot FILE | check [BASELINE]");
        System.exit(2);
    }
}
