package io.jcompose;

import io.jcompose.cli.JcomposeCommand;

/** The composition root: the only class that names implementations. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(JcomposeCommand.run(args, System.out, System.err, io.jcompose.project.EnvironmentVariables.of(System.getenv())));
    }
}
