package io.jcompose.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything needed to create one container: the desired state the composer derives from a Compose service.
 * Empty strings, empty collections, 0 and empty Optionals mean "not set: image or engine default" unless a
 * component says otherwise. Maps are sorted so that printing and hashing a spec is stable.
 *
 * @param name          container name; empty: the engine generates one
 * @param entrypoint    empty Optional: the image's entrypoint; empty list: reset it (no entrypoint)
 * @param command       empty Optional: the image's command; empty list: no arguments
 * @param env           environment variables
 * @param binds         raw Docker binds {@code src:dst[:opts]} (kept for clients that need bind auto-creation
 *                      semantics exactly as {@code HostConfig.Binds}); prefer {@code mounts}
 * @param tmpfs         tmpfs mounts, target → options ({@code "size=64m"}; empty: defaults)
 * @param networkMode   {@code bridge}, {@code host}, {@code none}, {@code container:<id>}, or a network name;
 *                      empty: the first of {@code networks} (or the engine default when there are none)
 * @param networks      network name → attachment; the container joins all of them on create
 * @param stopTimeout   empty: engine default (10 s)
 * @param init          empty: engine default; true: run an init process as PID 1
 * @param runtime       OCI runtime name; empty: engine default
 * @param stdinOnce     close the container's stdin when the attached client closes it ({@code run} with stdin)
 * @param files         Compose secrets and configs to place in the container (read-only files)
 */
public record ContainerSpec(
        String name, String image, Optional<List<String>> entrypoint, Optional<List<String>> command,
        SortedMap<String, String> env, SortedMap<String, String> labels, String workingDir, String user,
        String hostname, String domainname, List<PortBinding> ports, List<MountSpec> mounts, List<String> binds,
        SortedMap<String, String> tmpfs, List<String> volumesFrom, String networkMode,
        SortedMap<String, NetworkAttachment> networks, RestartPolicy restartPolicy,
        Optional<HealthcheckSpec> healthcheck, String stopSignal, Optional<Duration> stopTimeout,
        List<String> capAdd, List<String> capDrop, boolean privileged, boolean readOnlyRootfs,
        Resources resources, List<Ulimit> ulimits, SortedMap<String, String> sysctls, List<String> extraHosts,
        List<String> dns, List<String> dnsSearch, List<String> dnsOptions, Optional<Boolean> init,
        long shmSizeBytes, String ipcMode, String pidMode, boolean tty, boolean openStdin, LogConfig logConfig,
        List<String> securityOpt, List<DeviceMapping> devices, List<String> groupAdd, String runtime, boolean stdinOnce,
        List<FileSpec> files) {

    public ContainerSpec {
        name = s(name);
        if (image == null || image.isBlank()) throw new IllegalArgumentException("container spec needs an image");
        entrypoint = Objects.requireNonNull(entrypoint, "entrypoint").map(List::copyOf);
        command = Objects.requireNonNull(command, "command").map(List::copyOf);
        env = sorted(env);
        labels = sorted(labels);
        workingDir = s(workingDir);
        user = s(user);
        hostname = s(hostname);
        domainname = s(domainname);
        ports = l(ports);
        mounts = l(mounts);
        binds = l(binds);
        tmpfs = sorted(tmpfs);
        volumesFrom = l(volumesFrom);
        networkMode = s(networkMode);
        networks = sorted(networks);
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        healthcheck = Objects.requireNonNull(healthcheck, "healthcheck");
        stopSignal = s(stopSignal);
        stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
        capAdd = l(capAdd);
        capDrop = l(capDrop);
        resources = resources == null ? Resources.NONE : resources;
        ulimits = l(ulimits);
        sysctls = sorted(sysctls);
        extraHosts = l(extraHosts);
        dns = l(dns);
        dnsSearch = l(dnsSearch);
        dnsOptions = l(dnsOptions);
        init = Objects.requireNonNull(init, "init");
        if (shmSizeBytes < 0) throw new IllegalArgumentException("shm size must be >= 0, got " + shmSizeBytes);
        ipcMode = s(ipcMode);
        pidMode = s(pidMode);
        logConfig = logConfig == null ? LogConfig.DEFAULT : logConfig;
        securityOpt = l(securityOpt);
        devices = l(devices);
        groupAdd = l(groupAdd);
        runtime = s(runtime);
        files = l(files);
    }

    /**
     * The network the container is created on: {@code networkMode} when set, else the first network by name.
     * Empty when neither is set.
     */
    public Optional<String> primaryNetwork() {
        if (!networkMode.isEmpty()) return Optional.of(networkMode);
        return networks.isEmpty() ? Optional.empty() : Optional.of(networks.firstKey());
    }

    public static Builder builder(String image) {
        return new Builder(image);
    }

    public Builder toBuilder() {
        Builder b = new Builder(image);
        b.name = name; b.entrypoint = entrypoint; b.command = command; b.env.putAll(env); b.labels.putAll(labels);
        b.workingDir = workingDir; b.user = user; b.hostname = hostname; b.domainname = domainname;
        b.ports.addAll(ports); b.mounts.addAll(mounts); b.binds.addAll(binds); b.tmpfs.putAll(tmpfs);
        b.volumesFrom.addAll(volumesFrom); b.networkMode = networkMode; b.networks.putAll(networks);
        b.restartPolicy = restartPolicy; b.healthcheck = healthcheck; b.stopSignal = stopSignal;
        b.stopTimeout = stopTimeout; b.capAdd.addAll(capAdd); b.capDrop.addAll(capDrop); b.privileged = privileged;
        b.readOnlyRootfs = readOnlyRootfs; b.resources = resources; b.ulimits.addAll(ulimits);
        b.sysctls.putAll(sysctls); b.extraHosts.addAll(extraHosts); b.dns.addAll(dns); b.dnsSearch.addAll(dnsSearch);
        b.dnsOptions.addAll(dnsOptions); b.init = init; b.shmSizeBytes = shmSizeBytes; b.ipcMode = ipcMode;
        b.pidMode = pidMode; b.tty = tty; b.openStdin = openStdin; b.logConfig = logConfig;
        b.securityOpt.addAll(securityOpt); b.devices.addAll(devices); b.groupAdd.addAll(groupAdd);
        b.runtime = runtime;
        b.stdinOnce = stdinOnce;
        b.files.addAll(files);
        return b;
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

    private static <T> List<T> l(List<T> v) {
        return v == null ? List.of() : List.copyOf(v);
    }

    private static <V> SortedMap<String, V> sorted(Map<String, V> m) {
        SortedMap<String, V> out = new TreeMap<>();
        if (m != null) m.forEach((k, v) -> out.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        return java.util.Collections.unmodifiableSortedMap(out);
    }

    /** Mutable builder; every setter returns this. Fields start at "not set". */
    public static final class Builder {
        private String image;
        private String name = "";
        private Optional<List<String>> entrypoint = Optional.empty();
        private Optional<List<String>> command = Optional.empty();
        private final SortedMap<String, String> env = new TreeMap<>();
        private final SortedMap<String, String> labels = new TreeMap<>();
        private String workingDir = "";
        private String user = "";
        private String hostname = "";
        private String domainname = "";
        private final List<PortBinding> ports = new ArrayList<>();
        private final List<MountSpec> mounts = new ArrayList<>();
        private final List<String> binds = new ArrayList<>();
        private final SortedMap<String, String> tmpfs = new TreeMap<>();
        private final List<String> volumesFrom = new ArrayList<>();
        private String networkMode = "";
        private final SortedMap<String, NetworkAttachment> networks = new TreeMap<>();
        private RestartPolicy restartPolicy = RestartPolicy.NO;
        private Optional<HealthcheckSpec> healthcheck = Optional.empty();
        private String stopSignal = "";
        private Optional<Duration> stopTimeout = Optional.empty();
        private final List<String> capAdd = new ArrayList<>();
        private final List<String> capDrop = new ArrayList<>();
        private boolean privileged;
        private boolean readOnlyRootfs;
        private Resources resources = Resources.NONE;
        private final List<Ulimit> ulimits = new ArrayList<>();
        private final SortedMap<String, String> sysctls = new TreeMap<>();
        private final List<String> extraHosts = new ArrayList<>();
        private final List<String> dns = new ArrayList<>();
        private final List<String> dnsSearch = new ArrayList<>();
        private final List<String> dnsOptions = new ArrayList<>();
        private Optional<Boolean> init = Optional.empty();
        private long shmSizeBytes;
        private String ipcMode = "";
        private String pidMode = "";
        private boolean tty;
        private boolean openStdin;
        private LogConfig logConfig = LogConfig.DEFAULT;
        private final List<String> securityOpt = new ArrayList<>();
        private final List<DeviceMapping> devices = new ArrayList<>();
        private final List<String> groupAdd = new ArrayList<>();
        private String runtime = "";
        private boolean stdinOnce;
        private final List<FileSpec> files = new ArrayList<>();

        private Builder(String image) {
            this.image = image;
        }

        public Builder image(String v) { image = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder entrypoint(List<String> v) { entrypoint = Optional.of(v); return this; }
        public Builder command(List<String> v) { command = Optional.of(v); return this; }
        public Builder command(String... v) { return command(List.of(v)); }
        public Builder env(String k, String v) { env.put(k, v); return this; }
        public Builder env(Map<String, String> m) { env.putAll(m); return this; }
        public Builder label(String k, String v) { labels.put(k, v); return this; }
        public Builder labels(Map<String, String> m) { labels.putAll(m); return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder domainname(String v) { domainname = v; return this; }
        public Builder port(PortBinding v) { ports.add(v); return this; }
        /** Drops every port so far ({@code run} publishes none of the service's ports unless asked). */
        public Builder clearPorts() { ports.clear(); return this; }
        public Builder mount(MountSpec v) { mounts.add(v); return this; }
        public Builder bind(String v) { binds.add(v); return this; }
        public Builder tmpfs(String target, String options) { tmpfs.put(target, options); return this; }
        public Builder volumesFrom(String v) { volumesFrom.add(v); return this; }
        public Builder networkMode(String v) { networkMode = v; return this; }
        public Builder network(String name, NetworkAttachment a) { networks.put(name, a); return this; }
        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder healthcheck(HealthcheckSpec v) { healthcheck = Optional.of(v); return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeout(Duration v) { stopTimeout = Optional.of(v); return this; }
        public Builder capAdd(String v) { capAdd.add(v); return this; }
        public Builder capDrop(String v) { capDrop.add(v); return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder readOnlyRootfs(boolean v) { readOnlyRootfs = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder ulimit(Ulimit v) { ulimits.add(v); return this; }
        public Builder sysctl(String k, String v) { sysctls.put(k, v); return this; }
        public Builder extraHost(String v) { extraHosts.add(v); return this; }
        public Builder dns(String v) { dns.add(v); return this; }
        public Builder dnsSearch(String v) { dnsSearch.add(v); return this; }
        public Builder dnsOption(String v) { dnsOptions.add(v); return this; }
        public Builder init(boolean v) { init = Optional.of(v); return this; }
        public Builder shmSizeBytes(long v) { shmSizeBytes = v; return this; }
        public Builder ipcMode(String v) { ipcMode = v; return this; }
        public Builder pidMode(String v) { pidMode = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder stdinOnce(boolean v) { stdinOnce = v; return this; }
        public Builder logConfig(LogConfig v) { logConfig = v; return this; }
        public Builder securityOpt(String v) { securityOpt.add(v); return this; }
        public Builder device(DeviceMapping v) { devices.add(v); return this; }
        public Builder groupAdd(String v) { groupAdd.add(v); return this; }
        public Builder runtime(String v) { runtime = v; return this; }
        public Builder file(FileSpec v) { files.add(v); return this; }

        public ContainerSpec build() {
            return new ContainerSpec(name, image, entrypoint, command, env, labels, workingDir, user, hostname,
                    domainname, ports, mounts, binds, tmpfs, volumesFrom, networkMode, networks, restartPolicy,
                    healthcheck, stopSignal, stopTimeout, capAdd, capDrop, privileged, readOnlyRootfs, resources,
                    ulimits, sysctls, extraHosts, dns, dnsSearch, dnsOptions, init, shmSizeBytes, ipcMode, pidMode,
                    tty, openStdin, logConfig, securityOpt, devices, groupAdd, runtime, stdinOnce, files);
        }
    }
}
