package io.jcompose.cli;

import io.jcompose.reconcile.Action;
import io.jcompose.reconcile.PlanExecutor;
import java.io.PrintStream;

/**
 * Progress of a running plan, one line per event. {@code plain} (the default) in docker compose's words, resource
 * then status: {@code Container demo-web-1 Creating}, {@code Container demo-web-1 Created (3f2a…)},
 * {@code Network demo_default Created}, {@code Image busybox Pulled}, {@code Container demo-db-1 Healthy};
 * {@code json}: one object per line ({@code {"action":…,"resource":…,"status":…,"detail":…}});
 * {@code tty}: one live line per action, redrawn in place (ANSI cursor-up + erase-line) as its status changes, chosen
 * when a terminal is attached and CI is not set; {@code quiet}: nothing.
 */
final class ProgressPrinter implements PlanExecutor.Listener {
    enum Mode { PLAIN, JSON, TTY, QUIET }

    private final PrintStream out;
    private final Mode mode;
    /** TTY mode: action → its current line, in first-seen order; {@link #drawn} lines are on screen. */
    private final java.util.LinkedHashMap<String, String> live = new java.util.LinkedHashMap<>();
    private int drawn;

    ProgressPrinter(PrintStream out, Mode mode) {
        this.out = out;
        this.mode = mode;
    }

    static Mode mode(String flag, java.util.function.Function<String, String> env) {
        if (flag == null || flag.isEmpty() || flag.equals("auto")) {
            boolean ci = env.apply("CI") != null && !"false".equals(env.apply("CI"));
            return System.console() != null && !ci ? Mode.TTY : Mode.PLAIN;
        }
        return switch (flag) {
            case "plain" -> Mode.PLAIN;
            case "json" -> Mode.JSON;
            case "tty" -> Mode.TTY;
            case "quiet" -> Mode.QUIET;
            default -> throw new CliException(ExitCodes.COMMAND_SYNTAX, "unknown --progress \"" + flag + "\" (use auto, tty, plain, json or quiet)");
        };
    }

    @Override
    public void event(Action action, PlanExecutor.Status status, String detail) {
        if (mode == Mode.QUIET) return;
        // Progress is shown for builds only (their output is what a user reads when a step fails).
        if (status == PlanExecutor.Status.PROGRESS && !(action instanceof Action.BuildImage)) return;
        String line;
        if (status == PlanExecutor.Status.PROGRESS && mode != Mode.JSON) {
            line = mode == Mode.TTY ? action.describe() + ": " + detail
                    : " " + ((Action.BuildImage) action).service() + " | " + detail;
        } else if (mode == Mode.JSON) {
            line = "{\"action\":" + q(action.describe()) + ",\"resource\":" + q(action.resource()) + ",\"status\":"
                    + q(status.name().toLowerCase(java.util.Locale.ROOT)) + ",\"detail\":" + q(detail) + "}";
        } else {
            line = composeLine(action, status) + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
        synchronized (out) {
            if (mode == Mode.TTY) {
                live.put(action.describe(), line);
                StringBuilder sb = new StringBuilder();
                if (drawn > 0) sb.append("\u001b[").append(drawn).append('A');
                for (String l : live.values()) sb.append("\r\u001b[2K").append(l).append('\n');
                drawn = live.size();
                out.print(sb);
                out.flush();
            } else {
                out.println(line);
            }
        }
    }

    /** docker compose's progress words: the resource ({@code Container x}) and its state ({@code Creating}, {@code Created}). */
    static String composeLine(Action action, PlanExecutor.Status status) {
        String resource;
        String working;
        String done;
        if (action instanceof Action.CreateNetwork a) {
            resource = "Network " + a.spec().name(); working = "Creating"; done = "Created";
        } else if (action instanceof Action.CreateVolume a) {
            resource = "Volume " + a.spec().name(); working = "Creating"; done = "Created";
        } else if (action instanceof Action.BuildImage a) {
            resource = "Service " + a.service(); working = "Building"; done = "Built";
        } else if (action instanceof Action.PullImage a) {
            resource = "Image " + a.image(); working = "Pulling"; done = "Pulled";
        } else if (action instanceof Action.CreateContainer a) {
            resource = "Container " + a.spec().name(); working = "Creating"; done = "Created";
        } else if (action instanceof Action.StartContainer a) {
            resource = "Container " + a.container(); working = "Starting"; done = "Started";
        } else if (action instanceof Action.AwaitCondition a) {
            resource = "Container " + String.join(", ", a.containers()); working = "Waiting";
            done = switch (a.condition()) {
                case HEALTHY -> "Healthy";
                case COMPLETED_SUCCESSFULLY -> "Exited";
                case STARTED -> "Started";
                case RUNNING_OR_HEALTHY -> "Ready";
            };
        } else if (action instanceof Action.StopContainer a) {
            resource = "Container " + a.container(); working = "Stopping"; done = "Stopped";
        } else if (action instanceof Action.RemoveContainer a) {
            resource = "Container " + a.container(); working = "Removing"; done = "Removed";
        } else if (action instanceof Action.RenameContainer a) {
            resource = "Container " + a.container(); working = "Renaming"; done = "Renamed to " + a.newName();
        } else if (action instanceof Action.DisconnectNetwork a) {
            resource = "Container " + a.container(); working = "Disconnecting from " + a.network(); done = "Disconnected from " + a.network();
        } else if (action instanceof Action.ConnectNetwork a) {
            resource = "Container " + a.container(); working = "Connecting to " + a.network(); done = "Connected to " + a.network();
        } else if (action instanceof Action.RemoveNetwork a) {
            resource = "Network " + a.network(); working = "Removing"; done = "Removed";
        } else if (action instanceof Action.RemoveVolume a) {
            resource = "Volume " + a.volume(); working = "Removing"; done = "Removed";
        } else if (action instanceof Action.RemoveImage a) {
            resource = "Image " + a.image(); working = "Removing"; done = "Removed";
        } else {
            resource = action.describe(); working = "Working"; done = "Done";
        }
        return resource + " " + switch (status) {
            case STARTED, PROGRESS -> working;
            case DONE -> done;
            case FAILED -> "Error";
            case SKIPPED -> "Skipped";
            case WARNING -> "Warning";
        };
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
