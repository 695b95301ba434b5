package io.jcompose.engine.image;

import java.util.List;

/** Manifest and layer media types of the OCI image spec and Docker's schema2. */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /**
     * Every manifest type we understand. Always sent in full: without it distribution converts schema2 to schema1
     * (a different digest) and answers 404 for OCI manifests.
     */
    public static final List<String> ACCEPT = List.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

    public static boolean isIndex(String mt) {
        return OCI_INDEX.equals(mt) || DOCKER_MANIFEST_LIST.equals(mt);
    }

    public static boolean isManifest(String mt) {
        return OCI_MANIFEST.equals(mt) || DOCKER_MANIFEST.equals(mt);
    }
}
