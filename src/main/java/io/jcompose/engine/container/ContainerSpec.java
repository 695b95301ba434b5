package io.jcompose.engine.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The body of {@code POST /containers/create} as Docker defines it (moby api/swagger.yaml, ContainerConfig +
 * HostConfig), in Docker's PascalCase JSON through {@link ContainerJson#MAPPER}. Fields the engine does not know
 * are ignored. Absent means "image default" for {@code cmd}, {@code entrypoint}, {@code user}, {@code workingDir}
 * and {@code healthcheck}; an empty list is kept as given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerSpec(String hostname, String domainname, String user, Boolean tty, Boolean openStdin,
                            Boolean stdinOnce, Boolean attachStdin, Boolean attachStdout, Boolean attachStderr,
                            List<String> env, List<String> cmd, List<String> entrypoint, String image,
                            String workingDir, SortedMap<String, String> labels, String stopSignal,
                            Integer stopTimeout, HealthConfig healthcheck, SortedMap<String, Object> exposedPorts,
                            SortedMap<String, Object> volumes, HostConfig hostConfig, NetworkingConfig networkingConfig,
                            List<io.jcompose.engine.volume.RuntimeFile> jcomposeFiles) {
    /** Without NetworkingConfig and JcomposeFiles (tests, older callers). */
    public ContainerSpec(String hostname, String domainname, String user, Boolean tty, Boolean openStdin,
                         Boolean attachStdin, Boolean attachStdout, Boolean attachStderr,
                         List<String> env, List<String> cmd, List<String> entrypoint, String image,
                         String workingDir, SortedMap<String, String> labels, String stopSignal,
                         Integer stopTimeout, HealthConfig healthcheck, SortedMap<String, Object> exposedPorts,
                         SortedMap<String, Object> volumes, HostConfig hostConfig) {
        this(hostname, domainname, user, tty, openStdin, null, attachStdin, attachStdout, attachStderr, env, cmd, entrypoint, image,
                workingDir, labels, stopSignal, stopTimeout, healthcheck, exposedPorts, volumes, hostConfig, null, null);
    }

    public ContainerSpec {
        networkingConfig = networkingConfig == null ? NetworkingConfig.EMPTY : networkingConfig;
        jcomposeFiles = jcomposeFiles == null ? List.of() : List.copyOf(jcomposeFiles);
        env = env == null ? List.of() : List.copyOf(env);
        cmd = cmd == null ? null : List.copyOf(cmd);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        labels = labels == null ? new TreeMap<>() : new TreeMap<>(labels);
        exposedPorts = exposedPorts == null ? new TreeMap<>() : new TreeMap<>(exposedPorts);
        volumes = volumes == null ? new TreeMap<>() : new TreeMap<>(volumes);
        hostConfig = hostConfig == null ? HostConfig.EMPTY : hostConfig;
        if (image == null || image.isBlank()) throw new IllegalArgumentException("config has no Image: name the image to create the container from");
    }

    public boolean isTty() {
        return Boolean.TRUE.equals(tty);
    }

    public boolean isOpenStdin() {
        return Boolean.TRUE.equals(openStdin);
    }

    /** Docker's StdinOnce ({@code docker run -i}): the container's stdin closes when the first attached client's ends. */
    public boolean isStdinOnce() {
        return Boolean.TRUE.equals(stdinOnce);
    }

    /** Docker's Healthcheck: durations in nanoseconds; 0 means "inherit / default". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealthConfig(List<String> test, Long interval, Long timeout, Integer retries, Long startPeriod,
                               Long startInterval) {
        public HealthConfig {
            test = test == null ? List.of() : List.copyOf(test);
        }
    }

    /** {@code NetworkingConfig.EndpointsConfig}: network name or id → endpoint settings. */
    public record NetworkingConfig(SortedMap<String, EndpointSettings> endpointsConfig) {
        public static final NetworkingConfig EMPTY = new NetworkingConfig(null);

        public NetworkingConfig {
            endpointsConfig = endpointsConfig == null ? new TreeMap<>() : new TreeMap<>(endpointsConfig);
        }
    }

    /** One endpoint's settings: DNS aliases and a static address ({@code IPAMConfig.IPv4Address}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointSettings(List<String> aliases,
                                   @com.fasterxml.jackson.annotation.JsonProperty("IPAMConfig") IpamConfig ipamConfig) {
        public EndpointSettings {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }

        public java.util.Optional<String> ipv4() {
            return ipamConfig == null || ipamConfig.ipv4Address() == null || ipamConfig.ipv4Address().isEmpty()
                    ? java.util.Optional.empty() : java.util.Optional.of(ipamConfig.ipv4Address());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IpamConfig(@com.fasterxml.jackson.annotation.JsonProperty("IPv4Address") String ipv4Address) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HostConfig(List<String> binds, List<io.jcompose.engine.volume.MountSpec> mounts, SortedMap<String, String> tmpfs,
                             RestartPolicy restartPolicy, String networkMode, List<String> capAdd,
                             List<String> capDrop, Boolean privileged, Boolean readonlyRootfs, Long memory,
                             Long memorySwap, Long nanoCpus, Long pidsLimit, List<Ulimit> ulimits,
                             SortedMap<String, String> sysctls, List<String> extraHosts, Boolean init,
                             Long shmSize, List<String> securityOpt, String pidMode, String ipcMode,
                             List<String> groupAdd, String cgroupParent, LogConfig logConfig, Boolean autoRemove,
                             SortedMap<String, List<PortBinding>> portBindings, List<String> dns,
                             List<String> dnsSearch, List<String> dnsOptions, List<String> volumesFrom,
                             String volumeDriver, Boolean publishAllPorts) {
        public static final HostConfig EMPTY = new HostConfig(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);

        public HostConfig {
            binds = binds == null ? List.of() : List.copyOf(binds);
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
            tmpfs = tmpfs == null ? new TreeMap<>() : new TreeMap<>(tmpfs);
            restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
            networkMode = networkMode == null || networkMode.isEmpty() ? "default" : networkMode;
            capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
            capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
            ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
            sysctls = sysctls == null ? new TreeMap<>() : new TreeMap<>(sysctls);
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
            securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
            groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
            logConfig = logConfig == null ? LogConfig.DEFAULT : logConfig;
            portBindings = portBindings == null ? new TreeMap<>() : new TreeMap<>(portBindings);
            dns = dns == null ? List.of() : List.copyOf(dns);
            dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
            dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
            volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
            volumeDriver = volumeDriver == null ? "" : volumeDriver;
        }

        public boolean isPrivileged() {
            return Boolean.TRUE.equals(privileged);
        }
    }

    /** {@code Name}: "", "no", "always", "on-failure", "unless-stopped". */
    public record RestartPolicy(String name, Integer maximumRetryCount) {
        public static final RestartPolicy NO = new RestartPolicy("no", 0);

        public RestartPolicy {
            name = name == null || name.isEmpty() ? "no" : name;
            maximumRetryCount = maximumRetryCount == null ? 0 : maximumRetryCount;
            if (!List.of("no", "always", "on-failure", "unless-stopped").contains(name))
                throw new IllegalArgumentException("invalid restart policy '" + name + "': use no, always, on-failure or unless-stopped");
        }
    }

    public record Ulimit(String name, Long soft, Long hard) {}

    public record PortBinding(String hostIp, String hostPort) {}

    public record LogConfig(String type, Map<String, String> config) {
        public static final LogConfig DEFAULT = new LogConfig("json-file", Map.of());

        public LogConfig {
            type = type == null || type.isEmpty() ? "json-file" : type;
            config = config == null ? Map.of() : Map.copyOf(config);
        }
    }
}
