package io.jcompose.project;

import java.util.ArrayList;
import java.util.List;

/**
 * Parsers for the short syntaxes of {@code ports} and {@code volumes}, used by the merge (unique keys) and the
 * canonical stage (long syntax). Errors are {@link IllegalArgumentException}s with a one-line reason; callers
 * locate them.
 */
final class ShortSyntax {
    private ShortSyntax() {}

    /** One published port in long syntax; {@code published} and {@code hostIp} may be empty. */
    record Port(String hostIp, String published, int target, String protocol) {
        /** The merge's unique key: {ip, published, target, protocol}. */
        String key() {
            return hostIp + ":" + published + ":" + target + "/" + protocol;
        }
    }

    /**
     * {@code [[ip:][published]:]target[/protocol]}, with ranges ({@code 3000-3005}, {@code 9090-9091:8080-8081},
     * {@code 8000-8010:80}) expanded the way docker does; IPv6 host addresses in brackets.
     */
    static List<Port> ports(String spec) {
        String s = spec.trim();
        String protocol = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            protocol = s.substring(slash + 1);
            s = s.substring(0, slash);
            if (protocol.isEmpty()) throw new IllegalArgumentException("invalid port \"" + spec + "\": empty protocol");
        }
        String ip = "";
        String rest = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("invalid port \"" + spec + "\": write an IPv6 address as [addr]:published:target");
            }
            ip = s.substring(1, close);
            rest = s.substring(close + 2);
        }
        String[] parts = rest.split(":", -1);
        String published;
        String target;
        if (parts.length == 1 && ip.isEmpty()) {
            published = "";
            target = parts[0];
        } else if (parts.length == 2 && ip.isEmpty()) {
            published = parts[0];
            target = parts[1];
        } else if (parts.length == 3 && ip.isEmpty()) {
            ip = parts[0];
            published = parts[1];
            target = parts[2];
        } else if (parts.length == 2) {
            published = parts[0];
            target = parts[1];
        } else if (parts.length == 1) {
            published = "";
            target = parts[0];
        } else {
            throw new IllegalArgumentException("invalid port \"" + spec + "\": expected [[ip:]published:]target[/protocol]");
        }
        int[] t = range(target, spec);
        List<Port> out = new ArrayList<>();
        if (published.isEmpty()) {
            for (int p = t[0]; p <= t[1]; p++) out.add(new Port(ip, "", p, protocol));
            return out;
        }
        int[] h = range(published, spec);
        int tn = t[1] - t[0];
        int hn = h[1] - h[0];
        if (tn == 0) {
            out.add(new Port(ip, published, t[0], protocol));
        } else if (tn == hn) {
            for (int i = 0; i <= tn; i++) out.add(new Port(ip, Integer.toString(h[0] + i), t[0] + i, protocol));
        } else {
            throw new IllegalArgumentException("invalid port \"" + spec + "\": published and target ranges differ in size");
        }
        return out;
    }

    private static int[] range(String text, String spec) {
        int dash = text.indexOf('-');
        int lo = portNumber(dash < 0 ? text : text.substring(0, dash), spec);
        int hi = dash < 0 ? lo : portNumber(text.substring(dash + 1), spec);
        if (hi < lo) throw new IllegalArgumentException("invalid port range \"" + text + "\" in \"" + spec + "\"");
        return new int[] {lo, hi};
    }

    private static int portNumber(String text, String spec) {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port \"" + spec + "\": \"" + text + "\" is not a port number (0-65535)");
        }
    }

    /** A service volume in short syntax {@code [source:]target[:options]}. {@code source} is empty for anonymous volumes. */
    record Volume(String type, String source, String target, boolean readOnly, String selinux, String propagation,
                  boolean nocopy, List<String> ignoredOptions) {
        Volume {
            ignoredOptions = List.copyOf(ignoredOptions);
        }
    }

    static Volume volume(String spec) {
        String[] parts = spec.split(":", -1);
        String source;
        String target;
        String options = "";
        switch (parts.length) {
            case 1 -> {
                source = "";
                target = parts[0];
            }
            case 2 -> {
                source = parts[0];
                target = parts[1];
            }
            case 3 -> {
                source = parts[0];
                target = parts[1];
                options = parts[2];
            }
            default -> throw new IllegalArgumentException("invalid volume \"" + spec + "\": too many colons (expected [source:]target[:options])");
        }
        for (String p : parts) {
            if (p.isEmpty()) throw new IllegalArgumentException("invalid volume \"" + spec + "\": empty section between colons");
        }
        boolean readOnly = false;
        boolean nocopy = false;
        List<String> ignored = new ArrayList<>();
        String selinux = "";
        String propagation = "";
        if (!options.isEmpty()) {
            for (String o : options.split(",")) {
                switch (o) {
                    case "ro" -> readOnly = true;
                    case "rw" -> readOnly = false;
                    case "z", "Z" -> selinux = o;
                    case "nocopy" -> nocopy = true;
                    case "shared", "rshared", "slave", "rslave", "private", "rprivate" -> propagation = o;
                    default -> ignored.add(o); // Compose ignores unknown options; the caller warns

                }
            }
        }
        String type = source.isEmpty() ? "volume" : isPath(source) ? "bind" : "volume";
        return new Volume(type, source, cleanTarget(target), readOnly, selinux, propagation, nocopy, ignored);
    }

    /** Compose's rule: a source that looks like a path is a bind mount, anything else names a volume. */
    static boolean isPath(String source) {
        return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
    }

    static String cleanTarget(String target) {
        if (target.isEmpty()) return target;
        String cleaned = java.nio.file.Path.of(target).normalize().toString();
        return cleaned.isEmpty() ? "." : cleaned;
    }
}
