package io.jcompose.cli;

import io.jcompose.model.Hook;
import io.jcompose.runtime.ContainerRuntime;
import io.jcompose.runtime.ExecResult;
import io.jcompose.runtime.ExecSpec;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code post_start} and {@code pre_stop} hooks: each command is exec'd in the container, in file order, its
 * output copied to stderr. A hook that exits non-zero fails the verb with docker compose's message
 * ({@code "<service> hook exited with status <code>"}).
 */
final class Hooks {
    private Hooks() {}

    static void run(ContainerRuntime runtime, String service, String container, List<Hook> hooks, PrintStream err) {
        for (Hook h : hooks) {
            ExecSpec spec = new ExecSpec(h.command(), h.environment(), h.user().orElse(""), h.workingDir().orElse(""),
                    false, h.privileged());
            ExecResult r = runtime.containers().exec(container, spec);
            err.write(r.stdout(), 0, r.stdout().length);
            err.write(r.stderr(), 0, r.stderr().length);
            if (r.exitCode() != 0) {
                throw new CliException(ExitCodes.FAILURE, service + " hook exited with status " + r.exitCode());
            }
        }
    }
}
