package io.jcompose.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose config}: the loader's canonical view of the project. Being implemented with the loader. */
@Command(name = "config", description = "Parse, resolve and render the Compose file in canonical format")
final class ConfigCommand implements Runnable {
    @ParentCommand
    JcomposeCommand root;

    @Override
    public void run() {
        throw new CliException(ExitCodes.FAILURE, "config: not implemented yet");
    }
}
