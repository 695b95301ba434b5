package io.jcompose.cli;

import io.jcompose.project.LoadedProject;
import io.jcompose.project.ProjectLoader;
import io.jcompose.project.ProjectOptions;
import java.util.List;
import java.util.Optional;

/** Loads the project for the engine verbs from the global options (one place, so the loader seam changes once). */
final class ProjectAccess {
    private ProjectAccess() {}

    static LoadedProject load(JcomposeCommand root, List<String> services) {
        JcomposeCommand.Context c = root.context();
        ProjectOptions options = new ProjectOptions(c.cwd().toAbsolutePath(), root.files, Optional.ofNullable(root.projectName),
                Optional.ofNullable(root.projectDirectory), root.envFiles, root.profiles, services, c.env(), () -> {
                    try {
                        return new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, true);
        try {
            return new ProjectLoader().load(options);
        } catch (UnsupportedOperationException e) {
            throw new CliException(ExitCodes.FAILURE, "the Compose file loader is not in this build yet: " + e.getMessage());
        }
    }

    static List<String> configFiles(LoadedProject p) {
        return p.files().stream().map(f -> f.toAbsolutePath().toString()).toList();
    }
}
