package io.jcompose.runtime;

/**
 * Credentials for one registry. Either username + password, or an identity token (OAuth refresh token).
 * {@code serverAddress} is the registry host as it appears in image references ({@code registry:5000}).
 */
public record RegistryAuth(String username, String password, String identityToken, String serverAddress) {
    public RegistryAuth {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        identityToken = identityToken == null ? "" : identityToken;
        serverAddress = serverAddress == null ? "" : serverAddress;
    }

    @Override
    public String toString() {
        // Never print secrets.
        return "RegistryAuth[" + (username.isEmpty() ? "<token>" : username) + "@" + serverAddress + "]";
    }
}
