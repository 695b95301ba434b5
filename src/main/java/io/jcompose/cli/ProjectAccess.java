package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import java.util.List;

/** Loads the project for the engine verbs from the global options, through the root command's loader seam. */
final class ProjectAccess {
    private ProjectAccess() {}

    static LoadedProject load(JcomposeCommand root, List<String> services) {
        LoadedProject p = root.loader().load(root.projectOptions(services, true));
        p.warnings().forEach(w -> root.context().err().println("WARN " + w));
        return p;
    }

    static List<String> configFiles(LoadedProject p) {
        return p.files().stream().map(f -> f.toAbsolutePath().toString()).toList();
    }
}
