package io.jcompose.cli;

/**
 * Whether a person is at the keyboard: standard input is the process's own and a terminal. Tests pass their own
 * input stream, which never counts as a terminal. Decides prompts ({@code rm}) and TTYs ({@code exec}, {@code run}).
 */
final class Terminal {
    private Terminal() {}

    static boolean interactive(JcomposeCommand.Context c) {
        return c.in().get() == System.in && System.console() != null;
    }
}
