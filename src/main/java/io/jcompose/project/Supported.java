package io.jcompose.project;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which Compose keys jcompose honours: exactly the keys {@link Binder} carries into the model (plus those earlier
 * stages consume). Every other key gets a located warning from {@link SemanticValidator}, so nothing is dropped
 * silently. Patterns: {@code *} is any name, {@code []} any list item; a listed key covers everything below it.
 */
final class Supported {
    private Supported() {}

    private static final String S = "services.*.";

    static final Set<String> PATHS = new HashSet<>();

    static {
        add("", "name", "include");
        add(S, "image", "pull_policy", "platform", "command", "entrypoint", "working_dir", "user", "environment",
                "env_file", "label_file", "extends", "labels", "annotations", "expose", "volumes_from", "tmpfs", "network_mode",
                "links", "external_links", "restart", "scale", "cpus", "mem_limit", "memswap_limit", "pids_limit",
                "mem_reservation", "hostname", "domainname", "mac_address", "dns", "dns_search", "dns_opt", "extra_hosts",
                "cap_add", "cap_drop", "privileged", "read_only", "init", "security_opt", "ulimits", "sysctls", "shm_size",
                "stop_signal", "stop_grace_period", "ipc", "pid", "uts", "userns_mode", "cgroup", "cgroup_parent",
                "group_add", "devices", "oom_score_adj", "runtime", "tty", "stdin_open", "profiles", "container_name",
                "cpu_shares", "cpu_quota", "cpu_period", "cpuset", "mem_swappiness", "oom_kill_disable",
                "device_cgroup_rules", "storage_opt", "attach");
        add(S + "build.", "context", "dockerfile", "dockerfile_inline", "args", "target", "labels", "cache_from", "cache_to",
                "no_cache", "pull", "network", "additional_contexts", "tags", "platforms", "extra_hosts", "shm_size", "ssh",
                "secrets", "privileged", "isolation", "ulimits", "entitlements");
        add(S + "ports[].", "mode", "host_ip", "target", "published", "protocol", "name", "app_protocol");
        add(S + "volumes[].", "type", "source", "target", "read_only", "consistency");
        add(S + "volumes[].bind.", "propagation", "create_host_path", "selinux");
        add(S + "volumes[].volume.", "nocopy", "subpath");
        add(S + "volumes[].tmpfs.", "size", "mode");
        add(S + "volumes[].image.", "subpath");
        add(S + "networks.*.", "aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "driver_opts",
                "priority", "gw_priority", "interface_name");
        add(S + "depends_on.*.", "condition", "required", "restart");
        add(S + "healthcheck.", "test", "interval", "timeout", "retries", "start_period", "start_interval", "disable");
        add(S + "deploy.", "replicas", "mode"); // mode: only "replicated" is honoured; SemanticValidator warns about others
        add(S + "deploy.resources.limits.", "cpus", "memory", "pids");
        add(S + "deploy.resources.reservations.", "cpus", "memory");
        add(S + "deploy.restart_policy.", "condition", "max_attempts");
        add(S + "logging.", "driver", "options");
        for (String refs : List.of("secrets[].", "configs[].")) add(S + refs, "source", "target", "uid", "gid", "mode");
        for (String hook : List.of("post_start[].", "pre_stop[].")) add(S + hook, "command", "user", "privileged", "working_dir", "environment");
        add("networks.*.", "name", "driver", "driver_opts", "external", "internal", "attachable", "enable_ipv4", "enable_ipv6", "labels");
        add("networks.*.ipam.", "driver", "options");
        add("networks.*.ipam.config[].", "subnet", "ip_range", "gateway", "aux_addresses");
        add("volumes.*.", "name", "driver", "driver_opts", "external", "labels");
        add("secrets.*.", "name", "file", "environment", "external", "labels", "driver", "driver_opts", "template_driver");
        add("configs.*.", "name", "file", "environment", "content", "external", "labels", "template_driver");
    }

    private static void add(String prefix, String... keys) {
        for (String k : keys) PATHS.add(prefix + k);
    }

    /** Why a key is ignored, for the keys people ask about; others get the generic reason. */
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("version", "the attribute `version` is obsolete, it will be ignored, please remove it"),
            Map.entry("models", "AI models are not supported by jcompose; ignored"),
            Map.entry(S + "models", "AI models are not supported by jcompose; ignored"),
            Map.entry(S + "develop", "develop/watch is not supported by jcompose; ignored"),
            Map.entry(S + "gpus", "GPUs are not supported by jcompose; ignored"),
            Map.entry(S + "deploy.resources.reservations.devices", "device reservations (GPUs) are not supported by jcompose; ignored"),
            Map.entry(S + "deploy.resources.reservations.generic_resources", "generic resources are Swarm-only; ignored"),
            Map.entry(S + "deploy.placement", "placement is Swarm-only; ignored on a single host"),
            Map.entry(S + "deploy.update_config", "update_config is Swarm-only; ignored"),
            Map.entry(S + "deploy.rollback_config", "rollback_config is Swarm-only; ignored"),
            Map.entry(S + "deploy.endpoint_mode", "endpoint_mode is Swarm-only; ignored"),
            Map.entry(S + "deploy.labels", "deploy.labels label the Swarm service, not containers; ignored (use labels)"),
            Map.entry(S + "credential_spec", "credential_spec is Windows-only; ignored"),
            Map.entry(S + "isolation", "isolation is Windows-only; ignored"),
            Map.entry(S + "use_api_socket", "use_api_socket is not supported by jcompose; ignored"));

    static String reason(String pattern) {
        return REASONS.getOrDefault(pattern, "not supported by jcompose yet; ignored");
    }

    /** How the validator walks: is {@code pattern} supported as a whole, partly (walk into it), or not at all? */
    enum Support { ALL, PARTLY, NONE }

    static Support of(String pattern) {
        if (PATHS.contains(pattern)) return Support.ALL;
        String prefix = pattern + ".";
        String items = pattern + "[]";
        for (String p : PATHS) if (p.startsWith(prefix) || p.startsWith(items)) return Support.PARTLY;
        return Support.NONE;
    }

    /** The pattern of a key under {@code parent}: its own name, or {@code *} where the parent is a map of names. */
    static Optional<String> child(String parent, String key) {
        String own = parent.isEmpty() ? key : parent + "." + key;
        if (of(own) != Support.NONE) return Optional.of(own);
        String any = parent.isEmpty() ? "*" : parent + ".*";
        if (of(any) != Support.NONE) return Optional.of(any);
        return Optional.empty();
    }
}
