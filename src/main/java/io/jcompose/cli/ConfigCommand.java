package io.jcompose.cli;

import io.jcompose.project.Interpolator;
import io.jcompose.project.LoadedProject;
import io.jcompose.project.Node;
import io.jcompose.project.NodeWriter;
import io.jcompose.project.ProjectLoader;
import io.jcompose.project.ProjectOptions;
import io.jcompose.project.Warning;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose config}: the loader's canonical view of the project, as {@code docker compose config} prints it.
 * Warnings go to stderr; the output (stdout or {@code -o FILE}) is only the document or the requested list.
 */
@Command(name = "config", description = "Parse, resolve and render the Compose file in canonical format")
final class ConfigCommand implements Runnable {
    @ParentCommand
    JcomposeCommand root;

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "Only these services (and what they depend on)")
    List<String> services = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: yaml (default) or json (--variables: a table by default)")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "Only validate the configuration, print nothing")
    boolean quiet;

    @Option(names = "--services", description = "Print the service names, one per line")
    boolean listServices;

    @Option(names = "--volumes", description = "Print the volume names, one per line")
    boolean listVolumes;

    @Option(names = "--networks", description = "Print the network names, one per line")
    boolean listNetworks;

    @Option(names = "--images", description = "Print the image names, one per line")
    boolean listImages;

    @Option(names = "--profiles", description = "Print the profile names, one per line")
    boolean listProfiles;

    @Option(names = "--no-interpolate", description = "Don't interpolate environment variables")
    boolean noInterpolate;

    @Option(names = "--variables", description = "Print the variables the model uses, with their defaults")
    boolean variables;

    @Option(names = "--environment", description = "Print the environment used for interpolation")
    boolean environment;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Save to FILE instead of stdout")
    String output;

    @Option(names = "--hash", paramLabel = "SERVICES", description = "Print the config hash of services: a comma-separated list, or * for all")
    String hash;

    @Override
    public void run() {
        if (format != null && !format.equals("yaml") && !format.equals("json")) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "config: unknown --format \"" + format + "\" (use yaml or json)");
        }
        JcomposeCommand.Context ctx = root.context();
        ProjectLoader loader = root.loader();
        // As docker compose: these views cover the whole model, so named services are ignored, with a warning.
        if ((variables || noInterpolate) && !services.isEmpty()) {
            ctx.err().println("WARN service filtering is not applied when " + (variables ? "--variables" : "--no-interpolate") + " is set");
            services = new ArrayList<>();
        }
        if (variables) {
            List<Node> raw = loader.readRaw(root.projectOptions(services, false));
            emit(format == null ? variablesTable(raw) : format.equals("json") ? variablesJson(raw) : variablesYaml(raw));
            return;
        }
        if (format == null) format = "yaml";
        // --profiles lists every profile, so it loads with all of them enabled.
        ProjectOptions options = listProfiles ? root.projectOptions(services, !noInterpolate, List.of("*"))
                : root.projectOptions(services, !noInterpolate);
        LoadedProject project = loader.load(options);
        for (Warning w : project.warnings()) ctx.err().println("WARN " + w);
        if (quiet) return;
        Node.Mapping tree = withName(project);
        if (!services.isEmpty()) tree = onlyServices(tree, services);
        if (hash != null) {
            emit(hashes(project, hash));
        } else if (environment) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : new TreeMap<>(project.environment()).entrySet()) {
                sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
            emit(sb.toString());
        } else if (listServices) {
            emit(lines(keys(tree, "services")));
        } else if (listVolumes) {
            emit(lines(keys(tree, "volumes")));
        } else if (listNetworks) {
            emit(lines(keys(tree, "networks")));
        } else if (listImages) {
            emit(lines(images(tree, project.name())));
        } else if (listProfiles) {
            emit(lines(profiles(tree)));
        } else {
            // docker compose prints its typed model (struct field order) once interpolated, the raw map (sorted
            // keys) with --no-interpolate.
            if (noInterpolate) emit(format.equals("json") ? NodeWriter.json(tree) : NodeWriter.yaml(tree));
            else emit(format.equals("json") ? NodeWriter.composeJson(tree) : NodeWriter.composeYaml(tree));
        }
    }

    /**
     * {@code config --hash web,db} or {@code --hash "*"}: one {@code service hash} line each, as docker compose prints
     * them; the hash is the one written to the com.docker.compose.config-hash label (inputs: reconcile.ConfigHash).
     */
    static String hashes(LoadedProject project, String which) {
        var all = project.model().services();
        List<String> names = which.trim().equals("*") ? List.copyOf(all.keySet())
                : java.util.Arrays.stream(which.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        StringBuilder sb = new StringBuilder();
        // The same hash as the label 'up' writes: it includes the digests of the secrets and configs.
        io.jcompose.reconcile.FileContents files = io.jcompose.reconcile.FileContents.reading(project.environment()::get);
        for (String n : names) {
            var service = all.get(n);
            if (service == null) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, "config --hash: no such service: " + n + " (defined: "
                        + String.join(", ", all.keySet()) + ")");
            }
            String h;
            try {
                h = io.jcompose.reconcile.ConfigHash.of(service, project.model(), files);
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.FAILURE, "config --hash: " + e.getMessage());
            }
            sb.append(n).append(' ').append(h).append('\n');
        }
        return sb.toString();
    }

    private void emit(String text) {
        if (output == null) {
            PrintStream out = root.context().out();
            out.print(text);
            out.flush();
            return;
        }
        Path p = root.context().cwd().resolve(output);
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "config: cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    /** The project's resolved name, always, first (the tree may carry a different or no {@code name}). */
    private static Node.Mapping withName(LoadedProject project) {
        Node.Mapping tree = project.canonical() instanceof Node.Mapping m ? m
                : new Node.Mapping(List.of(), project.canonical().location(), Node.Tag.NONE);
        return tree.with("name", Node.Scalar.string(project.name(), tree.location()));
    }

    /** Named services and, transitively, what they depend on (canonical depends_on is a mapping). */
    private static Node.Mapping onlyServices(Node.Mapping tree, List<String> wanted) {
        Node.Mapping all = tree.get("services").orElse(null) instanceof Node.Mapping m ? m : null;
        if (all == null) return tree;
        Set<String> keep = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(wanted);
        while (!todo.isEmpty()) {
            String s = todo.remove(todo.size() - 1);
            Node svc = all.get(s).orElse(null);
            if (svc == null) {
                throw new CliException(ExitCodes.FAILURE, "no such service: " + s + " (defined: " + String.join(", ", new TreeSet<>(all.keys())) + ")");
            }
            if (!keep.add(s)) continue;
            if (svc instanceof Node.Mapping sm && sm.get("depends_on").orElse(null) instanceof Node.Mapping deps) todo.addAll(deps.keys());
        }
        List<Node.Entry> kept = all.entries().stream().filter(e -> keep.contains(e.name())).toList();
        return tree.with("services", all.withEntries(kept));
    }

    private static List<String> keys(Node.Mapping tree, String section) {
        if (tree.get(section).orElse(null) instanceof Node.Mapping m) return new ArrayList<>(new TreeSet<>(m.keys()));
        return List.of();
    }

    /** Each service's image; a service that only builds gets Compose's default {@code <project>-<service>}. */
    private static List<String> images(Node.Mapping tree, String project) {
        List<String> out = new ArrayList<>();
        for (String s : keys(tree, "services")) {
            Node svc = ((Node.Mapping) tree.get("services").orElseThrow()).get(s).orElseThrow();
            Optional<Node> image = svc instanceof Node.Mapping sm ? sm.get("image") : Optional.empty();
            out.add(image.filter(i -> i instanceof Node.Scalar sc && !sc.isNull()).map(i -> ((Node.Scalar) i).text())
                    .orElse(project + "-" + s));
        }
        return out;
    }

    private static List<String> profiles(Node.Mapping tree) {
        TreeSet<String> out = new TreeSet<>();
        if (tree.get("services").orElse(null) instanceof Node.Mapping svcs) {
            for (Node.Entry e : svcs.entries()) {
                if (e.value() instanceof Node.Mapping sm && sm.get("profiles").orElse(null) instanceof Node.Seq ps) {
                    for (Node p : ps.items()) if (p instanceof Node.Scalar sc) out.add(sc.text());
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static String lines(List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (String i : items) sb.append(i).append('\n');
        return sb.toString();
    }

    /**
     * {@code config --variables --format json}: docker compose's variable records keyed by name, fields in its
     * order: {@code {"PORT": {"Name": "PORT", "DefaultValue": "8080", "PresenceValue": "", "Required": false}}}.
     */
    static String variablesJson(List<Node> rawTrees) {
        return NodeWriter.jsonInOrder(variablesTree(rawTrees, "Name", "DefaultValue", "PresenceValue", "Required"));
    }

    /** {@code config --variables --format yaml}: the same records with Go's default (lower-case) YAML field names. */
    static String variablesYaml(List<Node> rawTrees) {
        return NodeWriter.yamlInOrder(variablesTree(rawTrees, "name", "defaultvalue", "presencevalue", "required"));
    }

    private static Node variablesTree(List<Node> rawTrees, String name, String defaultValue, String presenceValue, String required) {
        io.jcompose.project.Location at = io.jcompose.project.Location.NONE;
        List<Node.Entry> entries = new ArrayList<>();
        for (Interpolator.Variable v : variables(rawTrees).values()) {
            Node.Mapping record = new Node.Mapping(List.of(), at, Node.Tag.NONE)
                    .with(name, Node.Scalar.string(v.name(), at))
                    .with(defaultValue, Node.Scalar.string(v.defaultValue().orElse(""), at))
                    .with(presenceValue, Node.Scalar.string(v.alternate().orElse(""), at))
                    .with(required, new Node.Scalar(Boolean.toString(v.required()), Node.Kind.BOOL, at, Node.Tag.NONE));
            entries.add(new Node.Entry(Node.Scalar.string(v.name(), at), record));
        }
        return new Node.Mapping(entries, at, Node.Tag.NONE);
    }

    private static Map<String, Interpolator.Variable> variables(List<Node> rawTrees) {
        Map<String, Interpolator.Variable> vars = new TreeMap<>();
        for (Node t : rawTrees) collect(t, vars);
        return vars;
    }

    /** As docker compose prints it: a table NAME, REQUIRED, DEFAULT VALUE, ALTERNATE VALUE, sorted by name. */
    static String variablesTable(List<Node> rawTrees) {
        Map<String, Interpolator.Variable> vars = variables(rawTrees);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE"});
        for (Interpolator.Variable v : vars.values()) {
            rows.add(new String[] {v.name(), Boolean.toString(v.required()),
                v.defaultValue().orElse(""), v.alternate().orElse("")});
        }
        int[] width = new int[4];
        for (String[] r : rows) for (int i = 0; i < 4; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                line.append(r[i]);
                if (i < 3) line.append(" ".repeat(width[i] - r[i].length() + 3));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static void collect(Node n, Map<String, Interpolator.Variable> vars) {
        if (n instanceof Node.Scalar s) {
            if (s.kind() == Node.Kind.STRING && s.text().indexOf('$') >= 0) {
                for (Interpolator.Variable v : Interpolator.variables(s.text())) {
                    // Keep the most informative use: one with a default beats a bare reference.
                    vars.merge(v.name(), v, (a, b) -> a.defaultValue().isEmpty() && a.alternate().isEmpty() && !a.required() ? b : a);
                }
            }
        } else if (n instanceof Node.Seq q) {
            for (Node i : q.items()) collect(i, vars);
        } else {
            for (Node.Entry e : ((Node.Mapping) n).entries()) collect(e.value(), vars);
        }
    }
}
