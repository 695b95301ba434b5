package io.jcompose.cli;

import io.jcompose.reconcile.UpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The options {@code create} and {@code up} share (a picocli mixin), with their checks. */
final class CreateFlags {
    @Option(names = "--force-recreate", description = "Recreate containers even if their configuration and image haven't changed")
    boolean forceRecreate;
    @Option(names = "--no-recreate", description = "If containers already exist, don't recreate them")
    boolean noRecreate;
    @Option(names = "--pull", paramLabel = "POLICY", description = "Pull images before running: always, missing, never")
    String pull;
    @Option(names = "--build", description = "Build images before starting containers")
    boolean build;
    @Option(names = "--no-build", description = "Don't build an image, even if it's missing")
    boolean noBuild;
    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;
    @Option(names = "--scale", paramLabel = "SERVICE=NUM", description = "Scale SERVICE to NUM instances (repeatable)")
    List<String> scale = new ArrayList<>();
    @Option(names = "--dry-run", description = "Print the plan and change nothing")
    boolean dryRun;
    @Option(names = "--progress", paramLabel = "TYPE", description = "Progress output: auto, tty, plain, json, quiet")
    String progress;

    TreeMap<String, Integer> scales(String verb) {
        TreeMap<String, Integer> scales = new TreeMap<>();
        for (String s : scale) {
            int eq = s.indexOf('=');
            try {
                if (eq < 1) throw new NumberFormatException();
                scales.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, verb + ": --scale expects SERVICE=NUM, got \"" + s + "\"");
            }
        }
        return scales;
    }

    Optional<UpOptions.PullPolicy> pullPolicy(String verb) {
        if (pull != null && !List.of("always", "missing", "never").contains(pull)) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, verb + ": --pull must be always, missing or never, got \"" + pull + "\"");
        }
        return Optional.ofNullable(pull).map(UpOptions.PullPolicy::of);
    }

    UpOptions.BuildPolicy buildPolicy(String verb) {
        if (build && noBuild) throw new CliException(ExitCodes.COMMAND_SYNTAX, verb + ": --build and --no-build are incompatible");
        return build ? UpOptions.BuildPolicy.ALWAYS : noBuild ? UpOptions.BuildPolicy.NEVER : UpOptions.BuildPolicy.DEFAULT;
    }
}
