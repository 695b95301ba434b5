package io.jcompose.cli;

/**
 * Whether a person is at the keyboard: standard input is the process's own and a terminal. Tests pass their own
 * input stream, which never counts as a terminal. Decides prompts ({@code rm}) and TTYs ({@code exec}, {@code run}).
 */
final class Terminal {
    private Terminal() {}

    static boolean interactive(JcomposeCommand.Context c) {
        return c.in().get() == System.in && System.console() != null;
    }

    /**
     * Puts the controlling terminal in raw mode (keys go to the container's TTY unprocessed, no local echo) until
     * closed; then restores the saved settings. Uses stty on /dev/tty: the JDK has no termios.
     */
    static AutoCloseable raw() {
        String saved = stty("-g").strip();
        stty("raw -echo");
        return () -> stty(saved.isEmpty() ? "sane" : saved);
    }

    private static String stty(String args) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "stty " + args + " < /dev/tty").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Colour in log prefixes: stdout is the process's own and a terminal, and NO_COLOR is not set. */
    static boolean colour(JcomposeCommand.Context c) {
        String no = c.env().apply("NO_COLOR");
        return (no == null || no.isEmpty()) && c.out() == System.out && System.console() != null;
    }

    /** The controlling terminal's size ({@code stty size}), if there is one. */
    static java.util.Optional<io.jcompose.runtime.Stdio.Size> size() {
        String[] rc = stty("size").strip().split("\\s+");
        try {
            return rc.length == 2 ? java.util.Optional.of(new io.jcompose.runtime.Stdio.Size(Integer.parseInt(rc[0]), Integer.parseInt(rc[1])))
                    : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
