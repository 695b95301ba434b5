package io.jcompose.runtime.docker;

import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.Containers;
import io.jcompose.runtime.Events;
import io.jcompose.runtime.Images;
import io.jcompose.runtime.Networks;
import io.jcompose.runtime.SystemService;
import io.jcompose.runtime.Volumes;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@link ContainerRuntime} over the Docker Engine API (dockerd, Podman's compatible API, or our own engine).
 * Connecting is lazy: nothing is sent until the first call, which negotiates the API version.
 */
public final class DockerRuntime implements ContainerRuntime {
    private final DockerEndpoint endpoint;
    private final DockerApi api;
    private final DockerNetworks networks;
    private final DockerContainers containers;
    private final DockerImages images;
    private final DockerVolumes volumes;
    private final DockerEvents events;
    private final DockerSystem system;

    private DockerRuntime(DockerEndpoint endpoint, Transport transport, RegistryCredentials credentials,
                          String fixedVersion) {
        this.endpoint = endpoint;
        this.api = new DockerApi(new Http1Client(transport), fixedVersion);
        this.networks = new DockerNetworks(api);
        this.containers = new DockerContainers(api, networks);
        this.images = new DockerImages(api, credentials);
        this.volumes = new DockerVolumes(api);
        this.events = new DockerEvents(api);
        this.system = new DockerSystem(api);
    }

    /** The engine the Docker CLI would use, with its credentials. */
    public static DockerRuntime fromEnvironment(Function<String, String> env, Path home) {
        DockerEndpoint endpoint = DockerEndpoint.resolve(env, home);
        return connect(endpoint, env, home);
    }

    /** A given endpoint; credentials from the Docker config under {@code home}. */
    public static DockerRuntime connect(DockerEndpoint endpoint, Function<String, String> env, Path home) {
        RegistryCredentials creds = new RegistryCredentials(DockerConfigFile.load(env, home).json(),
                RegistryCredentials.processRunner());
        DockerRuntime r = new DockerRuntime(endpoint, endpoint.transport(), creds, null);
        r.images.env = env; // build secrets with an environment source read jcompose's environment
        return r;
    }

    /** For tests: a given transport, credentials and (optionally) a fixed API version. */
    static DockerRuntime forTest(Transport transport, RegistryCredentials creds, String fixedVersion) {
        return new DockerRuntime(new DockerEndpoint(transport.describe(), java.util.Optional.empty(), false, "test"),
                transport, creds, fixedVersion);
    }

    @Override
    public Containers containers() {
        return containers;
    }

    @Override
    public Images images() {
        return images;
    }

    @Override
    public Networks networks() {
        return networks;
    }

    @Override
    public Volumes volumes() {
        return volumes;
    }

    @Override
    public Events events() {
        return events;
    }

    @Override
    public SystemService system() {
        return system;
    }

    @Override
    public String endpoint() {
        return endpoint.toString();
    }

    /** The negotiated API version (negotiates on first use). */
    public String apiVersion() {
        return api.version();
    }

    @Override
    public long apiCalls() {
        return api.calls();
    }

    /** Connections opened so far (keep-alive keeps this far below {@link #apiCalls()}). */
    public long connectionsOpened() {
        return api.http().connectionsOpened();
    }

    @Override
    public void close() {
        api.close();
    }
}
