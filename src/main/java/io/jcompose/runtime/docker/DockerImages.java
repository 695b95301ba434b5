package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.DockerApi.query;
import static io.jcompose.runtime.docker.DockerApi.seg;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.runtime.EngineException;
import io.jcompose.runtime.EngineException.Category;
import io.jcompose.runtime.ImageInfo;
import io.jcompose.runtime.Images;
import io.jcompose.runtime.PullProgress;
import io.jcompose.runtime.RegistryAuth;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

final class DockerImages implements Images {
    private final DockerApi api;
    private final RegistryCredentials credentials;

    DockerImages(DockerApi api, RegistryCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    @Override
    public void pull(String reference, Optional<RegistryAuth> auth, Consumer<PullProgress> progress) {
        String[] nameTag = splitReference(reference);
        String what = "pull " + reference;
        HttpRequest req = HttpRequest.of("POST", api.path("/images/create",
                query("fromImage", nameTag[0], "tag", nameTag[1])));
        Optional<RegistryAuth> credential = auth.isPresent() ? auth : credentials.forReference(reference);
        if (credential.isPresent()) req = req.header("X-Registry-Auth", RegistryCredentials.header(credential.get()));
        try (HttpResponse r = api.stream(req, what); JsonParser p = api.json.getFactory().createParser(
                    new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            JsonNode n;
            while ((n = api.json.readTree(p)) != null) {
                if (n.hasNonNull("error")) throw pullError(what, n.path("error").asText());
                progress.accept(InfoJson.progress(n));
            }
        } catch (IOException e) {
            throw api.unreachable(e);
        }
    }

    @Override
    public void push(String reference, Optional<RegistryAuth> auth, Consumer<PullProgress> progress) {
        String[] nameTag = splitReference(reference);
        String what = "push " + reference;
        HttpRequest req = HttpRequest.of("POST", api.path("/images/" + seg(nameTag[0]) + "/push", query("tag", nameTag[1])));
        // dockerd requires the header even for registries without authentication.
        req = req.header("X-Registry-Auth", RegistryCredentials.header((auth.isPresent() ? auth : credentials.forReference(reference))
                .orElse(new RegistryAuth("", "", "", ""))));
        try (HttpResponse r = api.stream(req, what); JsonParser p = api.json.getFactory().createParser(
                    new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            JsonNode n;
            while ((n = api.json.readTree(p)) != null) {
                if (n.hasNonNull("error")) throw pullError(what, n.path("error").asText());
                progress.accept(InfoJson.progress(n));
            }
        } catch (IOException e) {
            throw api.unreachable(e);
        }
    }

    /** The engine reports pull failures inside a 200 stream; classify them by their words. */
    static EngineException pullError(String what, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        Category c;
        if (m.contains("not found") || m.contains("manifest unknown") || m.contains("does not exist")) {
            c = Category.NOT_FOUND;
        } else if (m.contains("unauthorized") || m.contains("authentication required") || m.contains("denied")) {
            c = Category.UNAUTHORIZED;
        } else if (m.contains("connection refused") || m.contains("no such host") || m.contains("timeout")
                || m.contains("i/o timeout")) {
            c = Category.UNAVAILABLE;
        } else {
            c = Category.OTHER;
        }
        return new EngineException(c, what + ": " + message, message, null);
    }

    /** {@code reg:5000/a/b:1} → [reg:5000/a/b, 1]; a digest reference keeps {@code @sha256:…} as its "tag". */
    static String[] splitReference(String ref) {
        int at = ref.indexOf('@');
        if (at >= 0) return new String[] {ref.substring(0, at), ref.substring(at + 1)};
        int colon = ref.lastIndexOf(':');
        int slash = ref.lastIndexOf('/');
        if (colon > slash) return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
        return new String[] {ref, "latest"};
    }

    @Override
    public ImageInfo inspect(String reference) {
        return InfoJson.image(api.get("/images/" + seg(reference) + "/json", null, "inspect image " + reference));
    }

    @Override
    public List<ImageInfo> list(List<String> labelFilters) {
        JsonNode r = api.get("/images/json", query("filters",
                labelFilters.isEmpty() ? null : SpecJson.filters(Map.of("label", labelFilters))), "list images");
        List<ImageInfo> out = new ArrayList<>();
        r.forEach(n -> out.add(InfoJson.image(n)));
        out.sort(Comparator.comparing(ImageInfo::id));
        return out;
    }

    @Override
    public void remove(String reference, boolean force) {
        api.delete("/images/" + seg(reference), query("force", force), "remove image " + reference);
    }

    @Override
    public void tag(String source, String target) {
        String[] nameTag = splitReference(target);
        api.post("/images/" + seg(source) + "/tag", query("repo", nameTag[0], "tag", nameTag[1]), null,
                "tag image " + source + " as " + target);
    }
}
