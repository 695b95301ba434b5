package io.jcompose.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A published (or only declared) container port, Compose's long syntax.
 *
 * @param target      container port
 * @param published   host port or range ({@code "8080"}, {@code "8000-8010"}); empty: an ephemeral host port
 * @param hostIp      host address to bind; empty: all addresses
 * @param protocol    {@code tcp}, {@code udp} or {@code sctp}
 * @param mode        {@code ingress} (the default, what a single engine does) or {@code host}
 * @param name        a human name for the port, if given
 * @param appProtocol the application protocol ({@code http}, {@code grpc} …), informational
 */
public record Port(int target, Optional<String> published, Optional<String> hostIp, String protocol, String mode,
                   Optional<String> name, Optional<String> appProtocol) {
    public Port {
        if (target < 1 || target > 65535) throw new IllegalArgumentException("target port must be 1-65535, got " + target);
        Copies.opt(published);
        Copies.opt(hostIp);
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(mode, "mode");
        Copies.opt(name);
        Copies.opt(appProtocol);
    }
}
