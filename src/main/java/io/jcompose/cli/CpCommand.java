package io.jcompose.cli;

import io.jcompose.model.Project;
import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.ContainerSummary;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose cp SERVICE:SRC DEST} and {@code cp SRC SERVICE:DEST}: files between a service container (replica
 * {@code --index}) and the host, with docker cp's naming rule: into an existing directory the source keeps its
 * name, otherwise it takes the destination's name. Regular files, directories and symlinks; {@code -} (tar on
 * stdin/stdout) is not supported yet.
 */
@Command(name = "cp", description = "Copy files/folders between a service container and the local filesystem")
final class CpCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--index", paramLabel = "N", description = "Index of the container if the service has multiple replicas (default 1)")
    int index = 1;
    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information; ignored)")
    boolean archive;
    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;
    @Parameters(index = "0", paramLabel = "SRC")
    String source;
    @Parameters(index = "1", paramLabel = "DEST")
    String destination;

    @Override
    public Integer call() throws Exception {
        if (source.equals("-") || destination.equals("-")) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "jcompose does not support 'cp' with - (a tar stream) yet");
        }
        return Verbs.withProject(root, List.of(), (p, engine) -> {
            Optional<String[]> from = servicePath(p, source);
            Optional<String[]> to = servicePath(p, destination);
            if (from.isPresent() == to.isPresent()) {
                throw new CliException(ExitCodes.COMMAND_SYNTAX, "cp: exactly one of SRC and DEST must be SERVICE:PATH");
            }
            var containers = engine.runtime.containers();
            Path cwd = root.context().cwd();
            if (from.isPresent()) {
                String c = container(engine, p, from.get()[0]);
                Path dest = cwd.resolve(destination).normalize();
                try (InputStream tar = containers.archive(c, from.get()[1])) {
                    if (Files.isDirectory(dest)) Tar.read(tar, dest, null);
                    else {
                        if (!Files.isDirectory(dest.getParent())) throw new CliException(ExitCodes.FAILURE, "cp: " + dest.getParent() + ": no such directory");
                        Tar.read(tar, dest.getParent(), dest.getFileName().toString());
                    }
                }
            } else {
                String c = container(engine, p, to.get()[0]);
                Path src = cwd.resolve(source).normalize();
                if (followLink) src = src.toRealPath();
                if (!Files.exists(src, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new CliException(ExitCodes.FAILURE, "cp: " + src + ": no such file or directory");
                String dest = to.get()[1];
                if (containers.isDirectory(c, dest).orElse(false)) {
                    containers.extract(c, dest, new ByteArrayInputStream(Tar.of(src, src.getFileName().toString())));
                } else {
                    String d = dest.replaceAll("/+$", "");
                    int slash = d.lastIndexOf('/');
                    String parent = slash < 0 ? "." : slash == 0 ? "/" : d.substring(0, slash);
                    containers.extract(c, parent, new ByteArrayInputStream(Tar.of(src, d.substring(slash + 1))));
                }
            }
            return ExitCodes.OK;
        });
    }

    /** {@code service:path} when the part before the colon is a service of the project. */
    private static Optional<String[]> servicePath(Project p, String arg) {
        int colon = arg.indexOf(':');
        if (colon <= 0 || !p.services().containsKey(arg.substring(0, colon))) return Optional.empty();
        return Optional.of(new String[] {arg.substring(0, colon), arg.substring(colon + 1)});
    }

    private String container(Engine engine, Project p, String service) {
        for (ContainerSummary c : new ServiceContainers(engine.runtime, p).of(service, true)) {
            if (c.labels().getOrDefault(Labels.CONTAINER_NUMBER, "").equals(Integer.toString(index))) return c.name();
        }
        throw new CliException(ExitCodes.FAILURE, "service \"" + service + "\" has no container with index " + index);
    }
}
