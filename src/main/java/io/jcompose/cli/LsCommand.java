package io.jcompose.cli;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose ls}: every Compose project the engine has containers for (by the project label, so projects
 * made by docker compose show too). Without {@code -a} only projects with a running container. Status as docker
 * compose writes it: {@code exited(1), running(2)}.
 */
@Command(name = "ls", description = "List running compose projects")
final class LsCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-a", "--all"}, description = "Show all stopped Compose projects")
    boolean all;
    @Option(names = {"-q", "--quiet"}, description = "Only display project names")
    boolean quiet;
    @Option(names = "--format", paramLabel = "FORMAT", description = "table or json")
    String format = "table";
    @Option(names = "--filter", paramLabel = "FILTER", description = "Filter output based on conditions provided (name=NAME)")
    List<String> filters = new ArrayList<>();

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "ls: unknown --format \"" + format + "\" (use table or json)");
        }
        List<String> names = new ArrayList<>();
        for (String f : filters) {
            if (!f.startsWith("name=")) throw new CliException(ExitCodes.COMMAND_SYNTAX, "ls: unsupported --filter \"" + f + "\" (only name=NAME)");
            names.add(f.substring(5));
        }
        Map<String, TreeMap<String, Integer>> states = new TreeMap<>();
        Map<String, String> files = new TreeMap<>();
        try (Engine engine = Engine.open(root)) {
            for (ContainerSummary c : engine.runtime.containers().list(List.of(Labels.PROJECT), true)) {
                String project = c.labels().get(Labels.PROJECT);
                // docker's name filter matches a substring, as 'docker compose ls --filter name=' does.
                if (!names.isEmpty() && names.stream().noneMatch(project::contains)) continue;
                states.computeIfAbsent(project, k -> new TreeMap<>()).merge(c.state(), 1, Integer::sum);
                files.merge(project, c.labels().getOrDefault(Labels.CONFIG_FILES, ""), (a, b) -> a.isEmpty() ? b : a);
            }
        } catch (EngineException e) {
            throw new CliException(ExitCodes.FAILURE, "jcompose: " + e.getMessage(), e);
        }
        List<String[]> rows = new ArrayList<>();
        states.forEach((project, st) -> {
            if (!all && !st.containsKey("running")) return;
            List<String> parts = new ArrayList<>();
            st.forEach((s, n) -> parts.add(s + "(" + n + ")"));
            rows.add(new String[] {project, String.join(", ", parts), files.get(project)});
        });
        var out = root.context().out();
        if (quiet) {
            rows.forEach(r -> out.println(r[0]));
        } else if (format.equals("json")) {
            List<String> items = new ArrayList<>();
            for (String[] r : rows) {
                items.add("{\"Name\":" + ProgressPrinter.q(r[0]) + ",\"Status\":" + ProgressPrinter.q(r[1]) + ",\"ConfigFiles\":" + ProgressPrinter.q(r[2]) + "}");
            }
            out.println("[" + String.join(",", items) + "]");
        } else {
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"NAME", "STATUS", "CONFIG FILES"});
            table.addAll(rows);
            Tables.print(out, table);
        }
        return ExitCodes.OK;
    }
}
