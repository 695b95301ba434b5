package io.jcompose.cli;

import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.ProcessList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose top}: the processes of each running service container, a table per container. */
@Command(name = "top", description = "Display the running processes")
final class TopCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            var out = root.context().out();
            ServiceContainers sc = new ServiceContainers(engine.runtime, p);
            boolean first = true;
            for (String s : sc.order(services, false)) {
                for (ContainerSummary c : sc.of(s, false)) {
                    ProcessList ps = engine.runtime.containers().top(c.name());
                    if (!first) out.println();
                    first = false;
                    out.println(c.name());
                    List<String[]> rows = new ArrayList<>();
                    rows.add(ps.titles().toArray(String[]::new));
                    for (List<String> r : ps.processes()) {
                        String[] row = new String[ps.titles().size()];
                        for (int i = 0; i < row.length; i++) row[i] = i < r.size() ? r.get(i) : "";
                        rows.add(row);
                    }
                    Tables.print(out, rows);
                }
            }
            return ExitCodes.OK;
        });
    }
}
