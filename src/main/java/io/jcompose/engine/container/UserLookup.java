package io.jcompose.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Docker's {@code User} resolution against the container's own /etc/passwd and /etc/group: "name", "uid",
 * "name:group", "uid:gid"; a numeric uid absent from passwd is allowed (gid 0), an unknown name is an error.
 * Additional gids are the groups listing the user plus {@code GroupAdd}.
 */
record UserLookup(int uid, int gid, List<Integer> additionalGids, String home) {
    UserLookup {
        additionalGids = List.copyOf(additionalGids);
    }

    static UserLookup resolve(Path rootfs, String user, List<String> groupAdd) throws IOException {
        // Resolved as the container sees them: an image's /etc/passwd symlink must not read the host's.
        List<String[]> passwd = table(Archives.resolve(rootfs, "/etc/passwd", true));
        List<String[]> groups = table(Archives.resolve(rootfs, "/etc/group", true));
        String u = user == null || user.isEmpty() ? "0" : user;
        String userPart = u;
        String groupPart = null;
        int colon = u.indexOf(':');
        if (colon >= 0) {
            userPart = u.substring(0, colon);
            groupPart = u.substring(colon + 1);
        }
        int uid;
        int gid = 0;
        String name = null;
        String home = "/";
        String[] entry = null;
        for (String[] p : passwd) {
            if (p.length >= 4 && (p[0].equals(userPart) || p[2].equals(userPart))) {
                entry = p;
                break;
            }
        }
        if (entry != null) {
            name = entry[0];
            uid = Integer.parseInt(entry[2]);
            gid = Integer.parseInt(entry[3]);
            if (entry.length > 5 && !entry[5].isEmpty()) home = entry[5];
        } else if (userPart.matches("\\d+")) {
            uid = Integer.parseInt(userPart);
        } else {
            throw new IllegalArgumentException("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        if (groupPart != null && !groupPart.isEmpty()) gid = groupId(groups, groupPart);
        TreeSet<Integer> extra = new TreeSet<>();
        if (name != null) {
            for (String[] g : groups) {
                if (g.length >= 4 && List.of(g[3].split(",")).contains(name)) extra.add(Integer.parseInt(g[2]));
            }
        }
        for (String g : groupAdd) extra.add(groupId(groups, g));
        extra.remove(gid);
        return new UserLookup(uid, gid, new ArrayList<>(extra), home);
    }

    private static int groupId(List<String[]> groups, String g) {
        for (String[] e : groups) {
            if (e.length >= 3 && (e[0].equals(g) || e[2].equals(g))) return Integer.parseInt(e[2]);
        }
        if (g.matches("\\d+")) return Integer.parseInt(g);
        throw new IllegalArgumentException("unable to find group " + g + ": no matching entries in group file");
    }

    private static List<String[]> table(Path f) throws IOException {
        List<String[]> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) return out;
        for (String line : Files.readAllLines(f)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.add(line.split(":", -1));
        }
        return out;
    }
}
