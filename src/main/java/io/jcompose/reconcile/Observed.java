package io.jcompose.reconcile;

import io.jcompose.runtime.ContainerInfo;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.ImageInfo;
import io.jcompose.runtime.NetworkInfo;
import io.jcompose.runtime.VolumeInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the engine reports for one project, read once (by the {@value Labels#PROJECT} label) before planning:
 * its containers (stopped ones too), networks and volumes, and the local images (reference → id) so the plan
 * knows what needs pulling and whether a container runs an outdated image.
 *
 * @param images image reference (normalised: {@code busybox} → {@code busybox:latest}) → image id
 */
public record Observed(String project, List<Container> containers, List<NetworkInfo> networks, List<VolumeInfo> volumes,
                       SortedMap<String, String> images) {
    public Observed {
        containers = containers.stream().sorted(Comparator.comparing(Container::name)).toList();
        networks = List.copyOf(networks);
        volumes = List.copyOf(volumes);
        images = new TreeMap<>(images);
    }

    public static Observed empty(String project) {
        return new Observed(project, List.of(), List.of(), List.of(), new TreeMap<>());
    }

    /**
     * One container as observed.
     *
     * @param status   {@code running}, {@code exited}, {@code created}, …
     * @param networks the engine names of the networks it is attached to
     */
    public record Container(String id, String name, SortedMap<String, String> labels, String status, String imageId,
                            SortedSet<String> networks) {
        public Container {
            labels = new TreeMap<>(labels);
            networks = new TreeSet<>(networks);
        }

        public String service() {
            return labels.getOrDefault(Labels.SERVICE, "");
        }

        /** The replica number; 0 when the label is missing or not a number. */
        public int number() {
            try {
                return Integer.parseInt(labels.getOrDefault(Labels.CONTAINER_NUMBER, "0"));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        public boolean oneoff() {
            return "True".equalsIgnoreCase(labels.getOrDefault(Labels.ONEOFF, "False"));
        }

        public boolean running() {
            return "running".equals(status) || "restarting".equals(status) || "paused".equals(status);
        }
    }

    /**
     * Reads the project's state: one list call per kind, one inspect per container (for its networks and image id).
     */
    public static Observed read(ContainerRuntime runtime, String project) {
        List<String> filter = List.of(Labels.projectFilter(project));
        List<Container> containers = new ArrayList<>();
        for (ContainerInfo i : inspectAll(runtime, runtime.containers().list(filter, true))) {
            containers.add(new Container(i.id(), i.name(), i.labels(), i.state().status(), i.imageId(), new TreeSet<>(i.networks().keySet())));
        }
        SortedMap<String, String> images = new TreeMap<>();
        for (ImageInfo img : runtime.images().list(List.of())) {
            for (String tag : img.repoTags()) images.put(normalise(tag), img.id());
            for (String digest : img.repoDigests()) images.put(digest, img.id());
        }
        return new Observed(project, containers, runtime.networks().list(filter), runtime.volumes().list(filter), images);
    }

    /**
     * Inspects the listed containers, in list order, several at a time: serially, a no-op {@code up} of 30 services
     * spent most of its engine time waiting on one inspect after another. Containers removed between list and
     * inspect are left out (they are gone, which is what we saw).
     */
    private static List<ContainerInfo> inspectAll(ContainerRuntime runtime, List<ContainerSummary> listed) {
        int threads = Math.min(8, listed.size());
        if (threads <= 1) {
            List<ContainerInfo> out = new ArrayList<>();
            for (ContainerSummary s : listed) inspect(runtime, s).ifPresent(out::add);
            return out;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jcompose-observe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<java.util.Optional<ContainerInfo>>> futures = new ArrayList<>();
            for (ContainerSummary s : listed) futures.add(pool.submit(() -> inspect(runtime, s)));
            List<ContainerInfo> out = new ArrayList<>();
            for (var f : futures) {
                try {
                    f.get().ifPresent(out::add);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading the project's containers", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static java.util.Optional<ContainerInfo> inspect(ContainerRuntime runtime, ContainerSummary s) {
        try {
            return java.util.Optional.of(runtime.containers().inspect(s.id()));
        } catch (EngineException e) {
            if (!e.isNotFound()) throw e;
            return java.util.Optional.empty();
        }
    }

    /**
     * {@code busybox} → {@code busybox:latest}; references with a tag or digest keep it. Docker Hub names lose their
     * registry prefix ({@code docker.io/library/busybox} → {@code busybox}, {@code docker.io/u/x} → {@code u/x}):
     * Podman lists images fully qualified where Docker lists the familiar form, and the Compose file may say either.
     */
    public static String normalise(String ref) {
        for (String hub : new String[] {"docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"}) {
            if (ref.startsWith(hub)) {
                ref = ref.substring(hub.length());
                break;
            }
        }
        if (ref.contains("@")) return ref;
        int slash = ref.lastIndexOf('/');
        return ref.indexOf(':', slash + 1) >= 0 ? ref : ref + ":latest";
    }

    public java.util.Optional<String> imageId(String ref) {
        return java.util.Optional.ofNullable(images.get(normalise(ref)));
    }

    /** Service containers (not one-off) of a service, by number. */
    public SortedMap<Integer, Container> containersOf(String service) {
        SortedMap<Integer, Container> out = new TreeMap<>();
        for (Container c : containers) {
            if (!c.oneoff() && c.service().equals(service)) out.putIfAbsent(c.number(), c);
        }
        return out;
    }

    public java.util.Optional<NetworkInfo> network(String name) {
        return networks.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public boolean hasNetwork(String name) {
        return networks.stream().anyMatch(n -> n.name().equals(name));
    }

    public boolean hasVolume(String name) {
        return volumes.stream().anyMatch(v -> v.name().equals(name));
    }

    Map<String, String> labelsOfNetwork(String name) {
        return networks.stream().filter(n -> n.name().equals(name)).findFirst().map(NetworkInfo::labels).orElse(new TreeMap<>());
    }
}
