package io.jcompose.engine.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A RUN step's {@code USER} ("name", "uid", "name:group", "uid:gid") resolved against the step's root file
 * system, as dockerd does: names from /etc/passwd and /etc/group, a numeric uid without an entry runs with gid 0,
 * supplementary groups are the groups listing the user.
 */
record UserIds(int uid, int gid, List<Integer> additional) {
    UserIds {
        additional = List.copyOf(additional);
    }

    static UserIds resolve(String user, Path rootfs) throws BuildException, IOException {
        if (user == null || user.isEmpty()) user = "root";
        String name = user, group = null;
        int colon = user.indexOf(':');
        if (colon >= 0) {
            name = user.substring(0, colon);
            group = user.substring(colon + 1);
        }
        List<String[]> passwd = table(rootfs, "etc/passwd");
        List<String[]> groups = table(rootfs, "etc/group");
        Integer uid = null, gid = null;
        String userName = null;
        for (String[] p : passwd) {
            if (p.length < 4) continue;
            if (p[0].equals(name) || isInt(name) && p[2].equals(name)) {
                uid = Integer.parseInt(p[2]);
                gid = Integer.parseInt(p[3]);
                userName = p[0];
                break;
            }
        }
        if (uid == null) {
            if (!isInt(name)) throw new BuildException("unable to find user " + name + ": no matching entries in passwd file");
            uid = Integer.parseInt(name);
            gid = 0;
        }
        if (group != null && !group.isEmpty()) {
            Optional<Integer> g = Optional.empty();
            for (String[] e : groups) {
                if (e.length >= 3 && (e[0].equals(group) || isInt(group) && e[2].equals(group))) {
                    g = Optional.of(Integer.parseInt(e[2]));
                    break;
                }
            }
            if (g.isEmpty() && !isInt(group)) throw new BuildException("unable to find group " + group + ": no matching entries in group file");
            gid = g.isPresent() ? g.get() : Integer.parseInt(group);
        }
        List<Integer> extra = new ArrayList<>();
        if (userName != null && (group == null || group.isEmpty())) {
            for (String[] e : groups) {
                if (e.length < 4 || e[3].isEmpty()) continue;
                for (String member : e[3].split(",")) {
                    int id = Integer.parseInt(e[2]);
                    if (member.trim().equals(userName) && id != gid && !extra.contains(id)) extra.add(id);
                }
            }
        }
        return new UserIds(uid, gid, extra);
    }

    private static boolean isInt(String s) {
        return s.matches("[0-9]+");
    }

    private static List<String[]> table(Path rootfs, String rel) throws IOException {
        Path f = rootfs.resolve(rel);
        List<String[]> out = new ArrayList<>();
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return out;
        for (String line : Files.readAllLines(f)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.add(line.split(":", -1));
        }
        return out;
    }
}
