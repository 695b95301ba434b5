package io.jcompose.runtime;

/**
 * The boundary between the composer and a container engine, split by role (containerd style). One instance
 * talks to one engine; it is thread-safe and holds connections until {@link #close()}.
 */
public interface ContainerRuntime extends AutoCloseable {
    Containers containers();

    Images images();

    Networks networks();

    Volumes volumes();

    Events events();

    SystemService system();

    /** Where this runtime talks to, for messages: e.g. {@code unix:///var/run/docker.sock (DOCKER_HOST)}. */
    String endpoint();

    /** Number of API calls made so far (requests sent, including version negotiation); for benchmarks. */
    long apiCalls();

    @Override
    void close();
}
