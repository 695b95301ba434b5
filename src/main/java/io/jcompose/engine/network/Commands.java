package io.jcompose.engine.network;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs the host tools the network part drives: {@code ip -batch -} (one process for a whole set of link/address/
 * route changes, optionally inside a namespace via {@code nsenter --net=PATH}), {@code iptables-restore} and
 * {@code iptables -w}. Failures carry the tool's own stderr line.
 */
final class Commands {
    private static final Logger LOG = Logger.getLogger(Commands.class.getName());

    private Commands() {}

    record Result(int code, String out, String err) {
        boolean ok() {
            return code == 0;
        }
    }

    /** {@code ip -batch -} on the host; throws on the first failing line. */
    static void ipBatch(List<String> lines) {
        check(run(List.of("ip", "-batch", "-"), String.join("\n", lines) + "\n"), "ip -batch", lines);
    }

    /** {@code ip -batch -} inside the namespace at {@code netns} (any path: /run/netns/x or /proc/pid/ns/net). */
    static void ipBatchIn(String netns, List<String> lines) {
        check(run(List.of("nsenter", "--net=" + netns, "ip", "-batch", "-"), String.join("\n", lines) + "\n"),
                "ip -batch in " + netns, lines);
    }

    static Result run(List<String> cmd, String stdin) {
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            try (OutputStream o = p.getOutputStream()) {
                if (stdin != null) o.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            // Small outputs only: read after the input is closed, stdout first (ip/iptables write little).
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NetworkException(NetworkException.Kind.UNAVAILABLE, String.join(" ", cmd) + " did not finish in 30 s");
            }
            LOG.fine(() -> String.join(" ", cmd) + " took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return new Result(p.exitValue(), out, err.trim());
        } catch (IOException e) {
            throw new NetworkException(NetworkException.Kind.UNAVAILABLE, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkException(NetworkException.Kind.UNAVAILABLE, cmd.get(0) + " interrupted", e);
        }
    }

    static List<String> iptablesArgs(String table, String... args) {
        List<String> c = new ArrayList<>(List.of("iptables", "-w", "-t", table));
        c.addAll(List.of(args));
        return c;
    }

    private static void check(Result r, String what, List<String> lines) {
        if (!r.ok()) {
            throw new NetworkException(NetworkException.Kind.UNAVAILABLE, what + " failed: " + firstLine(r.err)
                    + " (commands: " + String.join("; ", lines) + ")");
        }
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
