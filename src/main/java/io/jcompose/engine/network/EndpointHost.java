package io.jcompose.engine.network;

import java.util.List;
import java.util.Optional;

/**
 * The container side of {@code POST /networks/{id}/connect|disconnect}: only the container part knows a container's
 * netns and name, so it implements this and calls {@link Networks#attach}/{@link Networks#detach} itself.
 * {@link #UNSUPPORTED} is for an engine without containers (tests of the network part alone).
 */
public interface EndpointHost {
    /** Connects container {@code container} (id or name) to {@code network}; NOT_FOUND for an unknown container. */
    void connect(NetworkRecord network, String container, List<String> aliases, Optional<String> ipv4Address);

    /** Disconnects it; {@code force} as in Docker (ignore a missing endpoint). */
    void disconnect(NetworkRecord network, String container, boolean force);

    EndpointHost UNSUPPORTED = new EndpointHost() {
        @Override public void connect(NetworkRecord n, String c, List<String> a, Optional<String> ip) {
            throw new NetworkException(NetworkException.Kind.UNSUPPORTED, "connecting containers is not supported until containers are wired");
        }

        @Override public void disconnect(NetworkRecord n, String c, boolean force) {
            throw new NetworkException(NetworkException.Kind.UNSUPPORTED, "disconnecting containers is not supported until containers are wired");
        }
    };
}
