package io.jcompose.engine.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jcompose.engine.image.ImageReference;
import io.jcompose.engine.image.RegistryAuth;
import io.jcompose.engine.image.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /auth}, what {@code docker login} calls: the engine checks the credentials against the registry
 * (a Basic or Bearer round trip on {@code /v2/}) and stores nothing; the client keeps them and sends them with
 * each pull and push in {@code X-Registry-Auth}. Answers {@code {"Status":"Login Succeeded","IdentityToken":""}},
 * or 401 with the registry's refusal.
 */
public final class AuthRoutes {
    private final RegistryClient registry;

    private AuthRoutes(RegistryClient registry) {
        this.registry = registry;
    }

    public static void register(Routes routes, RegistryClient registry) {
        routes.post("/auth", ImageRoutes.wrap(new AuthRoutes(registry)::auth));
    }

    /** The body Docker clients send (types.AuthConfig); unknown fields (email) are ignored. */
    record AuthConfig(@JsonProperty("username") String username, @JsonProperty("password") String password,
                      @JsonProperty("auth") String auth, @JsonProperty("serveraddress") String serverAddress,
                      @JsonProperty("identitytoken") String identityToken) {}

    private void auth(Request req, Response res) throws IOException {
        AuthConfig c = req.json(AuthConfig.class);
        RegistryAuth creds = new RegistryAuth(text(c.username()), text(c.password()), text(c.identityToken()), text(c.serverAddress()));
        if (creds.username().isEmpty() && text(c.auth()).isPresent()) {
            // The legacy "auth" field: base64 "user:password", decoded the way X-Registry-Auth is.
            String json = "{\"auth\":\"" + c.auth() + "\"}";
            creds = RegistryAuth.fromHeader(java.util.Base64.getUrlEncoder().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        registry.login(hostPort(c.serverAddress()), creds);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("IdentityToken", "");
        body.put("Status", "Login Succeeded");
        res.json(200, body);
    }

    /**
     * The registry a login names: {@code 127.0.0.1:5000}, {@code http://host:5000/}, or Docker Hub's
     * {@code https://index.docker.io/v1/} (and an empty address, which means Docker Hub too).
     */
    static String hostPort(String serverAddress) {
        String s = serverAddress == null ? "" : serverAddress.trim();
        if (s.isEmpty()) return ImageReference.DOCKER_HUB;
        if (s.contains("://")) {
            URI u = URI.create(s);
            s = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
        } else if (s.indexOf('/') >= 0) {
            s = s.substring(0, s.indexOf('/'));
        }
        if (s.equals("index.docker.io") || s.equals("registry-1.docker.io")) return ImageReference.DOCKER_HUB;
        try {
            ImageReference.parse(s + "/x");
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid registry address \"" + serverAddress + "\"");
        }
        return s;
    }

    private static Optional<String> text(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
