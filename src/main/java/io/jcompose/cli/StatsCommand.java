package io.jcompose.cli;

import io.jcompose.runtime.ContainerStats;
import io.jcompose.runtime.ContainerSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose stats --no-stream}: one resource sample per running service container, in docker stats' table
 * ({@code --format json}: one object per line). Streaming (a live table) is not supported yet: without
 * {@code --no-stream} it fails with exit 16 rather than print one sample and pretend.
 */
@Command(name = "stats", description = "Display a live stream of container(s) resource usage statistics")
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;
    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;
    @Option(names = "--format", paramLabel = "FORMAT", description = "table or json")
    String format = "table";
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!noStream) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "jcompose does not support streaming 'stats' yet; use 'jcompose stats --no-stream'");
        }
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "stats: unknown --format \"" + format + "\" (use table or json)");
        }
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"});
            var out = root.context().out();
            for (String s : sc.order(services, false)) {
                for (ContainerSummary c : sc.of(s, all)) {
                    String id = noTrunc ? c.id() : c.id().substring(0, Math.min(12, c.id().length()));
                    boolean running = c.state().equals("running") || c.state().equals("paused");
                    ContainerStats st = running ? engine.runtime.containers().stats(c.name())
                            : new ContainerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                    String[] row = {id, c.name(), pct(st.cpuPercent()), bytes(st.memUsage(), true) + " / " + bytes(st.memLimit(), true),
                            pct(st.memPercent()), bytes(st.netRx(), false) + " / " + bytes(st.netTx(), false),
                            bytes(st.blockRead(), false) + " / " + bytes(st.blockWrite(), false), Long.toString(st.pids())};
                    if (format.equals("json")) {
                        out.println("{\"ID\":" + ProgressPrinter.q(row[0]) + ",\"Name\":" + ProgressPrinter.q(row[1]) + ",\"CPUPerc\":"
                                + ProgressPrinter.q(row[2]) + ",\"MemUsage\":" + ProgressPrinter.q(row[3]) + ",\"MemPerc\":"
                                + ProgressPrinter.q(row[4]) + ",\"NetIO\":" + ProgressPrinter.q(row[5]) + ",\"BlockIO\":"
                                + ProgressPrinter.q(row[6]) + ",\"PIDs\":" + ProgressPrinter.q(row[7]) + "}");
                    }
                    rows.add(row);
                }
            }
            if (format.equals("table")) Tables.print(out, rows);
            return ExitCodes.OK;
        });
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }

    /** docker stats' units: binary (KiB, MiB) for memory, decimal (kB, MB) for I/O. */
    static String bytes(long n, boolean binary) {
        double base = binary ? 1024 : 1000;
        String[] units = binary ? new String[] {"B", "KiB", "MiB", "GiB", "TiB"} : new String[] {"B", "kB", "MB", "GB", "TB"};
        double v = n;
        int u = 0;
        while (v >= base && u < units.length - 1) {
            v /= base;
            u++;
        }
        return u == 0 ? n + units[0] : String.format(Locale.ROOT, "%.4g", v).replaceFirst("\\.?0+$", "") + units[u];
    }
}
