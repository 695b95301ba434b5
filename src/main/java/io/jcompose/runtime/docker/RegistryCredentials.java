package io.jcompose.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.RegistryAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds registry credentials like the Docker CLI: a per-registry {@code credHelpers} entry, else the
 * {@code credsStore} helper, else the {@code auths} entry's base64 {@code auth} / {@code identitytoken}.
 * Helpers are run as {@code docker-credential-<name> get} with the server address on stdin.
 */
final class RegistryCredentials {
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    /** Runs a credential helper: (helper name, server address) → its stdout, or empty if it has none. */
    interface HelperRunner {
        Optional<String> get(String helper, String serverAddress) throws IOException;
    }

    private final JsonNode config;
    private final HelperRunner helpers;
    private final ObjectMapper json = new ObjectMapper();

    RegistryCredentials(JsonNode config, HelperRunner helpers) {
        this.config = config;
        this.helpers = helpers;
    }

    /** The registry host of an image reference: {@code localhost:5000/a/b:1} → {@code localhost:5000}. */
    static String registryOf(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) return "docker.io";
        String first = reference.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) return first;
        return "docker.io";
    }

    /**
     * Every registry the config names ({@code auths} keys and {@code credHelpers}), registry host → credentials,
     * for a build's {@code X-Registry-Config} (the engine picks the one its base image needs). Entries without
     * usable credentials, or whose helper fails, are left out: a build of a public base must not fail on them.
     */
    java.util.SortedMap<String, RegistryAuth> all() {
        java.util.SortedMap<String, RegistryAuth> out = new java.util.TreeMap<>();
        java.util.Set<String> registries = new java.util.TreeSet<>();
        config.path("auths").fieldNames().forEachRemaining(k -> registries.add(hostOf(k)));
        config.path("credHelpers").fieldNames().forEachRemaining(registries::add);
        for (String r : registries) {
            try {
                forRegistry(r).ifPresent(a -> out.put(r.equals("docker.io") ? DOCKER_HUB_KEY : r, a));
            } catch (EngineException e) {
                // skipped, see above
            }
        }
        return out;
    }

    /** {@code https://index.docker.io/v1/} → docker.io; {@code https://reg:5000/v2/} → reg:5000. */
    static String hostOf(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        return k.equals("index.docker.io") ? "docker.io" : k;
    }

    Optional<RegistryAuth> forReference(String reference) {
        return forRegistry(registryOf(reference));
    }

    Optional<RegistryAuth> forRegistry(String registry) {
        boolean hub = registry.equals("docker.io") || registry.equals("index.docker.io");
        String key = hub ? DOCKER_HUB_KEY : registry;
        String helper = config.path("credHelpers").path(registry).asText("");
        if (helper.isEmpty()) helper = config.path("credsStore").asText("");
        if (!helper.isEmpty()) {
            Optional<RegistryAuth> fromHelper = fromHelper(helper, key, registry);
            if (fromHelper.isPresent()) return fromHelper;
        }
        JsonNode auths = config.path("auths");
        for (String candidate : List.of(key, "https://" + registry, "http://" + registry, registry + "/v1/",
                "https://" + registry + "/v1/", "https://" + registry + "/v2/")) {
            JsonNode entry = auths.path(candidate);
            if (entry.isObject()) return fromAuthEntry(entry, registry);
        }
        return Optional.empty();
    }

    private Optional<RegistryAuth> fromAuthEntry(JsonNode entry, String registry) {
        String user = entry.path("username").asText("");
        String pass = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new EngineException(EngineException.Category.INVALID,
                        "Docker config: auths entry for " + registry + " has an invalid base64 \"auth\"");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new EngineException(EngineException.Category.INVALID,
                        "Docker config: auths entry for " + registry + " is not user:password");
            }
            user = decoded.substring(0, colon);
            pass = decoded.substring(colon + 1);
        }
        String token = entry.path("identitytoken").asText("");
        if (user.isEmpty() && pass.isEmpty() && token.isEmpty()) return Optional.empty();
        return Optional.of(new RegistryAuth(user, pass, token, registry));
    }

    private Optional<RegistryAuth> fromHelper(String helper, String key, String registry) {
        Optional<String> out;
        try {
            out = helpers.get(helper, key);
        } catch (IOException e) {
            throw new EngineException(EngineException.Category.UNAUTHORIZED, "credential helper docker-credential-"
                    + helper + " failed for " + registry + ": " + e.getMessage(), e.getMessage(), e);
        }
        if (out.isEmpty()) return Optional.empty();
        try {
            JsonNode n = json.readTree(out.get());
            String user = n.path("Username").asText("");
            String secret = n.path("Secret").asText("");
            // The helper protocol marks identity tokens with the user name "<token>".
            if (user.equals("<token>")) return Optional.of(new RegistryAuth("", "", secret, registry));
            return Optional.of(new RegistryAuth(user, secret, "", registry));
        } catch (IOException e) {
            throw new EngineException(EngineException.Category.UNAUTHORIZED, "credential helper docker-credential-"
                    + helper + " returned invalid JSON for " + registry, e.getMessage(), e);
        }
    }

    /** The {@code X-Registry-Auth} header value: base64url of the JSON auth config. */
    static String header(RegistryAuth auth) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        if (!auth.identityToken().isEmpty()) {
            n.put("identitytoken", auth.identityToken());
        } else {
            n.put("username", auth.username());
            n.put("password", auth.password());
        }
        n.put("serveraddress", auth.serverAddress());
        return Base64.getUrlEncoder().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Runs real helper programs from PATH. "credentials not found" means no credentials, not an error. */
    static HelperRunner processRunner() {
        return (helper, server) -> {
            Process p;
            try {
                p = new ProcessBuilder("docker-credential-" + helper, "get").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("cannot run docker-credential-" + helper + " (" + e.getMessage() + ")", e);
            }
            p.getOutputStream().write(server.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("timed out after 30 s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (p.exitValue() != 0) {
                if (out.toLowerCase().contains("credentials not found")) return Optional.empty();
                throw new IOException("exit " + p.exitValue() + ": " + out.strip());
            }
            return Optional.of(out);
        };
    }
}
