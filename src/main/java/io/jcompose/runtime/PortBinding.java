package io.jcompose.runtime;

import java.util.Locale;

/**
 * A container port, optionally published on the host.
 *
 * @param containerPort the port inside the container
 * @param protocol      {@code tcp}, {@code udp} or {@code sctp}
 * @param hostIp        host address to bind; empty: all addresses
 * @param hostPort      host port or range ({@code "8080"}, {@code "8000-8010"}); empty: engine picks one;
 *                      {@code null}: exposed only, not published
 */
public record PortBinding(int containerPort, String protocol, String hostIp, String hostPort) {
    public PortBinding {
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("container port must be 1..65535, got " + containerPort);
        }
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        hostIp = hostIp == null ? "" : hostIp;
    }

    public static PortBinding exposed(int containerPort, String protocol) {
        return new PortBinding(containerPort, protocol, "", null);
    }

    public static PortBinding published(int containerPort, String protocol, String hostIp, String hostPort) {
        return new PortBinding(containerPort, protocol, hostIp, hostPort == null ? "" : hostPort);
    }

    public boolean isPublished() {
        return hostPort != null;
    }

    /** Docker's key for the port: {@code 80/tcp}. */
    public String key() {
        return containerPort + "/" + protocol;
    }
}
