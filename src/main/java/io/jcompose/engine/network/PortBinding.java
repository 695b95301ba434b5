package io.jcompose.engine.network;

/**
 * A published port: {@code hostIp:hostPort} on the host forwards to the endpoint's {@code containerPort}.
 * As a request, {@code hostPort} 0 means "any free port" and {@code hostPortEnd} > hostPort a range to choose from;
 * as a result both are the port actually bound. {@code hostIp} "" or "0.0.0.0" means every address.
 */
public record PortBinding(String protocol, String hostIp, int hostPort, int hostPortEnd, int containerPort) {
    public PortBinding {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("unsupported protocol " + protocol + ": use tcp or udp");
        }
        hostIp = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        Ipv4.parse(hostIp);
        if (hostPortEnd < hostPort) hostPortEnd = hostPort;
        if (hostPort < 0 || hostPortEnd > 65535 || containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("invalid port mapping " + hostPort + "-" + hostPortEnd + ":" + containerPort);
        }
    }

    /**
     * Parses Docker's short syntax: {@code [ip:][hostPort[-end]:]containerPort[-end][/proto]}.
     * {@code "8000-8001:80-81"} gives two bindings; {@code "8000-8010:80"} one binding choosing from the range;
     * {@code "80"} one binding on a random port.
     */
    public static java.util.List<PortBinding> parse(String spec) {
        String proto = "tcp";
        String s = spec;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String[] parts = s.split(":");
        String ip = "";
        String host = "";
        String cont;
        if (parts.length == 1) {
            cont = parts[0];
        } else if (parts.length == 2) {
            host = parts[0];
            cont = parts[1];
        } else if (parts.length == 3) {
            ip = parts[0];
            host = parts[1];
            cont = parts[2];
        } else {
            throw new IllegalArgumentException("invalid port spec \"" + spec + "\": use [ip:][host:]container[/proto]");
        }
        int[] c = range(cont, spec);
        int[] h = host.isEmpty() ? new int[] {0, 0} : range(host, spec);
        java.util.List<PortBinding> out = new java.util.ArrayList<>();
        int n = c[1] - c[0] + 1;
        if (n == 1) {
            out.add(new PortBinding(proto, ip, h[0], h[1], c[0]));
        } else {
            if (h[0] != 0 && h[1] - h[0] + 1 != n) {
                throw new IllegalArgumentException("invalid port spec \"" + spec + "\": host and container ranges differ in size");
            }
            for (int i = 0; i < n; i++) out.add(new PortBinding(proto, ip, h[0] == 0 ? 0 : h[0] + i, h[0] == 0 ? 0 : h[0] + i, c[0] + i));
        }
        return out;
    }

    private static int[] range(String r, String spec) {
        try {
            int dash = r.indexOf('-');
            if (dash < 0) {
                int p = Integer.parseInt(r);
                return new int[] {p, p};
            }
            return new int[] {Integer.parseInt(r.substring(0, dash)), Integer.parseInt(r.substring(dash + 1))};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port spec \"" + spec + "\": \"" + r + "\" is not a port or range");
        }
    }
}
