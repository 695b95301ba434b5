package io.jcompose.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Every Compose file of the corpus the loader must handle, and how to load one the way a user would. */
final class CorpusFiles {
    private CorpusFiles() {}

    static final List<String> ROOTS = List.of("awesome", "compose-go/loader/testdata", "compose-go/cli/testdata", "e2e/fixtures");

    /** Relative to the corpus root, '/'-separated, sorted. Every .yml/.yaml there is a Compose file (checked once). */
    static List<String> all() {
        Path root = Corpus.require("awesome").getParent();
        return ROOTS.stream().flatMap(r -> {
            try (Stream<Path> s = Files.walk(Corpus.require(r))) {
                return s.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().endsWith(".yml") || p.getFileName().toString().endsWith(".yaml"))
                        .map(p -> root.relativize(p).toString().replace('\\', '/')).toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sorted().toList();
    }

    /** {@code -f FILE} from the file's directory, with an empty process environment (the directory's .env applies). */
    static ProjectOptions options(Path file, String text) {
        return new ProjectOptions(file.getParent(), List.of(file.getFileName().toString()), Optional.empty(), Optional.empty(),
                List.of(), List.of(), List.of(), EnvironmentVariables.of(java.util.Map.of()), () -> text, true);
    }

    /** The same file's text through stdin ({@code -f -}), for mutated copies that must not be written to the corpus. */
    static ProjectOptions stdinOptions(Path file, String text, String name, boolean interpolate) {
        return new ProjectOptions(file.getParent(), List.of("-"), Optional.of(name), Optional.of(file.getParent().toString()),
                List.of(), List.of(), List.of(), EnvironmentVariables.of(java.util.Map.of()), () -> text, interpolate);
    }
}
