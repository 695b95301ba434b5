package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import java.util.List;

/** Loads the project for the engine verbs from the global options, through the root command's loader seam. */
final class ProjectAccess {
    private ProjectAccess() {}

    static LoadedProject load(JcomposeCommand root, List<String> services) {
        LoadedProject p = root.loader().load(root.projectOptions(services, true));
        p.warnings().forEach(w -> root.context().err().println("WARN " + w));
        return root.compatibility || "true".equalsIgnoreCase(root.context().env().apply("COMPOSE_COMPATIBILITY")) ? compatible(p) : p;
    }

    /** {@code --compatibility}: the same project, marked so containers get v1 names ({@code project_service_1}). */
    private static LoadedProject compatible(LoadedProject p) {
        io.jcompose.model.Project m = p.model();
        java.util.TreeMap<String, String> ext = new java.util.TreeMap<>(m.extensions());
        ext.put(io.jcompose.reconcile.ContainerSpecs.COMPATIBILITY, "true");
        io.jcompose.model.Project marked = new io.jcompose.model.Project(m.name(), m.workingDir(), m.services(), m.networks(), m.volumes(),
                m.secrets(), m.configs(), ext);
        return new LoadedProject(p.name(), p.projectDirectory(), p.files(), p.canonical(), marked, p.warnings(), p.environment());
    }

    static List<String> configFiles(LoadedProject p) {
        return p.files().stream().map(f -> f.toAbsolutePath().toString()).toList();
    }
}
