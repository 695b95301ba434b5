package io.jcompose.engine.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalised image reference, as Docker normalises them:
 * <pre>
 * busybox                      → docker.io/library/busybox:latest
 * user/app:1                   → docker.io/user/app:1
 * localhost:5000/app           → localhost:5000/app:latest
 * reg.example/a/b@sha256:…     → reg.example/a/b@sha256:…  (no tag implied when a digest is given)
 * </pre>
 * {@code domain} is the registry as named ({@code docker.io}); {@link #apiHost()} the host to talk to.
 */
public record ImageReference(String domain, String path, Optional<String> tag, Optional<Digest> digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");

    public ImageReference {
        if (!DOMAIN.matcher(domain).matches()) throw new IllegalArgumentException("invalid registry host \"" + domain + "\"");
        for (String c : path.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new IllegalArgumentException("invalid repository name \"" + path + "\""
                        + (path.equals(path.toLowerCase()) ? "" : ": repository names must be lowercase"));
            }
        }
        if (tag.isPresent() && !TAG.matcher(tag.get()).matches()) throw new IllegalArgumentException("invalid tag \"" + tag.get() + "\"");
    }

    /** Parses and normalises; the default tag {@code latest} is added only when neither tag nor digest is given. */
    public static ImageReference parse(String ref) {
        if (ref == null || ref.isBlank()) throw new IllegalArgumentException("empty image reference");
        String s = ref;
        Optional<Digest> digest = Optional.empty();
        int at = s.indexOf('@');
        if (at >= 0) {
            try {
                digest = Optional.of(Digest.parse(s.substring(at + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid reference \"" + ref + "\": " + e.getMessage());
            }
            s = s.substring(0, at);
        }
        String domain = DOCKER_HUB;
        String rest = s;
        int slash = s.indexOf('/');
        if (slash > 0) {
            String first = s.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                domain = first.equals("index.docker.io") ? DOCKER_HUB : first;
                rest = s.substring(slash + 1);
            }
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        if (domain.equals(DOCKER_HUB) && !rest.contains("/")) rest = "library/" + rest;
        if (tag.isEmpty() && digest.isEmpty()) tag = Optional.of("latest");
        try {
            return new ImageReference(domain, rest, tag, digest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid reference \"" + ref + "\": " + e.getMessage());
        }
    }

    /** {@code docker.io/library/busybox}. */
    public String repository() {
        return domain + "/" + path;
    }

    /** The short form Docker prints in RepoTags: {@code busybox}, {@code user/app}, {@code localhost:5000/app}. */
    public String familiarRepository() {
        if (domain.equals(DOCKER_HUB)) {
            String p = path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
            return p;
        }
        return repository();
    }

    /** {@code busybox:latest} (RepoTags form); requires a tag. */
    public String familiarTagged() {
        return familiarRepository() + ":" + tag.orElseThrow(() -> new IllegalStateException(this + " has no tag"));
    }

    public ImageReference withTag(String t) {
        return new ImageReference(domain, path, Optional.of(t), Optional.empty());
    }

    public ImageReference withDigest(Digest d) {
        return new ImageReference(domain, path, Optional.empty(), Optional.of(d));
    }

    /** The host whose /v2/ API serves this domain. */
    public String apiHost() {
        return domain.equals(DOCKER_HUB) ? "registry-1.docker.io" : domain;
    }

    /** Tag or digest, as used in a manifest URL. */
    public String manifestReference() {
        return digest.map(Digest::toString).orElseGet(() -> tag.orElseThrow());
    }

    @Override
    public String toString() {
        return repository() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
