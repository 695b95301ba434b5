package io.jcompose.project;

import java.util.List;
import java.util.Map;

/**
 * The key order {@code docker compose config} prints: compose-go marshals its typed model, so the fields of each
 * struct come in declaration order (not sorted), while maps (service names, environment, labels, …) come sorted,
 * and {@code x-*} extensions (an inline map) after the fields. E.g. a port prints
 * {@code mode, target, published, protocol}; the top level {@code name, services, networks, volumes, secrets, configs}.
 *
 * <p>A "type" names a struct ({@code service}), a map of structs ({@code map:service}) or a sequence of structs
 * ({@code seq:port}); {@code null} is an untyped, sorted mapping.
 */
final class ComposeOrder {
    private ComposeOrder() {}

    static final String PROJECT = "project";

    /** Struct type → its fields in compose-go's declaration order (types/types.go, build.go, healthcheck.go, project.go). */
    static final Map<String, List<String>> FIELDS = Map.ofEntries(
            Map.entry(PROJECT, List.of("name", "services", "networks", "volumes", "secrets", "configs", "models")),
            Map.entry("service", List.of("name", "profiles", "annotations", "attach", "build", "develop", "blkio_config", "cap_add",
                    "cap_drop", "cgroup_parent", "cgroup", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
                    "cpu_rt_runtime", "cpus", "cpuset", "cpu_shares", "command", "configs", "container_name", "credential_spec",
                    "depends_on", "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "dockerfile",
                    "domainname", "entrypoint", "provider", "environment", "env_file", "expose", "extends", "external_links",
                    "extra_hosts", "group_add", "gpus", "hostname", "healthcheck", "image", "init", "ipc", "isolation", "labels",
                    "label_file", "links", "logging", "log_driver", "log_opt", "mem_limit", "mem_reservation", "memswap_limit",
                    "mem_swappiness", "mac_address", "models", "net", "network_mode", "networks", "oom_kill_disable",
                    "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "pull_policy", "read_only", "restart",
                    "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
                    "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts",
                    "volume_driver", "volumes", "volumes_from", "working_dir", "post_start", "pre_stop")),
            Map.entry("build", List.of("context", "dockerfile", "dockerfile_inline", "entitlements", "args", "provenance", "sbom",
                    "ssh", "labels", "cache_from", "cache_to", "no_cache", "no_cache_filter", "additional_contexts", "pull",
                    "extra_hosts", "isolation", "network", "target", "secrets", "shm_size", "tags", "ulimits", "platforms",
                    "privileged")),
            Map.entry("healthcheck", List.of("test", "timeout", "interval", "retries", "start_period", "start_interval", "disable")),
            Map.entry("port", List.of("name", "mode", "host_ip", "target", "published", "protocol", "app_protocol")),
            Map.entry("service_volume", List.of("type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image")),
            Map.entry("bind", List.of("selinux", "propagation", "create_host_path", "recursive")),
            Map.entry("volume_options", List.of("labels", "nocopy", "subpath")),
            Map.entry("tmpfs", List.of("size", "mode")),
            Map.entry("service_network", List.of("aliases", "driver_opts", "gw_priority", "interface_name", "ipv4_address",
                    "ipv6_address", "link_local_ips", "mac_address", "priority")),
            Map.entry("dependency", List.of("condition", "restart", "required")),
            Map.entry("file_reference", List.of("source", "target", "uid", "gid", "mode")),
            Map.entry("device", List.of("source", "target", "permissions")),
            Map.entry("logging", List.of("driver", "options")),
            Map.entry("deploy", List.of("mode", "replicas", "labels", "update_config", "rollback_config", "resources",
                    "restart_policy", "placement", "endpoint_mode")),
            Map.entry("update_config", List.of("parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order")),
            Map.entry("resources", List.of("limits", "reservations")),
            Map.entry("resource", List.of("cpus", "memory", "pids", "devices", "generic_resources")),
            Map.entry("restart_policy", List.of("condition", "delay", "max_attempts", "window")),
            Map.entry("placement", List.of("constraints", "preferences", "max_replicas_per_node")),
            Map.entry("ulimit", List.of("soft", "hard")),
            Map.entry("network", List.of("name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels",
                    "enable_ipv4", "enable_ipv6")),
            Map.entry("ipam", List.of("driver", "config")),
            Map.entry("ipam_pool", List.of("subnet", "gateway", "ip_range", "aux_addresses")),
            Map.entry("volume", List.of("name", "driver", "driver_opts", "external", "labels")),
            Map.entry("file_object", List.of("name", "file", "environment", "content", "external", "labels", "driver", "driver_opts",
                    "template_driver")),
            Map.entry("env_file", List.of("path", "required", "format")),
            Map.entry("hook", List.of("command", "user", "privileged", "working_dir", "environment")),
            Map.entry("extends", List.of("file", "service")));

    /** "type.key" → the type of that field's value. */
    private static final Map<String, String> CHILD = Map.ofEntries(
            Map.entry("project.services", "map:service"), Map.entry("project.networks", "map:network"),
            Map.entry("project.volumes", "map:volume"), Map.entry("project.secrets", "map:file_object"),
            Map.entry("project.configs", "map:file_object"),
            Map.entry("service.build", "build"), Map.entry("service.healthcheck", "healthcheck"),
            Map.entry("service.ports", "seq:port"), Map.entry("service.volumes", "seq:service_volume"),
            Map.entry("service.networks", "map:service_network"), Map.entry("service.depends_on", "map:dependency"),
            Map.entry("service.secrets", "seq:file_reference"), Map.entry("service.configs", "seq:file_reference"),
            Map.entry("service.devices", "seq:device"), Map.entry("service.logging", "logging"),
            Map.entry("service.deploy", "deploy"), Map.entry("service.ulimits", "map:ulimit"),
            Map.entry("service.env_file", "seq:env_file"), Map.entry("service.post_start", "seq:hook"),
            Map.entry("service.pre_stop", "seq:hook"), Map.entry("service.extends", "extends"),
            Map.entry("build.secrets", "seq:file_reference"), Map.entry("build.ulimits", "map:ulimit"),
            Map.entry("service_volume.bind", "bind"), Map.entry("service_volume.volume", "volume_options"),
            Map.entry("service_volume.tmpfs", "tmpfs"),
            Map.entry("deploy.update_config", "update_config"), Map.entry("deploy.rollback_config", "update_config"),
            Map.entry("deploy.resources", "resources"), Map.entry("deploy.restart_policy", "restart_policy"),
            Map.entry("deploy.placement", "placement"),
            Map.entry("resources.limits", "resource"), Map.entry("resources.reservations", "resource"),
            Map.entry("network.ipam", "ipam"), Map.entry("ipam.config", "seq:ipam_pool"));

    /** The type of {@code key}'s value inside a mapping of type {@code type}; null: untyped. */
    static String child(String type, String key) {
        if (type == null) return null;
        if (type.startsWith("map:")) return type.substring(4);
        return CHILD.get(type + "." + key);
    }

    /** The type of the items of a sequence of type {@code type}; null: untyped. */
    static String item(String type) {
        return type != null && type.startsWith("seq:") ? type.substring(4) : null;
    }

    /** Position of a key among its struct's fields; unknown keys ({@code x-*}) sort after every field. */
    static int rank(String type, String key) {
        List<String> fields = type == null ? null : FIELDS.get(type);
        if (fields == null) return Integer.MAX_VALUE;
        int i = fields.indexOf(key);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    static boolean isStruct(String type) {
        return type != null && FIELDS.containsKey(type);
    }
}
