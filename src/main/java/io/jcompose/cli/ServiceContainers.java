package io.jcompose.cli;

import io.jcompose.graph.Graph;
import io.jcompose.model.Project;
import io.jcompose.reconcile.Labels;
import io.jcompose.reconcile.Reconciler;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ContainerSummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The project's existing containers, grouped by service and walked in dependency order: what the life-cycle verbs
 * ({@code start}, {@code stop}, {@code restart}, {@code kill}, {@code pause}, {@code rm}, …) act on. One-off
 * ({@code run}) containers are left out unless asked for, as docker compose does.
 */
final class ServiceContainers {
    private final ContainerRuntime runtime;
    private final Project project;

    ServiceContainers(ContainerRuntime runtime, Project project) {
        this.runtime = runtime;
        this.project = project;
    }

    /** Fails with exit 16 ("no such service") when a name is not in the project, as docker compose does. */
    static void checkServices(Project p, Collection<String> services) {
        for (String s : services) {
            if (!p.services().containsKey(s)) {
                throw new CliException(ExitCodes.FAILURE, "no such service: " + s);
            }
        }
    }

    /**
     * The services to act on, dependencies first. {@code services} empty: every service. {@code withDependencies}:
     * add what they depend on (restart); otherwise only the named ones.
     */
    List<String> order(Collection<String> services, boolean withDependencies) {
        checkServices(project, services);
        Graph g = Reconciler.serviceGraph(project);
        SortedSet<String> selected = services.isEmpty() ? new TreeSet<>(project.services().keySet())
                : withDependencies ? g.dependencyClosure(services) : new TreeSet<>(services);
        return g.subgraph(selected).topologicalOrder();
    }

    /** Dependents first: the order to stop in. */
    List<String> reverseOrder(Collection<String> services) {
        List<String> o = new ArrayList<>(order(services, false));
        java.util.Collections.reverse(o);
        return o;
    }

    /** The service's containers (not one-off), sorted by name; {@code all}: stopped ones too. */
    List<ContainerSummary> of(String service, boolean all) {
        return runtime.containers().list(List.of(Labels.projectFilter(project.name()), Labels.SERVICE + "=" + service,
                Labels.ONEOFF + "=False"), all);
    }

    /** Every container of the project with the label, including one-off ones when {@code oneOff}. */
    List<ContainerSummary> all(boolean oneOff) {
        List<ContainerSummary> out = new ArrayList<>();
        for (ContainerSummary c : runtime.containers().list(List.of(Labels.projectFilter(project.name())), true)) {
            if (oneOff || !"True".equals(c.labels().get(Labels.ONEOFF))) out.add(c);
        }
        return out;
    }

    /** docker compose's progress line on stderr: {@code  Container demo-web-1  Stopped}. */
    static void status(PrintStream err, String name, String what) {
        synchronized (err) {
            err.println(" Container " + name + "  " + what);
        }
    }
}
