package io.jcompose.model;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * How to build a service's image (Compose's {@code build}, long syntax).
 *
 * @param context            absolute directory or a remote URL (git, https)
 * @param dockerfile         relative to the context; empty: {@code Dockerfile}
 * @param dockerfileInline   the Dockerfile's text, instead of a file
 * @param args               build arguments; an empty Optional: declared without a value (taken from the environment, else unset)
 * @param additionalContexts named extra contexts ({@code name → path or image://ref})
 * @param extraHosts         {@code host:ip} lines, in file order
 * @param shmSizeBytes       size of /dev/shm for RUN steps
 * @param secrets            build secrets (project-level secret keys)
 * @param network            network for RUN steps ({@code none}, {@code host}, a name); empty: default
 */
public record Build(String context, Optional<String> dockerfile, Optional<String> dockerfileInline,
                    SortedMap<String, Optional<String>> args, Optional<String> target, SortedMap<String, String> labels,
                    List<String> cacheFrom, List<String> cacheTo, boolean noCache, boolean pull, Optional<String> network,
                    SortedMap<String, String> additionalContexts, List<String> tags, List<String> platforms,
                    List<String> extraHosts, Optional<Long> shmSizeBytes, List<String> ssh, List<FileReference> secrets,
                    boolean privileged, Optional<String> isolation, SortedMap<String, Ulimit> ulimits, List<String> entitlements) {
    public Build {
        if (context == null || context.isEmpty()) throw new IllegalArgumentException("build context must not be empty");
        Copies.opt(dockerfile);
        Copies.opt(dockerfileInline);
        args = Copies.sorted(args);
        Copies.opt(target);
        labels = Copies.sorted(labels);
        cacheFrom = List.copyOf(cacheFrom);
        cacheTo = List.copyOf(cacheTo);
        Copies.opt(network);
        additionalContexts = Copies.sorted(additionalContexts);
        tags = List.copyOf(tags);
        platforms = List.copyOf(platforms);
        extraHosts = List.copyOf(extraHosts);
        Copies.opt(shmSizeBytes);
        ssh = List.copyOf(ssh);
        secrets = List.copyOf(secrets);
        Copies.opt(isolation);
        ulimits = Copies.sorted(ulimits);
        entitlements = List.copyOf(entitlements);
    }
}
