package io.jcompose.runtime;

import java.util.List;

/** Networks, named by id or name. */
public interface Networks {
    /** Creates a network and returns its id. Fails with CONFLICT if the name is taken. */
    String create(NetworkSpec spec);

    /** Fails with NOT_FOUND if absent. */
    NetworkInfo inspect(String network);

    /** Networks whose labels match every filter ({@code "key"} or {@code "key=value"}); sorted by name. */
    List<NetworkInfo> list(List<String> labelFilters);

    /** Fails with NOT_FOUND if absent, CONFLICT if containers are still attached. */
    void remove(String network);

    /** Attaches a container; fails with CONFLICT if it is already attached (the engine's words kept). */
    void connect(String network, String container, NetworkAttachment attachment);

    /** Detaches a container; {@code force}: even if the container is not running. */
    void disconnect(String network, String container, boolean force);
}
