package io.jcompose.engine.api;

/** Who is on the other end of a connection, from the kernel ({@code SO_PEERCRED}): user and primary group names. */
public record Peer(String user, String group) {
    public Peer {
        if (user == null || user.isEmpty()) throw new IllegalArgumentException("peer user must not be empty");
        if (group == null || group.isEmpty()) throw new IllegalArgumentException("peer group must not be empty");
    }
}
