package io.jcompose.reconcile;

import io.jcompose.model.Network;
import io.jcompose.model.NetworkAttachment;
import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.model.Volume;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The config hash of a service: {@code sha256} (lower-case hex) of the canonical JSON of the service fields that
 * shape its containers. It is stored in the {@value Labels#CONFIG_HASH} label; a container whose label differs
 * from the hash of the current file is recreated. It depends only on the loaded model, never on the runtime, so
 * the same file gives the same hash on dockerd, Podman and the built-in engine.
 *
 * <p><b>Inputs</b> (Compose key names; absent values are left out, see {@link CanonicalJson}):
 * annotations, cap_add, cap_drop, cgroup, cgroup_parent, command, configs, container_name, devices, dns,
 * dns_opt, dns_search, domainname, entrypoint, environment, expose, extra_hosts, group_add, healthcheck,
 * hostname, image, init, ipc, labels, limits (deploy.resources.limits and the shortcuts), links, logging,
 * mac_address, network_mode, networks (each attachment, with the key resolved to the engine's network name),
 * oom_score_adj, pid, platform, ports, privileged, read_only, reservations, restart, runtime, secrets,
 * security_opt, shm_size, stdin_open, stop_grace_period, stop_signal, sysctls, tmpfs, tty, ulimits, user,
 * userns_mode, uts, volumes (with named-volume keys resolved to engine names), volumes_from, working_dir; and,
 * when the caller passes the {@link FileContents} of {@code up}, secrets_content and configs_content (source key →
 * sha256 of the bytes the container gets), so a changed secret file, variable or inline content recreates the
 * container.
 *
 * <p><b>Not inputs</b>: scale / deploy.replicas (changing it adds or removes containers, it does not recreate
 * them), depends_on (its conditions gate start order only; {@code restart: true} is handled by the reconciler),
 * build (the image id is compared separately), pull_policy, profiles, post_start/pre_stop hooks, {@code x-*}
 * extensions, and the project name and files (they are labels, not configuration).
 *
 * <p>Example: {@code services: {web: {image: busybox, command: [sleep, "60"]}}} hashes the canonical text
 * {@code {"command":["sleep","60"],"image":"busybox"}}.
 */
public final class ConfigHash {
    private ConfigHash() {}

    /** The hash of {@code service} as a member of {@code project}. */
    public static String of(Service service, Project project) {
        return of(service, project, null);
    }

    /** The hash including the digests of the secrets/configs the service uses ({@code files} null: without). */
    public static String of(Service service, Project project, FileContents files) {
        return sha256(CanonicalJson.write(inputs(service, project, files)));
    }

    /** The exact text that is hashed (for {@code config --hash} debugging and tests). */
    public static String canonical(Service service, Project project) {
        return CanonicalJson.write(inputs(service, project));
    }

    /**
     * Short digests per input field, {@code field=8 hex digits}, comma-separated and sorted: stored in
     * {@value Labels#CONFIG_FIELDS} so a plan can say <i>which</i> field changed.
     */
    public static String fieldDigests(Service service, Project project) {
        return fieldDigests(service, project, null);
    }

    /** {@link #fieldDigests(Service, Project)} with the secrets/configs digests of {@code files} (null: without). */
    public static String fieldDigests(Service service, Project project, FileContents files) {
        StringBuilder sb = new StringBuilder();
        inputs(service, project, files).forEach((k, v) -> {
            if (sb.length() > 0) sb.append(',');
            sb.append(k).append('=').append(sha256(CanonicalJson.write(v)), 0, 8);
        });
        return sb.toString();
    }

    /** The fields whose digests differ between two {@link #fieldDigests} texts, sorted. */
    static List<String> changedFields(String before, String after) {
        Map<String, String> a = parse(before);
        Map<String, String> b = parse(after);
        TreeMap<String, Boolean> keys = new TreeMap<>();
        a.keySet().forEach(k -> keys.put(k, true));
        b.keySet().forEach(k -> keys.put(k, true));
        return keys.keySet().stream().filter(k -> !java.util.Objects.equals(a.get(k), b.get(k))).toList();
    }

    private static Map<String, String> parse(String digests) {
        TreeMap<String, String> out = new TreeMap<>();
        if (digests == null || digests.isEmpty()) return out;
        for (String part : digests.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) out.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return out;
    }

    static SortedMap<String, Object> inputs(Service s, Project p) {
        return inputs(s, p, null);
    }

    static SortedMap<String, Object> inputs(Service s, Project p, FileContents files) {
        TreeMap<String, Object> in = new TreeMap<>();
        if (files != null) {
            put(in, "configs_content", files.digests(p, s, io.jcompose.runtime.FileSpec.Kind.CONFIG));
            put(in, "secrets_content", files.digests(p, s, io.jcompose.runtime.FileSpec.Kind.SECRET));
        }
        put(in, "annotations", s.annotations());
        put(in, "cap_add", s.capAdd());
        put(in, "cap_drop", s.capDrop());
        put(in, "cgroup", s.cgroup());
        put(in, "cgroup_parent", s.cgroupParent());
        put(in, "command", s.command());
        put(in, "configs", s.configs());
        put(in, "container_name", s.containerName());
        put(in, "devices", s.devices());
        put(in, "dns", s.dns());
        put(in, "dns_opt", s.dnsOpt());
        put(in, "dns_search", s.dnsSearch());
        put(in, "domainname", s.domainname());
        put(in, "entrypoint", s.entrypoint());
        put(in, "environment", s.environment());
        put(in, "expose", s.expose());
        put(in, "extra_hosts", s.extraHosts());
        put(in, "group_add", s.groupAdd());
        put(in, "healthcheck", s.healthcheck());
        put(in, "hostname", s.hostname());
        put(in, "image", s.image().orElse(p.name() + "-" + s.name()));
        put(in, "init", s.init());
        put(in, "ipc", s.ipc());
        put(in, "labels", s.labels());
        put(in, "limits", s.limits());
        put(in, "links", s.links());
        put(in, "logging", s.logging());
        put(in, "mac_address", s.macAddress());
        put(in, "network_mode", s.networkMode());
        TreeMap<String, NetworkAttachment> nets = new TreeMap<>();
        s.networks().forEach((key, att) -> {
            Network n = p.networks().get(key);
            nets.put(n == null ? key : n.name(), att);
        });
        put(in, "networks", nets);
        put(in, "oom_score_adj", s.oomScoreAdj());
        put(in, "pid", s.pid());
        put(in, "platform", s.platform());
        put(in, "ports", s.ports());
        if (s.privileged()) in.put("privileged", true);
        if (s.readOnly()) in.put("read_only", true);
        put(in, "reservations", s.reservations());
        if (s.restart().policy() != io.jcompose.model.Restart.Policy.NO) in.put("restart", s.restart());
        put(in, "runtime", s.runtime());
        put(in, "secrets", s.secrets());
        put(in, "security_opt", s.securityOpt());
        put(in, "shm_size", s.shmSizeBytes());
        if (s.stdinOpen()) in.put("stdin_open", true);
        put(in, "stop_grace_period", s.stopGracePeriod());
        put(in, "stop_signal", s.stopSignal());
        put(in, "sysctls", s.sysctls());
        put(in, "tmpfs", s.tmpfs());
        if (s.tty()) in.put("tty", true);
        put(in, "ulimits", s.ulimits());
        put(in, "user", s.user());
        put(in, "userns_mode", s.usernsMode());
        put(in, "uts", s.uts());
        put(in, "volumes", s.volumes().stream().map(m -> volumeInput(m, p)).toList());
        put(in, "volumes_from", s.volumesFrom());
        put(in, "working_dir", s.workingDir());
        return in;
    }

    /** A named volume's key is replaced by the engine's name, so renaming the volume recreates its users. */
    private static Object volumeInput(io.jcompose.model.Mount m, Project p) {
        if (m.type() != io.jcompose.model.Mount.Type.VOLUME || m.source().isEmpty()) return m;
        Volume v = p.volumes().get(m.source().get());
        if (v == null) return m;
        return new io.jcompose.model.Mount(m.type(), java.util.Optional.of(v.name()), m.target(), m.readOnly(),
                m.consistency(), m.bindPropagation(), m.bindCreateHostPath(), m.bindSelinux(), m.volumeNocopy(),
                m.subpath(), m.tmpfsSize(), m.tmpfsMode());
    }

    private static void put(Map<String, Object> in, String key, Object value) {
        if (!CanonicalJson.absent(value)) in.put(key, value);
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
