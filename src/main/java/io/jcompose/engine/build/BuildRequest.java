package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a client asked to build: the query parameters of Docker's {@code POST /build} (classic builder).
 *
 * @param dockerfile  path of the Dockerfile inside the context ({@code dockerfile}, default "Dockerfile")
 * @param tags        image references to tag the result with ({@code t}, repeated)
 * @param buildArgs   {@code buildargs}; an empty Optional is a JSON null: the arg is "given" without a value,
 *                    which Docker treats as not set (the CLI resolves {@code --build-arg X} from its own env)
 * @param target      stage to stop at ({@code target}); empty: the last stage
 * @param labels      {@code labels}, added to the final image
 * @param noCache     {@code nocache}
 * @param pull        {@code pull}: refresh base images even if present
 * @param networkMode {@code networkmode} for RUN: "default", "none" or "host"
 * @param platform    {@code platform}; empty: the host's
 */
public record BuildRequest(String dockerfile, List<String> tags, SortedMap<String, Optional<String>> buildArgs,
                           Optional<String> target, SortedMap<String, String> labels, boolean noCache, boolean pull,
                           String networkMode, Optional<Platform> platform) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NETWORK_MODES = Set.of("default", "none", "host", "bridge");

    public BuildRequest {
        if (dockerfile.isBlank()) dockerfile = "Dockerfile";
        tags = List.copyOf(tags);
        buildArgs = new TreeMap<>(buildArgs);
        labels = new TreeMap<>(labels);
        if (!NETWORK_MODES.contains(networkMode))
            throw new IllegalArgumentException("networkmode \"" + networkMode + "\" is not supported (use default, none or host)");
    }

    public static BuildRequest defaults() {
        return new BuildRequest("Dockerfile", List.of(), new TreeMap<>(), Optional.empty(), new TreeMap<>(), false,
                false, "default", Optional.empty());
    }

    public BuildRequest withBuildArg(String name, String value) {
        SortedMap<String, Optional<String>> a = new TreeMap<>(buildArgs);
        a.put(name, Optional.of(value));
        return new BuildRequest(dockerfile, tags, a, target, labels, noCache, pull, networkMode, platform);
    }

    public BuildRequest withTarget(String t) {
        return new BuildRequest(dockerfile, tags, buildArgs, Optional.of(t), labels, noCache, pull, networkMode, platform);
    }

    public BuildRequest withTags(List<String> t) {
        return new BuildRequest(dockerfile, t, buildArgs, target, labels, noCache, pull, networkMode, platform);
    }

    public BuildRequest withNoCache(boolean n) {
        return new BuildRequest(dockerfile, tags, buildArgs, target, labels, n, pull, networkMode, platform);
    }

    public BuildRequest withDockerfile(String d) {
        return new BuildRequest(d, tags, buildArgs, target, labels, noCache, pull, networkMode, platform);
    }

    /**
     * From the query of {@code POST /build}: each key maps to its values in order. Booleans as Go's
     * strconv.ParseBool reads them ("1", "true", …); buildargs and labels are JSON objects.
     *
     * @throws IllegalArgumentException one line naming the bad parameter (the route answers 400 with it)
     */
    public static BuildRequest fromQuery(Map<String, List<String>> q) {
        String dockerfile = first(q, "dockerfile").orElse("Dockerfile");
        List<String> tags = new ArrayList<>();
        for (String t : q.getOrDefault("t", List.of())) {
            if (t.isBlank()) continue;
            if (!t.matches("[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?"))
                throw new IllegalArgumentException("invalid reference format: repository name (" + t + ") must be lowercase");
            tags.add(t);
        }
        SortedMap<String, Optional<String>> args = new TreeMap<>();
        first(q, "buildargs").filter(s -> !s.isBlank()).ifPresent(s -> object(s, "buildargs").fields().forEachRemaining(e ->
                args.put(e.getKey(), e.getValue().isNull() ? Optional.empty() : Optional.of(e.getValue().asText()))));
        SortedMap<String, String> labels = new TreeMap<>();
        first(q, "labels").filter(s -> !s.isBlank()).ifPresent(s -> object(s, "labels").fields().forEachRemaining(e ->
                labels.put(e.getKey(), e.getValue().asText())));
        Optional<Platform> platform = first(q, "platform").filter(s -> !s.isBlank()).map(Platform::parse);
        return new BuildRequest(dockerfile, tags, args, first(q, "target").filter(s -> !s.isBlank()), labels,
                bool(q, "nocache"), bool(q, "pull"), first(q, "networkmode").filter(s -> !s.isBlank()).orElse("default"),
                platform);
    }

    private static Optional<String> first(Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static boolean bool(Map<String, List<String>> q, String k) {
        Optional<String> v = first(q, k);
        if (v.isEmpty() || v.get().isEmpty()) return false;
        return switch (v.get()) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new IllegalArgumentException("invalid value for " + k + ": \"" + v.get() + "\" is not a boolean");
        };
    }

    private static JsonNode object(String s, String name) {
        try {
            JsonNode n = JSON.readTree(s);
            if (n == null || !n.isObject()) throw new IllegalArgumentException(name + " must be a JSON object, got: " + s);
            return n;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(name + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }
}
