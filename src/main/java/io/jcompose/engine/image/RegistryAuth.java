package io.jcompose.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Credentials as a Docker client sends them in {@code X-Registry-Auth} (base64url JSON with username, password,
 * identitytoken, serveraddress; {@code auth} = base64 "user:pass"). {@link #NONE} for anonymous access.
 */
public record RegistryAuth(Optional<String> username, Optional<String> password, Optional<String> identityToken,
                           Optional<String> serverAddress) {
    public static final RegistryAuth NONE = new RegistryAuth(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public static RegistryAuth basic(String user, String password) {
        return new RegistryAuth(Optional.of(user), Optional.of(password), Optional.empty(), Optional.empty());
    }

    public boolean isAnonymous() {
        return username.isEmpty() && identityToken.isEmpty();
    }

    /** Decodes an {@code X-Registry-Auth} header; an empty header means anonymous. */
    public static RegistryAuth fromHeader(String header) {
        if (header == null || header.isBlank()) return NONE;
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            try {
                json = Base64.getDecoder().decode(header.trim());
            } catch (IllegalArgumentException e2) {
                throw new ImageException(ImageException.Kind.INVALID, "X-Registry-Auth is not base64: " + e2.getMessage());
            }
        }
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            if (n == null || !n.isObject()) return NONE;
            Optional<String> user = text(n, "username");
            Optional<String> pass = text(n, "password");
            Optional<String> auth = text(n, "auth");
            if (user.isEmpty() && auth.isPresent()) {
                String up = new String(Base64.getDecoder().decode(auth.get()), StandardCharsets.UTF_8);
                int c = up.indexOf(':');
                if (c > 0) {
                    user = Optional.of(up.substring(0, c));
                    pass = Optional.of(up.substring(c + 1));
                }
            }
            return new RegistryAuth(user, pass, text(n, "identitytoken"), text(n, "serveraddress"));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ImageException(ImageException.Kind.INVALID, "X-Registry-Auth is not valid JSON: " + e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    @Override
    public String toString() {
        // Never print secrets.
        return "RegistryAuth[user=" + username.orElse("") + ", token=" + (identityToken.isPresent() ? "***" : "") + "]";
    }
}
