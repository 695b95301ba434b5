package io.jcompose.reconcile;

import io.jcompose.model.Build;
import io.jcompose.model.FileReference;
import io.jcompose.model.Project;
import io.jcompose.model.Secret;
import io.jcompose.model.Service;
import io.jcompose.runtime.BuildSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A service's {@code build:} → the {@link BuildSpec} a runtime builds. The image's first tag is the service's image
 * ({@code image:}, else {@code <project>-<service>}, docker compose v2's name), then {@code build.tags}; the image
 * gets the {@value Labels#PROJECT} and {@value Labels#SERVICE} labels besides {@code build.labels} (as docker
 * compose does, so {@code down --rmi local} can find it). A build argument declared without a value takes jcompose's
 * environment variable of that name, else stays unset (the Dockerfile's default applies).
 */
public final class BuildSpecs {
    private BuildSpecs() {}

    /**
     * @param noCache   {@code --no-cache} (or {@code build.no_cache})
     * @param pull      {@code --pull} (or {@code build.pull})
     * @param overrides {@code --build-arg K=V}, over {@code build.args}
     * @param env       jcompose's environment (for bare build arguments)
     */
    public static BuildSpec spec(Project p, Service s, boolean noCache, boolean pull, Map<String, String> overrides,
                                 Function<String, String> env) {
        Build b = s.build().orElseThrow(() -> new IllegalArgumentException("service " + s.name() + " has no build section"));
        if (b.context().contains("://") || b.context().startsWith("git@")) {
            throw new IllegalArgumentException("service " + s.name() + ": remote build context " + b.context()
                    + " is not supported; clone it and use a local directory");
        }
        Path context = p.workingDir().resolve(b.context()).normalize();
        SortedMap<String, Optional<String>> args = new TreeMap<>();
        b.args().forEach((k, v) -> args.put(k, v.isPresent() ? v : Optional.ofNullable(env.apply(k))));
        overrides.forEach((k, v) -> args.put(k, Optional.of(v)));
        TreeMap<String, String> labels = new TreeMap<>(b.labels());
        labels.put(Labels.PROJECT, p.name());
        labels.put(Labels.SERVICE, s.name());
        List<String> tags = new ArrayList<>();
        tags.add(ContainerSpecs.image(p, s));
        b.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
        Optional<String> platform = s.platform().or(() -> b.platforms().size() == 1 ? Optional.of(b.platforms().get(0)) : Optional.empty());
        return new BuildSpec(context, b.dockerfile(), b.dockerfileInline(), args, b.target(), labels, tags,
                noCache || b.noCache(), pull || b.pull(), b.network(), platform, b.additionalContexts(), secrets(p, s, b));
    }

    /** build.secrets → id (the reference's target, else its source) → where the bytes are. */
    private static SortedMap<String, BuildSpec.SecretSource> secrets(Project p, Service s, Build b) {
        SortedMap<String, BuildSpec.SecretSource> out = new TreeMap<>();
        for (FileReference r : b.secrets()) {
            Secret secret = p.secrets().get(r.source());
            String where = "service " + s.name() + ": build secret " + r.source();
            if (secret == null) throw new IllegalArgumentException(where + " is not defined in the top-level secrets");
            BuildSpec.SecretSource source;
            if (secret.file().isPresent()) {
                source = new BuildSpec.SecretSource.File(p.workingDir().resolve(secret.file().get()));
            } else if (secret.environment().isPresent()) {
                source = new BuildSpec.SecretSource.Environment(secret.environment().get());
            } else {
                throw new IllegalArgumentException(where + ": only file and environment secrets can be used in a build");
            }
            out.put(r.target().orElse(r.source()), source);
        }
        return out;
    }
}
