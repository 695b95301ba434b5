package io.jcompose.cli;

import io.jcompose.model.Project;
import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.Feed;
import io.jcompose.runtime.LogFrame;
import io.jcompose.runtime.LogOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code up} without {@code -d}, after the plan ran: the attached containers' output interleaved line by line,
 * each prefixed {@code web-1  | } in a stable colour per service, and docker compose's ending rules:
 * <ul>
 * <li>all attached containers exited → exit 0 (the others keep running);</li>
 * <li>{@code --abort-on-container-exit}: the first exit stops every container of the project, exit code = that
 *     container's ({@code --exit-code-from SERVICE}: that service's; {@code --abort-on-container-failure}: only a
 *     non-zero exit aborts);</li>
 * <li>Ctrl-C → {@code Gracefully stopping... (press Ctrl+C again to force)}, stop everything, exit 130;
 *     a second Ctrl-C kills instead (exit 130).</li>
 * </ul>
 * Signals and exits arrive on one queue, so the decision logic is single-threaded and testable with a fake engine.
 */
final class AttachedMode {
    /** Something the main loop reacts to. */
    sealed interface Signal permits Exited, Interrupt, Stopped {}

    record Exited(String container, String service, int exitCode) implements Signal {}

    record Interrupt() implements Signal {}

    /** The stop (or kill) that an abort or a Ctrl-C started has finished. */
    record Stopped() implements Signal {}

    enum Cascade { NONE, ON_EXIT, ON_FAILURE }

    /** How to print and when to end. */
    /** {@code since}: show output from then on (when {@code up} began: an already running container's history is not repeated); null: all. */
    record Options(boolean prefix, boolean color, boolean timestamps, Cascade cascade, Optional<String> exitCodeFrom,
                   Optional<Duration> timeout, java.time.Instant since) {}

    private static final String[] PALETTE = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

    private final ContainerRuntime runtime;
    private final Project project;
    private final PrintStream out;
    private final PrintStream err;
    private final Options options;
    final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();

    AttachedMode(ContainerRuntime runtime, Project project, PrintStream out, PrintStream err, Options options) {
        this.runtime = runtime;
        this.project = project;
        this.out = out;
        this.err = err;
        this.options = options;
    }

    /** The ANSI colour of a service: by its position among the project's services, so it is the same every run. */
    static String colour(Project p, String service) {
        int i = new ArrayList<>(p.services().keySet()).indexOf(service);
        return PALETTE[Math.max(i, 0) % PALETTE.length];
    }

    /** Ctrl-C handling for the real process: each SIGINT becomes an {@link Interrupt} on the queue. */
    void installSignalHandler() {
        // javac warns that sun.misc.Signal is internal; it is the only way to handle a signal in Java 17 (jdk.unsupported).
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> signals.add(new Interrupt()));
    }

    /**
     * Follows {@code attached} until the rules above end it; returns the exit code. {@code stopScope}: the services
     * an abort or Ctrl-C stops (every selected one).
     */
    int run(List<ContainerSummary> attached, List<String> stopScope) throws InterruptedException {
        int width = attached.stream().mapToInt(c -> shortName(c).length()).max().orElse(0);
        for (ContainerSummary c : attached) follow(c, width);
        int running = attached.size();
        if (running == 0) err.println("no container to attach to");
        boolean aborting = false;
        boolean interrupted = false;
        boolean stopped = false;
        String exitFrom = options.exitCodeFrom().orElse("");
        int exitCode = 0;
        while (running > 0 || (aborting && !stopped)) {
            Signal s = signals.take();
            if (s instanceof Interrupt) {
                if (interrupted) {
                    err.println("Killing...");
                    kill(stopScope);
                    return ExitCodes.CANCELLED;
                }
                interrupted = true;
                exitCode = ExitCodes.CANCELLED;
                err.println("Gracefully stopping... (press Ctrl+C again to force)");
                if (!aborting) {
                    aborting = true;
                    stopInBackground(stopScope);
                }
            } else if (s instanceof Stopped) {
                stopped = true;
            } else if (s instanceof Exited e) {
                running--;
                if (!aborting) line(e.service(), "", e.container() + " exited with code " + e.exitCode(), false);
                boolean cascade = options.cascade() == Cascade.ON_EXIT
                        || (options.cascade() == Cascade.ON_FAILURE && e.exitCode() != 0);
                // --exit-code-from: that service's code, even when the abort stopped it (143 after SIGTERM), as in
                // docker compose; without it, the code of the container whose exit started the abort.
                boolean explicit = options.exitCodeFrom().isPresent();
                if (explicit && exitFrom.equals(e.service()) && !interrupted) exitCode = e.exitCode();
                if (cascade && !interrupted) {
                    if (!explicit && !aborting) {
                        exitFrom = e.service();
                        exitCode = e.exitCode();
                    }
                    if (!aborting) {
                        aborting = true;
                        err.println("Aborting on container exit...");
                        stopInBackground(stopScope);
                    }
                }
            }
        }
        return exitCode;
    }

    private static String shortName(ContainerSummary c) {
        String service = c.labels().getOrDefault(Labels.SERVICE, "");
        String number = c.labels().getOrDefault(Labels.CONTAINER_NUMBER, "");
        return service.isEmpty() || number.isEmpty() ? c.name() : service + "-" + number;
    }

    private void line(String service, String name, String text, boolean withBar) {
        StringBuilder sb = new StringBuilder();
        if (options.prefix() || !withBar) {
            String prefix = withBar ? name + "  | " : "";
            if (options.color()) sb.append("\u001b[").append(colour(project, service)).append('m').append(withBar ? prefix : text).append("\u001b[0m");
            else sb.append(withBar ? prefix : text);
        }
        if (withBar) sb.append(text);
        synchronized (out) {
            out.println(sb);
        }
    }

    private void follow(ContainerSummary c, int width) {
        String service = c.labels().getOrDefault(Labels.SERVICE, "");
        String name = shortName(c);
        String padded = name + " ".repeat(Math.max(0, width - name.length()));
        LogOptions lo = new LogOptions(true, true, true, -1, options.since(), null, options.timestamps());
        Thread t = new Thread(() -> {
            StringBuilder partial = new StringBuilder();
            try (Feed<LogFrame> feed = runtime.containers().logs(c.id(), lo)) {
                while (feed.hasNext()) {
                    partial.append(feed.next().text());
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        line(service, padded, partial.substring(0, nl), true);
                        partial.delete(0, nl + 1);
                    }
                }
                if (partial.length() > 0) line(service, padded, partial.toString(), true);
            } catch (EngineException e) {
                err.println("jcompose: " + e.getMessage());
            }
            int code;
            try {
                code = runtime.containers().wait(c.id(), io.jcompose.runtime.WaitCondition.NOT_RUNNING);
            } catch (EngineException e) {
                code = -1;
            }
            signals.add(new Exited(name, service, code));
        }, "jcompose-attach-" + c.name());
        t.setDaemon(true);
        t.start();
    }

    private void stopInBackground(List<String> services) {
        Thread t = new Thread(() -> {
            try {
                ServiceContainers sc = new ServiceContainers(runtime, project);
                Duration timeout = options.timeout().orElse(null);
                for (String s : sc.reverseOrder(services)) {
                    for (ContainerSummary c : sc.of(s, false)) {
                        ServiceContainers.status(err, c.name(), "Stopping");
                        Hooks.run(runtime, s, c.name(), project.services().get(s).preStop(), err);
                        runtime.containers().stop(c.name(), timeout);
                        ServiceContainers.status(err, c.name(), "Stopped");
                    }
                }
            } catch (RuntimeException e) {
                err.println("jcompose: " + e.getMessage());
            } finally {
                signals.add(new Stopped());
            }
        }, "jcompose-stop");
        t.setDaemon(true);
        t.start();
    }

    private void kill(List<String> services) {
        ServiceContainers sc = new ServiceContainers(runtime, project);
        for (String s : services) {
            for (ContainerSummary c : sc.of(s, false)) {
                try {
                    runtime.containers().kill(c.name(), "SIGKILL");
                    ServiceContainers.status(err, c.name(), "Killed");
                } catch (EngineException e) {
                    if (!e.isConflict() && !e.isNotFound()) err.println("jcompose: " + e.getMessage());
                }
            }
        }
    }
}
