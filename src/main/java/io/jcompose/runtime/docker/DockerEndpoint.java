package io.jcompose.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jcompose.runtime.EngineException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the Docker engine is, resolved like the Docker CLI: {@code DOCKER_HOST} (with {@code DOCKER_TLS_VERIFY}
 * and {@code DOCKER_CERT_PATH}), else the {@code DOCKER_CONTEXT} / config.json {@code currentContext} endpoint,
 * else {@code unix:///var/run/docker.sock}.
 *
 * @param host   e.g. {@code unix:///var/run/docker.sock}, {@code tcp://10.0.0.1:2376}
 * @param tls    the directory holding ca.pem, cert.pem and key.pem, when TLS is on
 * @param source why this endpoint was chosen, for messages: {@code DOCKER_HOST}, {@code context "remote"}, {@code default}
 */
public record DockerEndpoint(String host, Optional<Path> tls, boolean tlsVerify, String source) {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    public DockerEndpoint {
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("endpoint needs a host");
    }

    public static DockerEndpoint unix(Path socket) {
        return new DockerEndpoint("unix://" + socket, Optional.empty(), false, "given");
    }

    /** Resolves from an environment and a home directory (both seams for tests). */
    public static DockerEndpoint resolve(Function<String, String> env, Path home) {
        String dockerHost = env.apply("DOCKER_HOST");
        DockerConfigFile config = DockerConfigFile.load(env, home);
        if (dockerHost != null && !dockerHost.isEmpty()) {
            boolean verify = nonEmpty(env.apply("DOCKER_TLS_VERIFY"));
            String certPath = env.apply("DOCKER_CERT_PATH");
            Path certs = nonEmpty(certPath) ? Path.of(certPath) : config.dir();
            return new DockerEndpoint(dockerHost, verify ? Optional.of(certs) : Optional.empty(), verify,
                    "DOCKER_HOST");
        }
        String context = env.apply("DOCKER_CONTEXT");
        String why = "DOCKER_CONTEXT";
        if (!nonEmpty(context)) {
            context = config.text("currentContext");
            why = config.dir().resolve("config.json") + " currentContext";
        }
        if (nonEmpty(context) && !context.equals("default")) {
            return fromContext(config.dir(), context, why);
        }
        return new DockerEndpoint(DEFAULT_HOST, Optional.empty(), false, "default");
    }

    private static DockerEndpoint fromContext(Path configDir, String name, String why) {
        String id = sha256(name);
        Path meta = configDir.resolve("contexts").resolve("meta").resolve(id).resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new EngineException(EngineException.Category.INVALID, "docker context \"" + name + "\" (from " + why
                    + ") not found: no " + meta + "; run 'docker context ls' or unset it");
        }
        JsonNode docker;
        try {
            docker = new ObjectMapper().readTree(meta.toFile()).path("Endpoints").path("docker");
        } catch (IOException e) {
            throw new EngineException(EngineException.Category.INVALID,
                    meta + ": cannot read docker context \"" + name + "\" (" + e.getMessage() + ")", e.getMessage(), e);
        }
        String host = docker.path("Host").asText("");
        if (host.isEmpty()) {
            throw new EngineException(EngineException.Category.INVALID,
                    meta + ": docker context \"" + name + "\" has no Endpoints.docker.Host");
        }
        Path tlsDir = configDir.resolve("contexts").resolve("tls").resolve(id).resolve("docker");
        boolean hasTls = Files.isDirectory(tlsDir);
        boolean skipVerify = docker.path("SkipTLSVerify").asBoolean(false);
        return new DockerEndpoint(host, hasTls ? Optional.of(tlsDir) : Optional.empty(), hasTls && !skipVerify,
                "context \"" + name + "\"");
    }

    /** Opens a transport for this endpoint. */
    Transport transport() {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw invalid("malformed engine address");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "unix" -> {
                String path = uri.getPath();
                if (path == null || path.isEmpty()) throw invalid("unix address needs a socket path");
                return new UnixTransport(Path.of(path));
            }
            case "tcp", "http", "https" -> {
                if (uri.getHost() == null) throw invalid("address needs a host");
                boolean useTls = tls.isPresent() || scheme.equals("https");
                int port = uri.getPort() > 0 ? uri.getPort() : (useTls ? 2376 : 2375);
                try {
                    return new TcpTransport(uri.getHost(), port, useTls ? TlsFiles.context(tls, tlsVerify) : null);
                } catch (IOException | GeneralSecurityException e) {
                    throw new EngineException(EngineException.Category.INVALID, "cannot set up TLS for " + host
                            + " (from " + source + "): " + e.getMessage() + "; check DOCKER_CERT_PATH", e.getMessage(), e);
                }
            }
            default -> throw invalid("unsupported scheme \"" + scheme + "\" (supported: unix, tcp)");
        }
    }

    private EngineException invalid(String what) {
        return new EngineException(EngineException.Category.INVALID,
                "engine address " + host + " (from " + source + "): " + what);
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return host + " (" + source + ")";
    }
}
