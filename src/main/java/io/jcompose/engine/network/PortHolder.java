package io.jcompose.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Best effort: who holds a local port, from /proc/net/{tcp,udp}[6] and the socket links in /proc/[pid]/fd. */
final class PortHolder {
    private PortHolder() {}

    /** "pid 1234 (nginx)", "an unknown process" when the socket is found but not its owner, or "" if not found. */
    static String describe(String protocol, int port) {
        Set<String> inodes = new HashSet<>();
        for (String f : new String[] {protocol, protocol + "6"}) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/net/" + f))) {
                    String[] c = line.trim().split("\\s+");
                    if (c.length < 10 || c[0].equals("sl")) continue;
                    String local = c[1];
                    int p = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    boolean listening = protocol.equals("udp") || c[3].equals("0A");
                    if (p == port && listening) inodes.add(c[9]);
                }
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
        if (inodes.isEmpty()) return "";
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), d -> d.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try (var fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        String link;
                        try {
                            link = Files.readSymbolicLink(fd).toString();
                        } catch (IOException e) {
                            continue;
                        }
                        if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
                            String comm = Files.readString(proc.resolve("comm")).trim();
                            return "pid " + proc.getFileName() + " (" + comm + ")";
                        }
                    }
                } catch (IOException e) {
                    // the process went away or is not ours to read
                }
            }
        } catch (IOException e) {
            // best effort
        }
        return "an unknown process";
    }
}
