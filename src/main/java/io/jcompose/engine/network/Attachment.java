package io.jcompose.engine.network;

/**
 * What {@link Networks#attach} did, for the container's inspect output and its config: the interface inside the
 * namespace with its address, MAC and gateway.
 */
public record Attachment(String endpointId, String networkId, String networkName, String ifName, String ipv4,
                         int prefix, String mac, String gateway) {}
