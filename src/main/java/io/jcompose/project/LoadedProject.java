package io.jcompose.project;

import io.jcompose.model.Project;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A project after every stage: its canonical tree (what {@code config} prints), the bound model, warnings, and
 * the variables it was interpolated with ({@code config --environment}).
 */
public record LoadedProject(String name, Path projectDirectory, List<Path> files, Node canonical, Project model,
                            List<Warning> warnings, Map<String, String> environment) {
    public LoadedProject {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
        environment = Map.copyOf(environment);
    }
}
