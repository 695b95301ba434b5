package io.jcompose.project;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the CLI asks the loader for. Empty lists mean "the default" (discovery, no profiles …).
 *
 * @param workingDirectory where discovery starts (the process's cwd)
 * @param files            {@code -f} values as typed ({@code -} is stdin)
 * @param projectName      {@code -p}, if given
 * @param projectDirectory {@code --project-directory}, if given
 * @param envFiles         {@code --env-file} values
 * @param profiles         {@code --profile} values
 * @param services         services named on the command line (enable their profiles)
 * @param environment      the process environment (an {@link EnvironmentVariables} lets {@code config --environment} list it)
 * @param stdin            content of standard input, read only if a file is {@code -}
 * @param interpolate      false for {@code config --no-interpolate}
 */
public record ProjectOptions(Path workingDirectory, List<String> files, Optional<String> projectName,
                             Optional<String> projectDirectory, List<String> envFiles, List<String> profiles,
                             List<String> services, Function<String, String> environment,
                             java.util.function.Supplier<String> stdin, boolean interpolate) {
    public ProjectOptions {
        files = List.copyOf(files);
        envFiles = List.copyOf(envFiles);
        profiles = List.copyOf(profiles);
        services = List.copyOf(services);
    }
}
