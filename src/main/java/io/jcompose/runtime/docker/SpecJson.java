package io.jcompose.runtime.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jcompose.runtime.ContainerSpec;
import io.jcompose.runtime.DeviceMapping;
import io.jcompose.runtime.HealthcheckSpec;
import io.jcompose.runtime.MountSpec;
import io.jcompose.runtime.NetworkAttachment;
import io.jcompose.runtime.NetworkSpec;
import io.jcompose.runtime.PortBinding;
import io.jcompose.runtime.Resources;
import io.jcompose.runtime.Ulimit;
import io.jcompose.runtime.VolumeSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Desired-state records → Docker Engine API request bodies (API 1.41 shapes). */
final class SpecJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecJson() {}

    /**
     * {@code POST /containers/create} body. The container is created on its primary network only (API < 1.44
     * accepts one endpoint); the caller connects the others.
     */
    static ObjectNode containerCreate(ContainerSpec s, String apiVersion) {
        ObjectNode c = JSON.createObjectNode();
        c.put("Image", s.image());
        putIf(c, "Hostname", s.hostname());
        putIf(c, "Domainname", s.domainname());
        putIf(c, "User", s.user());
        putIf(c, "WorkingDir", s.workingDir());
        if (!s.env().isEmpty()) {
            ArrayNode env = c.putArray("Env");
            s.env().forEach((k, v) -> env.add(k + "=" + v));
        }
        // An explicit empty entrypoint must be sent as [""]: Docker reads [] as "not set, use the image's".
        s.entrypoint().ifPresent(e -> strings(c.putArray("Entrypoint"), e.isEmpty() ? List.of("") : e));
        s.command().ifPresent(cmd -> strings(c.putArray("Cmd"), cmd));
        stringMap(c, "Labels", s.labels());
        if (!s.ports().isEmpty()) {
            ObjectNode exposed = c.putObject("ExposedPorts");
            for (PortBinding p : s.ports()) exposed.putObject(p.key());
        }
        c.put("Tty", s.tty());
        c.put("OpenStdin", s.openStdin());
        if (s.stdinOnce()) c.put("StdinOnce", true);
        c.put("AttachStdin", false);
        c.put("AttachStdout", false);
        c.put("AttachStderr", false);
        s.healthcheck().ifPresent(h -> c.set("Healthcheck", healthcheck(h, apiVersion)));
        putIf(c, "StopSignal", s.stopSignal());
        s.stopTimeout().ifPresent(t -> c.put("StopTimeout", t.toSeconds()));

        ObjectNode h = c.putObject("HostConfig");
        List<String> binds = new java.util.ArrayList<>(s.binds());
        ArrayNode mounts = JSON.createArrayNode();
        for (MountSpec m : s.mounts()) {
            if (m.type() == MountSpec.Type.BIND && m.createHostPath()) {
                // Only Binds create a missing host path on API 1.41 (Mounts fails); Compose relies on it.
                StringBuilder b = new StringBuilder(m.source()).append(':').append(m.target());
                String opts = (m.readOnly() ? "ro" : "") + (m.propagation().isEmpty() ? ""
                        : (m.readOnly() ? "," : "") + m.propagation());
                if (!opts.isEmpty()) b.append(':').append(opts);
                binds.add(b.toString());
            } else {
                mounts.add(mount(m));
            }
        }
        if (!binds.isEmpty()) strings(h.putArray("Binds"), binds);
        if (!mounts.isEmpty()) h.set("Mounts", mounts);
        stringMap(h, "Tmpfs", s.tmpfs());
        if (!s.volumesFrom().isEmpty()) strings(h.putArray("VolumesFrom"), s.volumesFrom());
        Optional<String> primary = s.primaryNetwork();
        primary.ifPresent(n -> h.put("NetworkMode", n));
        ObjectNode bindings = JSON.createObjectNode();
        for (PortBinding p : s.ports()) {
            if (!p.isPublished()) continue;
            ArrayNode list = bindings.has(p.key()) ? (ArrayNode) bindings.get(p.key()) : bindings.putArray(p.key());
            ObjectNode b = list.addObject();
            b.put("HostIp", p.hostIp());
            b.put("HostPort", p.hostPort());
        }
        if (!bindings.isEmpty()) h.set("PortBindings", bindings);
        ObjectNode restart = h.putObject("RestartPolicy");
        restart.put("Name", s.restartPolicy().name().equals("no") ? "" : s.restartPolicy().name());
        restart.put("MaximumRetryCount", s.restartPolicy().maxRetries());
        if (!s.capAdd().isEmpty()) strings(h.putArray("CapAdd"), s.capAdd());
        if (!s.capDrop().isEmpty()) strings(h.putArray("CapDrop"), s.capDrop());
        h.put("Privileged", s.privileged());
        h.put("ReadonlyRootfs", s.readOnlyRootfs());
        resources(h, s.resources());
        if (!s.ulimits().isEmpty()) {
            ArrayNode u = h.putArray("Ulimits");
            for (Ulimit l : s.ulimits()) u.addObject().put("Name", l.name()).put("Soft", l.soft()).put("Hard", l.hard());
        }
        stringMap(h, "Sysctls", s.sysctls());
        if (!s.extraHosts().isEmpty()) strings(h.putArray("ExtraHosts"), s.extraHosts());
        if (!s.dns().isEmpty()) strings(h.putArray("Dns"), s.dns());
        if (!s.dnsSearch().isEmpty()) strings(h.putArray("DnsSearch"), s.dnsSearch());
        if (!s.dnsOptions().isEmpty()) strings(h.putArray("DnsOptions"), s.dnsOptions());
        s.init().ifPresent(i -> h.put("Init", i));
        if (s.shmSizeBytes() > 0) h.put("ShmSize", s.shmSizeBytes());
        putIf(h, "IpcMode", s.ipcMode());
        putIf(h, "PidMode", s.pidMode());
        if (!s.logConfig().driver().isEmpty()) {
            ObjectNode lc = h.putObject("LogConfig");
            lc.put("Type", s.logConfig().driver());
            stringMap(lc, "Config", s.logConfig().options());
        }
        if (!s.securityOpt().isEmpty()) strings(h.putArray("SecurityOpt"), s.securityOpt());
        if (!s.devices().isEmpty()) {
            ArrayNode d = h.putArray("Devices");
            for (DeviceMapping m : s.devices()) {
                d.addObject().put("PathOnHost", m.hostPath()).put("PathInContainer", m.containerPath())
                        .put("CgroupPermissions", m.permissions());
            }
        }
        if (!s.groupAdd().isEmpty()) strings(h.putArray("GroupAdd"), s.groupAdd());
        putIf(h, "Runtime", s.runtime());

        primary.filter(s.networks()::containsKey).ifPresent(n -> {
            ObjectNode endpoints = c.putObject("NetworkingConfig").putObject("EndpointsConfig");
            endpoints.set(n, endpoint(s.networks().get(n)));
            // Before API 1.44 the engine ignores an endpoint's MacAddress on create: the container-wide field sets it.
            String mac = s.networks().get(n).macAddress();
            if (!mac.isEmpty() && DockerApi.compare(apiVersion, "1.44") < 0) c.put("MacAddress", mac);
        });
        return c;
    }

    /**
     * Our engine's {@code JcomposeFiles} (docs/engine-volumes.md): a host file by path (the engine copies it, so
     * uid/gid/mode apply without touching the host file), everything else as base64 content.
     */
    static void jcomposeFiles(ObjectNode body, java.util.List<io.jcompose.runtime.FileSpec> files) {
        ArrayNode a = body.putArray("JcomposeFiles");
        for (io.jcompose.runtime.FileSpec f : files) {
            ObjectNode n = a.addObject();
            n.put("Kind", f.kind().word()).put("Name", f.name()).put("Target", f.target())
                    .put("UID", f.uid()).put("GID", f.gid()).put("Mode", f.mode());
            if (f.hostPath().isEmpty()) n.put("Content", java.util.Base64.getEncoder().encodeToString(f.content()));
            else n.put("File", f.hostPath());
        }
    }

    static ObjectNode endpoint(NetworkAttachment a) {
        ObjectNode e = JSON.createObjectNode();
        if (!a.aliases().isEmpty()) strings(e.putArray("Aliases"), a.aliases());
        if (!a.links().isEmpty()) strings(e.putArray("Links"), a.links());
        if (!a.ipv4Address().isEmpty() || !a.ipv6Address().isEmpty()) {
            ObjectNode ipam = e.putObject("IPAMConfig");
            putIf(ipam, "IPv4Address", a.ipv4Address());
            putIf(ipam, "IPv6Address", a.ipv6Address());
        }
        putIf(e, "MacAddress", a.macAddress());
        return e;
    }

    static ObjectNode healthcheck(HealthcheckSpec h, String apiVersion) {
        ObjectNode n = JSON.createObjectNode();
        strings(n.putArray("Test"), h.test());
        nanos(n, "Interval", h.interval());
        nanos(n, "Timeout", h.timeout());
        nanos(n, "StartPeriod", h.startPeriod());
        if (DockerApi.compare(apiVersion, "1.44") >= 0) nanos(n, "StartInterval", h.startInterval());
        if (h.retries() > 0) n.put("Retries", h.retries());
        return n;
    }

    private static ObjectNode mount(MountSpec m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Type", m.type().name().toLowerCase());
        if (!m.source().isEmpty()) n.put("Source", m.source());
        n.put("Target", m.target());
        n.put("ReadOnly", m.readOnly());
        switch (m.type()) {
            case BIND -> {
                if (!m.propagation().isEmpty()) n.putObject("BindOptions").put("Propagation", m.propagation());
            }
            case VOLUME -> {
                if (m.noCopy() || !m.volumeLabels().isEmpty()) {
                    ObjectNode vo = n.putObject("VolumeOptions");
                    vo.put("NoCopy", m.noCopy());
                    stringMap(vo, "Labels", m.volumeLabels());
                }
            }
            case TMPFS -> {
                if (m.tmpfsSize() > 0 || m.tmpfsMode() != 0) {
                    ObjectNode to = n.putObject("TmpfsOptions");
                    if (m.tmpfsSize() > 0) to.put("SizeBytes", m.tmpfsSize());
                    if (m.tmpfsMode() != 0) to.put("Mode", m.tmpfsMode());
                }
            }
        }
        return n;
    }

    private static void resources(ObjectNode h, Resources r) {
        if (r.memoryBytes() > 0) h.put("Memory", r.memoryBytes());
        if (r.memorySwapBytes() != 0) h.put("MemorySwap", r.memorySwapBytes());
        if (r.memoryReservation() > 0) h.put("MemoryReservation", r.memoryReservation());
        if (r.nanoCpus() > 0) h.put("NanoCpus", r.nanoCpus());
        if (r.cpuShares() > 0) h.put("CpuShares", r.cpuShares());
        if (r.cpuQuota() > 0) h.put("CpuQuota", r.cpuQuota());
        if (r.cpuPeriod() > 0) h.put("CpuPeriod", r.cpuPeriod());
        if (!r.cpusetCpus().isEmpty()) h.put("CpusetCpus", r.cpusetCpus());
        if (r.pidsLimit() != 0) h.put("PidsLimit", r.pidsLimit());
        if (r.oomKillDisable()) h.put("OomKillDisable", true);
        if (r.oomScoreAdj() != 0) h.put("OomScoreAdj", r.oomScoreAdj());
        if (r.blkioWeight() > 0) h.put("BlkioWeight", r.blkioWeight());
    }

    static ObjectNode networkCreate(NetworkSpec s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Name", s.name());
        n.put("CheckDuplicate", true);
        n.put("Driver", s.driver().isEmpty() ? "bridge" : s.driver());
        n.put("Internal", s.internal());
        n.put("Attachable", s.attachable());
        n.put("EnableIPv6", s.enableIpv6());
        stringMap(n, "Labels", s.labels());
        stringMap(n, "Options", s.options());
        if (!s.ipamDriver().isEmpty() || !s.ipamPools().isEmpty()) {
            ObjectNode ipam = n.putObject("IPAM");
            ipam.put("Driver", s.ipamDriver().isEmpty() ? "default" : s.ipamDriver());
            ArrayNode config = ipam.putArray("Config");
            for (NetworkSpec.IpamPool p : s.ipamPools()) {
                ObjectNode c = config.addObject();
                putIf(c, "Subnet", p.subnet());
                putIf(c, "IPRange", p.ipRange());
                putIf(c, "Gateway", p.gateway());
                stringMap(c, "AuxiliaryAddresses", p.auxAddresses());
            }
        }
        return n;
    }

    static ObjectNode volumeCreate(VolumeSpec s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Name", s.name());
        n.put("Driver", s.driver().isEmpty() ? "local" : s.driver());
        stringMap(n, "DriverOpts", s.driverOptions());
        stringMap(n, "Labels", s.labels());
        return n;
    }

    /** Docker's filters query parameter: {@code {"label":["a=b"]}}. */
    static String filters(Map<String, ? extends Collection<String>> filters) {
        ObjectNode n = JSON.createObjectNode();
        filters.forEach((k, v) -> {
            if (!v.isEmpty()) strings(n.putArray(k), v);
        });
        return n.toString();
    }

    private static void nanos(ObjectNode n, String field, Duration d) {
        if (d != null) n.put(field, d.toNanos());
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null && !value.isEmpty()) n.put(field, value);
    }

    private static void strings(ArrayNode a, Collection<String> values) {
        values.forEach(a::add);
    }

    private static void stringMap(ObjectNode parent, String field, Map<String, String> m) {
        if (m.isEmpty()) return;
        ObjectNode o = parent.putObject(field);
        m.forEach(o::put);
    }
}
