package io.jcompose.cli;

import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * For {@code exec} and {@code run}: options end at the first positional (the service), so everything after it —
 * the command and its own flags — is passed through untouched, as with docker compose.
 */
final class StopAtPositional implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
        spec.parser().stopAtPositional(true);
        return spec;
    }
}
