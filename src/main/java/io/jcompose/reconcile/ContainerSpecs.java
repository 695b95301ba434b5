package io.jcompose.reconcile;

import io.jcompose.model.Dependency;
import io.jcompose.model.Healthcheck;
import io.jcompose.model.Mount;
import io.jcompose.model.Network;
import io.jcompose.model.Port;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.Volume;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.DeviceMapping;
import io.jcompose.runtime.HealthcheckSpec;
import io.jcompose.runtime.LogConfig;
import io.jcompose.runtime.MountSpec;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.PortBinding;
import io.jcompose.runtime.Resources;
import io.jcompose.runtime.RestartPolicy;
import io.jcompose.runtime.Ulimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Service → {@link ContainerSpec}: names, labels and every field the runtime understands. Compose's names:
 * containers {@code <project>-<service>-<n>} (or {@code container_name}), networks and volumes by the model's
 * engine names ({@code <project>_<key>} unless named). {@code service:x} references (network_mode, ipc, pid,
 * volumes_from) point at container 1 of x, as docker compose does.
 */
public final class ContainerSpecs {
    private ContainerSpecs() {}

    /** The container name of replica {@code number} of a service. */
    /**
     * A project extension the CLI adds for {@code --compatibility} (or {@code COMPOSE_COMPATIBILITY=true}): container
     * names use docker-compose v1's {@code _} separator, {@code <project>_<service>_<n>}.
     */
    public static final String COMPATIBILITY = "x-jcompose-compatibility";

    public static String containerName(Project p, Service s, int number) {
        String sep = p.extensions().containsKey(COMPATIBILITY) ? "_" : "-";
        return s.containerName().orElse(p.name() + sep + s.name() + sep + number);
    }

    /** The image a service's containers run: {@code image:}, else the name a build would give it. */
    public static String image(Project p, Service s) {
        return s.image().orElse(p.name() + "-" + s.name());
    }

    /**
     * The full spec of one container.
     *
     * @param context  the config files, jcompose version and (when known) the image id for the labels
     */
    public static ContainerSpec spec(Project p, Service s, int number, SpecContext context) {
        ContainerSpec.Builder b = ContainerSpec.builder(image(p, s)).name(containerName(p, s, number));
        b.labels(s.labels());
        b.label(Labels.PROJECT, p.name())
                .label(Labels.SERVICE, s.name())
                .label(Labels.CONTAINER_NUMBER, Integer.toString(number))
                .label(Labels.ONEOFF, "False")
                .label(Labels.WORKING_DIR, p.workingDir().toString())
                .label(Labels.CONFIG_FILES, String.join(",", context.configFiles()))
                .label(Labels.CONFIG_HASH, ConfigHash.of(s, p, context.files()))
                .label(Labels.CONFIG_FIELDS, ConfigHash.fieldDigests(s, p, context.files()))
                .label(Labels.VERSION, context.version());
        if (!s.dependsOn().isEmpty()) b.label(Labels.DEPENDS_ON, dependsOnLabel(s));
        context.imageId().ifPresent(id -> b.label(Labels.IMAGE, id));

        s.command().ifPresent(b::command);
        s.entrypoint().ifPresent(b::entrypoint);
        // An Optional.empty() value means "listed without a value and unset in the shell": not passed at all.
        s.environment().forEach((k, v) -> v.ifPresent(val -> b.env(k, val)));
        s.workingDir().ifPresent(b::workingDir);
        s.user().ifPresent(b::user);
        s.hostname().ifPresent(b::hostname);
        s.domainname().ifPresent(b::domainname);
        for (Port port : s.ports()) {
            b.port(PortBinding.published(port.target(), port.protocol(), port.hostIp().orElse(""), port.published().orElse("")));
        }
        for (String e : s.expose()) {
            String[] pp = e.split("/", 2);
            if (pp[0].contains("-")) continue; // ranges: exposing is informational for a single engine
            b.port(PortBinding.exposed(Integer.parseInt(pp[0]), pp.length > 1 ? pp[1] : "tcp"));
        }
        for (Mount m : s.volumes()) mount(p, m).ifPresent(b::mount);
        for (String t : s.tmpfs()) {
            int colon = t.indexOf(':');
            if (colon < 0) b.tmpfs(t, "");
            else b.tmpfs(t.substring(0, colon), t.substring(colon + 1));
        }
        for (String vf : s.volumesFrom()) b.volumesFrom(volumesFrom(p, vf));
        if (s.networkMode().isPresent()) {
            b.networkMode(serviceRef(p, s.networkMode().get()));
        } else {
            // The service-level mac_address belongs to the primary (first by name) network's endpoint, as docker
            // compose does (a per-network mac_address wins); the Docker client moves it to Config.MacAddress for
            // engines older than API 1.44.
            java.util.SortedMap<String, NetworkAttachment> endpoints = new java.util.TreeMap<>();
            s.networks().forEach((key, att) -> {
                Network n = p.networks().get(key);
                List<String> aliases = new ArrayList<>();
                aliases.add(s.name());
                att.aliases().stream().filter(a -> !aliases.contains(a)).forEach(aliases::add);
                endpoints.put(n == null ? key : n.name(), new NetworkAttachment(aliases, att.ipv4Address().orElse(""),
                        att.ipv6Address().orElse(""), List.of(), att.macAddress().orElse("")));
            });
            if (s.macAddress().isPresent() && !endpoints.isEmpty()) {
                NetworkAttachment first = endpoints.get(endpoints.firstKey());
                if (first.macAddress().isEmpty()) {
                    endpoints.put(endpoints.firstKey(), new NetworkAttachment(first.aliases(), first.ipv4Address(), first.ipv6Address(),
                            first.links(), s.macAddress().get()));
                }
            }
            endpoints.forEach(b::network);
        }
        b.restartPolicy(new RestartPolicy(s.restart().policy().dockerName(), s.restart().maxAttempts()));
        s.healthcheck().ifPresent(h -> b.healthcheck(healthcheck(h)));
        s.stopSignal().ifPresent(b::stopSignal);
        s.stopGracePeriod().ifPresent(b::stopTimeout);
        s.capAdd().forEach(b::capAdd);
        s.capDrop().forEach(b::capDrop);
        b.privileged(s.privileged()).readOnlyRootfs(s.readOnly());
        b.resources(resources(s));
        s.ulimits().forEach((name, u) -> b.ulimit(new Ulimit(name, u.soft(), u.hard())));
        s.sysctls().forEach(b::sysctl);
        s.extraHosts().forEach(b::extraHost);
        s.dns().forEach(b::dns);
        s.dnsSearch().forEach(b::dnsSearch);
        s.dnsOpt().forEach(b::dnsOption);
        s.init().ifPresent(b::init);
        s.shmSizeBytes().ifPresent(b::shmSizeBytes);
        s.ipc().ifPresent(v -> b.ipcMode(serviceRef(p, v)));
        s.pid().ifPresent(v -> b.pidMode(serviceRef(p, v)));
        b.tty(s.tty()).openStdin(s.stdinOpen());
        s.logging().ifPresent(l -> b.logConfig(new LogConfig(l.driver().orElse(""), l.options())));
        s.securityOpt().forEach(b::securityOpt);
        for (String d : s.devices()) {
            String[] parts = d.split(":");
            if (parts.length == 1) b.device(new DeviceMapping(parts[0], parts[0], "rwm"));
            else b.device(new DeviceMapping(parts[0], parts[1], parts.length > 2 ? parts[2] : "rwm"));
        }
        s.groupAdd().forEach(b::groupAdd);
        s.runtime().ifPresent(b::runtime);
        context.files().of(p, s).forEach(b::file);
        return b.build();
    }

    /**
     * Labels and version that are not part of the service itself, and the bytes of the secrets and configs.
     *
     * @param files where secret/config sources are read (the 3-argument form: files and content, no environment)
     */
    public record SpecContext(List<String> configFiles, String version, Optional<String> imageId, FileContents files) {
        public SpecContext {
            configFiles = List.copyOf(configFiles);
            version = version == null ? "" : version;
            imageId = imageId == null ? Optional.empty() : imageId;
            files = files == null ? FileContents.NO_ENVIRONMENT : files;
        }

        public SpecContext(List<String> configFiles, String version, Optional<String> imageId) {
            this(configFiles, version, imageId, FileContents.NO_ENVIRONMENT);
        }

        public SpecContext withImageId(Optional<String> id) {
            return new SpecContext(configFiles, version, id, files);
        }
    }

    /** {@code db:service_healthy:false,cache:service_started:true}, as docker compose v2 writes it. */
    static String dependsOnLabel(Service s) {
        StringJoiner j = new StringJoiner(",");
        for (Map.Entry<String, Dependency> e : s.dependsOn().entrySet()) {
            j.add(e.getKey() + ":" + e.getValue().condition().composeName() + ":" + e.getValue().restart());
        }
        return j.toString();
    }

    /** {@code service:x} → {@code container:<x's first container>}; anything else unchanged. */
    static String serviceRef(Project p, String value) {
        if (!value.startsWith("service:")) return value;
        String target = value.substring("service:".length());
        Service t = p.services().get(target);
        return "container:" + (t == null ? p.name() + "-" + target + "-1" : containerName(p, t, 1));
    }

    private static String volumesFrom(Project p, String vf) {
        String[] parts = vf.split(":");
        if (parts[0].equals("container")) return String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length));
        Service t = p.services().get(parts[0]);
        String name = t == null ? p.name() + "-" + parts[0] + "-1" : containerName(p, t, 1);
        return parts.length > 1 ? name + ":" + parts[1] : name;
    }

    private static Optional<MountSpec> mount(Project p, Mount m) {
        return switch (m.type()) {
            case BIND -> Optional.of(new MountSpec(MountSpec.Type.BIND, m.source().orElseThrow(), m.target(), m.readOnly(),
                    m.bindPropagation().orElse(""), false, 0, 0, m.bindCreateHostPath(), null));
            case VOLUME -> {
                String source = m.source().map(key -> {
                    Volume v = p.volumes().get(key);
                    return v == null ? key : v.name();
                }).orElse("");
                yield Optional.of(new MountSpec(MountSpec.Type.VOLUME, source, m.target(), m.readOnly(), "",
                        m.volumeNocopy(), 0, 0, false, null));
            }
            case TMPFS -> Optional.of(new MountSpec(MountSpec.Type.TMPFS, "", m.target(), m.readOnly(), "", false,
                    m.tmpfsSize().orElse(0L), m.tmpfsMode().orElse(0), false, null));
            // image, npipe and cluster mounts have no runtime form yet; the loader warns about them.
            default -> Optional.empty();
        };
    }

    private static HealthcheckSpec healthcheck(Healthcheck h) {
        if (h.disabled()) return HealthcheckSpec.disabled();
        return new HealthcheckSpec(h.test(), h.interval().orElse(null), h.timeout().orElse(null),
                h.startPeriod().orElse(null), h.startInterval().orElse(null), h.retries().orElse(0));
    }

    private static Resources resources(Service s) {
        io.jcompose.model.Resources l = s.limits();
        long nanoCpus = l.cpus().map(c -> Math.round(c * 1e9)).orElse(0L);
        return new Resources(l.memoryBytes().orElse(0L), l.memorySwapBytes().orElse(0L),
                s.reservations().memoryBytes().orElse(0L), nanoCpus, 0, 0, 0, "", l.pids().orElse(0L), false,
                s.oomScoreAdj().orElse(0), 0);
    }

    /** Whether the service declares a health check of its own (an image's check is only known at run time). */
    static boolean hasHealthcheck(Service s) {
        return s.healthcheck().map(h -> !h.disabled() && !h.test().isEmpty()).orElse(false);
    }
}
