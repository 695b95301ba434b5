package io.jcompose.cli;

import io.jcompose.runtime.ContainerRuntime;

/** The engine a command talks to (chosen by {@link RuntimeSelector}), and the composer over it. */
final class Engine implements AutoCloseable {
    final ContainerRuntime runtime;
    private final JcomposeCommand root;

    Engine(ContainerRuntime runtime, JcomposeCommand root) {
        this.runtime = runtime;
        this.root = root;
    }

    static Engine open(JcomposeCommand root) {
        RuntimeSelector.Selection s = root.runtimes().select(root.runtime);
        s.note().ifPresent(n -> root.context().err().println("jcompose: " + n));
        return new Engine(s.runtime(), root);
    }

    Composer composer(String progress, Integer parallel) {
        JcomposeCommand.Context c = root.context();
        return new Composer(runtime, c.out(), c.err(), new ProgressPrinter(c.err(), ProgressPrinter.mode(progress, c.env())),
                Composer.parallelism(parallel, c.env()));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
