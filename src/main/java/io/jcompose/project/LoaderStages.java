package io.jcompose.project;

import io.jcompose.model.Project;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The stages {@link ProjectLoader} runs after reading and interpolating, as plain functions so a test can run the
 * loader with stand-ins for stages it does not exercise. {@link #real()} is what jcompose uses.
 */
record LoaderStages(Consumer<Node> schema, FileStage include, FileStage extend, Function<List<Node>, Node> merge,
                    Canonicalize canonicalize, ProfileStage profiles, BiConsumer<Node, Consumer<Warning>> semantic,
                    BiFunction<Node, Path, Project> bind) {

    interface FileStage {
        Node apply(Node tree, Path file, ComposeFileSource source);
    }

    interface Canonicalize {
        Node apply(Node merged, CanonicalContext context, Consumer<Warning> warnings);
    }

    interface ProfileStage {
        Node apply(Node canonical, Set<String> active, List<String> services);
    }

    static LoaderStages real() {
        return real(new SchemaValidator());
    }

    static LoaderStages real(SchemaValidator schema) {
        IncludeResolver include = new IncludeResolver();
        ExtendsResolver extend = new ExtendsResolver();
        Merger merger = new Merger();
        Canonicalizer canon = new Canonicalizer();
        Profiles profiles = new Profiles();
        SemanticValidator semantic = new SemanticValidator();
        Binder binder = new Binder();
        return new LoaderStages(schema::validate, include::resolve, extend::resolve, merger::merge, canon::canonicalize,
                profiles::apply, semantic::validate, binder::bind);
    }
}
