package io.jcompose.runtime.docker;

import static io.jcompose.runtime.docker.DockerApi.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.jcompose.runtime.Event;
import io.jcompose.runtime.EventFilter;
import io.jcompose.runtime.Events;
import io.jcompose.runtime.Feed;
import java.io.IOException;
import java.time.Instant;

final class DockerEvents implements Events {
    private final DockerApi api;

    DockerEvents(DockerApi api) {
        this.api = api;
    }

    @Override
    public Feed<Event> stream(EventFilter f) {
        String target = api.path("/events", query("since", seconds(f.since()), "until", seconds(f.until()),
                "filters", f.filters().isEmpty() ? null : SpecJson.filters(f.filters())));
        HttpResponse r = api.stream(HttpRequest.of("GET", target), "events");
        // A Reader, not the byte stream: Jackson reads bytes eagerly to detect the encoding, which would block
        // here until the first event arrives.
        JsonParser p;
        try {
            p = api.json.getFactory().createParser(
                    new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            r.close();
            throw api.unreachable(e);
        }
        return new StreamFeed<>(r, () -> {
            JsonNode n = api.json.readTree(p);
            return n == null ? null : InfoJson.event(n);
        }, "events");
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }
}
