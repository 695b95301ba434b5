package io.jcompose.engine.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The engine's own iptables chains, {@code JCOMPOSE-<rootid>-FWD} (filter) and {@code JCOMPOSE-<rootid>-NAT}
 * (nat), rebuilt from the list of bridge networks in one {@code iptables-restore --noflush} (a chain declared in the
 * input is flushed and refilled atomically; nothing else is touched). The jumps from FORWARD and POSTROUTING are
 * added once, while at least one bridge network exists, and removed with the last one. Docker's chains are never
 * touched; we insert our FORWARD jump first because Docker's policy is DROP and bridge netfilter is on, so even
 * traffic between two ports of our own bridge needs our ACCEPT.
 */
final class Firewall {
    private final String fwd;
    private final String nat;
    private final String bridgePrefix;
    // Jumps are checked once per engine process (two iptables runs), not on every network change.
    private boolean jumpsChecked;

    Firewall(String rootId) {
        this.bridgePrefix = "jc" + rootId;
        this.fwd = "JCOMPOSE-" + rootId + "-FWD";
        this.nat = "JCOMPOSE-" + rootId + "-NAT";
    }

    String forwardChain() {
        return fwd;
    }

    String natChain() {
        return nat;
    }

    /** The iptables-restore input for {@code networks}: per bridge, intra-bridge accept; egress or isolation. */
    String rules(Collection<NetworkRecord> networks) {
        StringBuilder f = new StringBuilder("*filter\n:" + fwd + " - [0:0]\n");
        StringBuilder n = new StringBuilder("*nat\n:" + nat + " - [0:0]\n");
        for (NetworkRecord r : networks) {
            if (r.isBridge()) f.append("-A ").append(fwd).append(" -i ").append(r.bridge()).append(" -o ").append(r.bridge()).append(" -j ACCEPT\n");
        }
        // Networks are isolated from each other, as Docker's are: after each bridge's own accept, ours to ours drops.
        f.append("-A ").append(fwd).append(" -i ").append(bridgePrefix).append("+ -o ").append(bridgePrefix).append("+ -j DROP\n");
        for (NetworkRecord r : networks) {
            if (!r.isBridge()) continue;
            String br = r.bridge();
            if (r.internal()) {
                f.append("-A ").append(fwd).append(" -i ").append(br).append(" ! -o ").append(br).append(" -j DROP\n");
                f.append("-A ").append(fwd).append(" ! -i ").append(br).append(" -o ").append(br).append(" -j DROP\n");
            } else {
                f.append("-A ").append(fwd).append(" -i ").append(br).append(" ! -o ").append(br).append(" -j ACCEPT\n");
                f.append("-A ").append(fwd).append(" -o ").append(br)
                        .append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
                n.append("-A ").append(nat).append(" -s ").append(r.subnet()).append(" ! -o ").append(br).append(" -j MASQUERADE\n");
            }
        }
        return f.append("COMMIT\n").append(n).append("COMMIT\n").toString();
    }

    /** Makes the kernel's rules match {@code networks}; with no bridge network left, removes chains and jumps. */
    void apply(Collection<NetworkRecord> networks) {
        boolean any = networks.stream().anyMatch(NetworkRecord::isBridge);
        if (!any) {
            removeAll();
            return;
        }
        Commands.Result r = Commands.run(List.of("iptables-restore", "-w", "--noflush"), rules(networks));
        if (!r.ok()) throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "iptables-restore failed: " + r.err());
        if (!jumpsChecked) {
            ensureJump("filter", "FORWARD", fwd);
            ensureJump("nat", "POSTROUTING", nat);
            jumpsChecked = true;
        }
    }

    /** Whether our filter chain exists (one process): lets a start with no live bridge skip a cleanup of nothing. */
    boolean chainsExist() {
        return Commands.run(Commands.iptablesArgs("filter", "-S", fwd), null).ok()
                || Commands.run(Commands.iptablesArgs("nat", "-S", nat), null).ok();
    }

    private static void ensureJump(String table, String from, String chain) {
        if (Commands.run(Commands.iptablesArgs(table, "-C", from, "-j", chain), null).ok()) return;
        Commands.Result r = Commands.run(Commands.iptablesArgs(table, "-I", from, "1", "-j", chain), null);
        if (!r.ok()) throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "iptables -I " + from + " failed: " + r.err());
    }

    /** Removes our jumps and chains; absent ones are fine (idempotent). */
    void removeAll() {
        jumpsChecked = false;
        List<String[]> steps = new ArrayList<>();
        steps.add(new String[] {"filter", "-D", "FORWARD", "-j", fwd});
        steps.add(new String[] {"nat", "-D", "POSTROUTING", "-j", nat});
        steps.add(new String[] {"filter", "-F", fwd});
        steps.add(new String[] {"filter", "-X", fwd});
        steps.add(new String[] {"nat", "-F", nat});
        steps.add(new String[] {"nat", "-X", nat});
        for (String[] s : steps) {
            // A jump may exist twice after a crash between -C and -I of two engines' starts: delete until gone.
            for (int i = 0; i < 4; i++) {
                String[] rest = java.util.Arrays.copyOfRange(s, 1, s.length);
                if (!Commands.run(Commands.iptablesArgs(s[0], rest), null).ok() || !s[1].equals("-D")) break;
            }
        }
    }
}
