package io.jcompose.reconcile;

/**
 * The labels jcompose puts on what it creates. They are docker compose's own, so {@code docker compose ps},
 * IDE plug-ins and dashboards that group by project see jcompose stacks; {@code io.jcompose.*} only where Compose
 * has no label. Every query for a project's objects filters on {@link #PROJECT}.
 */
public final class Labels {
    private Labels() {}

    public static final String PROJECT = "com.docker.compose.project";
    public static final String SERVICE = "com.docker.compose.service";
    public static final String CONTAINER_NUMBER = "com.docker.compose.container-number";
    /** {@code False} for service containers; {@code True} for {@code run} containers (never reconciled). */
    public static final String ONEOFF = "com.docker.compose.oneoff";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";
    /** Comma-separated absolute paths of the Compose files. */
    public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    /** {@link ConfigHash#of}: decides whether a container is recreated. */
    public static final String CONFIG_HASH = "com.docker.compose.config-hash";
    /** {@code service:condition:restart} entries, comma-separated, as docker compose v2 writes them. */
    public static final String DEPENDS_ON = "com.docker.compose.depends_on";
    /** The image id the container was created from. */
    public static final String IMAGE = "com.docker.compose.image";
    public static final String VERSION = "com.docker.compose.version";
    public static final String NETWORK = "com.docker.compose.network";
    public static final String VOLUME = "com.docker.compose.volume";
    /**
     * Per-field digests of the config hash inputs ({@code command=1a2b3c4d,environment=…}): lets the plan say
     * which field changed. Compose has no such label.
     */
    public static final String CONFIG_FIELDS = "io.jcompose.config-fields";

    /** The filter that selects a project's objects. */
    public static String projectFilter(String project) {
        return PROJECT + "=" + project;
    }
}
