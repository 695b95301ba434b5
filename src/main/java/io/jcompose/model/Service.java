package io.jcompose.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One service of a project, as the reconciler needs it to create (and hash) its containers. Field names follow the
 * Compose keys; an empty Optional means the key was absent and the image's or engine's default applies, unless said
 * otherwise below.
 *
 * @param image           image reference; empty: {@code <project>-<service>} built from {@code build}
 * @param build           empty: the image is pulled, never built
 * @param pullPolicy      {@code always}, {@code never}, {@code missing}, {@code build}, {@code daily} …; empty: missing
 * @param command         empty Optional: the image's CMD; empty list: no arguments
 * @param entrypoint      empty Optional: the image's ENTRYPOINT; empty list: reset it
 * @param environment     resolved variables (env_file already merged in); an empty Optional value: listed without a
 *                        value and not set in the shell, so the container gets it unset
 * @param ports           published/declared ports, long syntax, ranges already expanded by the loader
 * @param expose          ports exposed to linked services only ({@code 3000}, {@code 8000-8010/udp})
 * @param volumes         mounts, long syntax, bind sources absolute
 * @param volumesFrom     {@code service} or {@code container:name}, with optional {@code :ro}/{@code :rw}
 * @param tmpfs           tmpfs mount points with options ({@code /run:size=64m})
 * @param networks        attachments by network key; empty when {@code networkMode} is set
 * @param networkMode     {@code none}, {@code host}, {@code service:x}, {@code container:x}; empty: the networks
 * @param dependsOn       explicit and implicit dependencies by service name
 * @param healthcheck     empty: the image's check
 * @param restart         {@link Restart#NO} when absent
 * @param scale           number of containers ({@code scale} or {@code deploy.replicas}); 1 when absent
 * @param limits          resource limits; reservations: what the scheduler reserves (informational on one host)
 * @param extraHosts      {@code host:ip} lines for /etc/hosts, in file order
 * @param init            empty: the engine default (no init)
 * @param shmSizeBytes    size of /dev/shm
 * @param stopGracePeriod empty: 10s
 * @param ipc             {@code shareable}, {@code host}, {@code service:x} …
 * @param devices         device mappings {@code /dev/x:/dev/y:rwm}, or CDI names
 * @param tuning          cgroup/runtime knobs passed through as given
 * @param attach          false: {@code up} does not attach to (print) this service's logs
 * @param containerName   fixed container name; only valid with scale 1
 * @param extensions      {@code x-*} keys as compact JSON text with sorted keys
 */
public record Service(String name, Optional<String> image, Optional<Build> build, Optional<String> pullPolicy,
                      Optional<String> platform, Optional<List<String>> command, Optional<List<String>> entrypoint,
                      Optional<String> workingDir, Optional<String> user, SortedMap<String, Optional<String>> environment,
                      SortedMap<String, String> labels, SortedMap<String, String> annotations, List<Port> ports,
                      List<String> expose, List<Mount> volumes, List<String> volumesFrom, List<String> tmpfs,
                      SortedMap<String, NetworkAttachment> networks, Optional<String> networkMode, List<String> links,
                      List<String> externalLinks, SortedMap<String, Dependency> dependsOn, Optional<Healthcheck> healthcheck,
                      Restart restart, int scale, Resources limits, Resources reservations, Optional<String> hostname,
                      Optional<String> domainname, Optional<String> macAddress, List<String> dns, List<String> dnsSearch,
                      List<String> dnsOpt, List<String> extraHosts, List<String> capAdd, List<String> capDrop,
                      boolean privileged, boolean readOnly, Optional<Boolean> init, List<String> securityOpt,
                      SortedMap<String, Ulimit> ulimits, SortedMap<String, String> sysctls, Optional<Long> shmSizeBytes,
                      Optional<String> stopSignal, Optional<Duration> stopGracePeriod, Optional<String> ipc,
                      Optional<String> pid, Optional<String> uts, Optional<String> usernsMode, Optional<String> cgroup,
                      Optional<String> cgroupParent, List<String> groupAdd, List<String> devices, Optional<Integer> oomScoreAdj,
                      Optional<String> runtime, Tuning tuning, boolean tty, boolean stdinOpen, boolean attach,
                      Optional<Logging> logging,
                      List<FileReference> secrets, List<FileReference> configs, List<Hook> postStart, List<Hook> preStop,
                      List<String> profiles, Optional<String> containerName, SortedMap<String, String> extensions) {
    public Service {
        name = Copies.name("service", name);
        Copies.opt(image);
        Copies.opt(build);
        if (image.isEmpty() && build.isEmpty()) {
            throw new IllegalArgumentException("service \"" + name + "\" has neither an image nor a build context");
        }
        Copies.opt(pullPolicy);
        Copies.opt(platform);
        command = Copies.optList(command);
        entrypoint = Copies.optList(entrypoint);
        Copies.opt(workingDir);
        Copies.opt(user);
        environment = Copies.sorted(environment);
        labels = Copies.sorted(labels);
        annotations = Copies.sorted(annotations);
        ports = List.copyOf(ports);
        expose = List.copyOf(expose);
        volumes = List.copyOf(volumes);
        volumesFrom = List.copyOf(volumesFrom);
        tmpfs = List.copyOf(tmpfs);
        networks = Copies.sorted(networks);
        Copies.opt(networkMode);
        links = List.copyOf(links);
        externalLinks = List.copyOf(externalLinks);
        dependsOn = Copies.sorted(dependsOn);
        Copies.opt(healthcheck);
        Objects.requireNonNull(restart, "restart");
        if (scale < 0) throw new IllegalArgumentException("scale must be >= 0, got " + scale);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(reservations, "reservations");
        Copies.opt(hostname);
        Copies.opt(domainname);
        Copies.opt(macAddress);
        dns = List.copyOf(dns);
        dnsSearch = List.copyOf(dnsSearch);
        dnsOpt = List.copyOf(dnsOpt);
        extraHosts = List.copyOf(extraHosts);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        Copies.opt(init);
        securityOpt = List.copyOf(securityOpt);
        ulimits = Copies.sorted(ulimits);
        sysctls = Copies.sorted(sysctls);
        Copies.opt(shmSizeBytes);
        Copies.opt(stopSignal);
        Copies.opt(stopGracePeriod);
        Copies.opt(ipc);
        Copies.opt(pid);
        Copies.opt(uts);
        Copies.opt(usernsMode);
        Copies.opt(cgroup);
        Copies.opt(cgroupParent);
        groupAdd = List.copyOf(groupAdd);
        devices = List.copyOf(devices);
        Copies.opt(oomScoreAdj);
        Copies.opt(runtime);
        Objects.requireNonNull(tuning, "tuning");
        Copies.opt(logging);
        secrets = List.copyOf(secrets);
        configs = List.copyOf(configs);
        postStart = List.copyOf(postStart);
        preStop = List.copyOf(preStop);
        profiles = List.copyOf(profiles);
        Copies.opt(containerName);
        extensions = Copies.sorted(extensions);
        if (containerName.isPresent() && scale > 1) {
            throw new IllegalArgumentException("service \"" + name + "\" has container_name " + containerName.get() + " and scale " + scale);
        }
    }
}
