package io.jcompose.cli;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerSummary;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.ImageInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jcompose images}: the images the project's containers use, one row per container (as docker compose). */
@Command(name = "images", description = "List images used by the created containers")
final class ImagesCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
    boolean quiet;
    @Option(names = "--format", paramLabel = "FORMAT", description = "table or json")
    String format = "table";
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "images: unknown --format \"" + format + "\" (use table or json)");
        }
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers.checkServices(p, services);
            List<String[]> rows = new ArrayList<>();
            Set<String> ids = new LinkedHashSet<>();
            for (ContainerSummary c : new ServiceContainers(engine.runtime, p).all(true)) {
                if (!services.isEmpty() && !services.contains(c.labels().getOrDefault(Labels.SERVICE, ""))) continue;
                ImageInfo i;
                try {
                    i = engine.runtime.images().inspect(c.imageId());
                } catch (EngineException e) {
                    if (!e.isNotFound()) throw e;
                    continue;
                }
                // The reference the container was created from (what the Compose file says), else the image's first tag.
                String ref = !c.image().isEmpty() && !c.image().startsWith("sha256:") ? c.image()
                        : i.repoTags().isEmpty() ? "<none>:<none>" : i.repoTags().get(0);
                int colon = ref.lastIndexOf(':');
                String repo = colon > ref.lastIndexOf('/') && colon > 0 ? ref.substring(0, colon) : ref;
                String tag = colon > ref.lastIndexOf('/') && colon > 0 ? ref.substring(colon + 1) : "latest";
                String id = i.id().replaceFirst("^sha256:", "");
                ids.add(id);
                rows.add(new String[] {c.name(), repo, tag, id.substring(0, Math.min(12, id.length())), size(i.size()), id, Long.toString(i.size())});
            }
            var out = root.context().out();
            if (quiet) {
                ids.forEach(out::println);
            } else if (format.equals("json")) {
                List<String> items = new ArrayList<>();
                for (String[] r : rows) {
                    items.add("{\"ContainerName\":" + ProgressPrinter.q(r[0]) + ",\"Repository\":" + ProgressPrinter.q(r[1])
                            + ",\"Tag\":" + ProgressPrinter.q(r[2]) + ",\"ID\":" + ProgressPrinter.q("sha256:" + r[5]) + ",\"Size\":" + r[6] + "}");
                }
                out.println("[" + String.join(",", items) + "]");
            } else {
                List<String[]> table = new ArrayList<>();
                table.add(new String[] {"CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"});
                rows.forEach(r -> table.add(new String[] {r[0], r[1], r[2], r[3], r[4]}));
                Tables.print(out, table);
            }
            return ExitCodes.OK;
        });
    }

    /** Docker's human sizes: decimal units, 3 significant digits ({@code 1.98MB}). */
    static String size(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        String n = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return n + units[u];
    }
}
