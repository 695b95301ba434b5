package io.jcompose.engine.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the engine: root, and members of the configured group. The socket's mode (0660 root:group) already
 * stops others at {@code connect}; this check is the second lock, for when the file's mode was loosened.
 * Membership is the peer's primary group (the kernel's {@code SO_PEERCRED}) or the group's member list in
 * {@code /etc/group} (supplementary groups from other NSS sources are not seen).
 */
final class PeerPolicy {
    private final Optional<String> group;
    private final Path groupFile;

    PeerPolicy(Optional<String> group, Path groupFile) {
        this.group = group;
        this.groupFile = groupFile;
    }

    /** Why {@code peer} is refused; empty if admitted. */
    Optional<String> refusal(Peer peer) {
        if (peer.user().equals("root") || peer.user().equals("0")) return Optional.empty();
        if (group.isPresent()) {
            if (peer.group().equals(group.get()) || members(group.get()).contains(peer.user())) return Optional.empty();
            return Optional.of("permission denied: user " + peer.user() + " is neither root nor in group " + group.get());
        }
        return Optional.of("permission denied: user " + peer.user() + " is not root (start the engine with --group to admit a group)");
    }

    private List<String> members(String name) {
        try {
            for (String line : Files.readAllLines(groupFile)) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && f[0].equals(name)) {
                    return f[3].isEmpty() ? List.of() : Arrays.asList(f[3].split(","));
                }
            }
        } catch (IOException e) {
            // No readable group file: only root and the primary group are admitted.
        }
        return List.of();
    }
}
