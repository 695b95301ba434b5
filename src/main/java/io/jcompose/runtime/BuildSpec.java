package io.jcompose.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An image to build (Compose's {@code build:} after the composer resolved it; Docker's classic {@code POST /build}).
 *
 * @param context            the build context: a local directory (absolute)
 * @param dockerfile         path of the Dockerfile relative to the context, or absolute (may lie outside the
 *                           context); empty: {@code Dockerfile}. Ignored when {@code dockerfileInline} is set
 * @param dockerfileInline   the Dockerfile's text instead of a file
 * @param args               build arguments; an empty Optional: declared without a value (the Dockerfile's default)
 * @param tags               the references to give the image; the first is its name ({@code <project>-<service>}
 *                           or {@code image:}), the rest are {@code build.tags}. At least one
 * @param network            network for RUN steps ({@code default}, {@code none}, {@code host}); empty: default
 * @param platform           e.g. {@code linux/amd64}; empty: the engine's
 * @param additionalContexts named extra contexts ({@code build.additional_contexts}): name → a local directory
 *                           (absolute) or {@code docker-image://<ref>}; the classic builder has none, so a runtime
 *                           that cannot send them (dockerd) refuses a spec that has any
 * @param secrets            build secrets by id, for {@code RUN --mount=type=secret}
 */
public record BuildSpec(Path context, Optional<String> dockerfile, Optional<String> dockerfileInline,
                        SortedMap<String, Optional<String>> args, Optional<String> target, SortedMap<String, String> labels,
                        List<String> tags, boolean noCache, boolean pull, Optional<String> network, Optional<String> platform,
                        SortedMap<String, String> additionalContexts, SortedMap<String, SecretSource> secrets) {
    public BuildSpec {
        Objects.requireNonNull(context, "context");
        if (!context.isAbsolute()) throw new IllegalArgumentException("build context must be absolute, got " + context);
        Objects.requireNonNull(dockerfile);
        Objects.requireNonNull(dockerfileInline);
        args = new TreeMap<>(args);
        Objects.requireNonNull(target);
        labels = new TreeMap<>(labels);
        tags = List.copyOf(tags);
        if (tags.isEmpty()) throw new IllegalArgumentException("a build needs at least one tag");
        Objects.requireNonNull(network);
        Objects.requireNonNull(platform);
        additionalContexts = new TreeMap<>(additionalContexts);
        secrets = new TreeMap<>(secrets);
    }

    /** The image's name: the first tag. */
    public String image() {
        return tags.get(0);
    }

    /**
     * Where a build secret's bytes come from: a file, or a variable of jcompose's environment (read when the build
     * runs, so its value appears in no plan or spec).
     */
    public sealed interface SecretSource {
        record File(Path path) implements SecretSource {
            public File {
                Objects.requireNonNull(path);
            }
        }

        record Environment(String variable) implements SecretSource {
            public Environment {
                Objects.requireNonNull(variable);
            }
        }
    }
}
