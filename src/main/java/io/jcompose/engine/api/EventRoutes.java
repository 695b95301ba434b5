package io.jcompose.engine.api;

import io.jcompose.engine.container.EventBus;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code GET /events}: Docker's event stream with since/until and type/container/event/label/image filters. */
public final class EventRoutes {
    private EventRoutes() {}

    public static void register(Routes routes, EventBus bus) {
        routes.get("/events", (req, res) -> stream(bus, req, res));
    }

    private static long time(Request req, String name, long dflt) {
        String v = req.queryParam(name).orElse("");
        if (v.isEmpty()) return dflt;
        try {
            return (long) (Double.parseDouble(v) * 1_000_000_000L);
        } catch (NumberFormatException e) {
            try {
                Instant i = Instant.parse(v);
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            } catch (RuntimeException x) {
                throw ApiException.invalid("invalid value for " + name + ": " + v);
            }
        }
    }

    static boolean matches(Filters f, EventBus.Event e) {
        if (!f.get("type").isEmpty() && !f.get("type").contains(e.type())) return false;
        if (!f.get("event").isEmpty() && f.get("event").stream().noneMatch(a -> e.action().equals(a) || e.action().startsWith(a + ":"))) return false;
        List<String> c = f.get("container");
        if (!c.isEmpty() && c.stream().noneMatch(x -> e.id().startsWith(x) || x.equals(e.attributes().get("name")))) return false;
        if (!f.get("image").isEmpty() && !f.get("image").contains(e.attributes().get("image"))) return false;
        return f.matchesLabels(e.attributes());
    }

    static Map<String, Object> body(EventBus.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", e.action());
        m.put("id", e.id());
        if (e.attributes().containsKey("image")) m.put("from", e.attributes().get("image"));
        m.put("Type", e.type());
        m.put("Action", e.action());
        m.put("Actor", Map.of("ID", e.id(), "Attributes", e.attributes()));
        m.put("scope", "local");
        m.put("time", e.timeNano() / 1_000_000_000L);
        m.put("timeNano", e.timeNano());
        return m;
    }

    private static void stream(EventBus bus, Request req, Response res) throws IOException {
        Filters f = Filters.of(req);
        long since = time(req, "since", Long.MAX_VALUE);
        long until = time(req, "until", 0);
        JsonStream out = JsonStream.start(res);
        IOException[] failed = new IOException[1];
        BlockingQueue<EventBus.Event> q = bus.subscribe(since, past -> {
            for (EventBus.Event e : past) {
                if ((until == 0 || e.timeNano() <= until) && matches(f, e) && failed[0] == null) {
                    try {
                        out.send(body(e));
                    } catch (IOException x) {
                        failed[0] = x;
                    }
                }
            }
        });
        try {
            if (failed[0] != null) return;
            while (true) {
                long now = Instant.now().getEpochSecond() * 1_000_000_000L + Instant.now().getNano();
                if (until > 0 && now > until) return;
                EventBus.Event e = q.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) continue;
                if (until > 0 && e.timeNano() > until) return;
                if (matches(f, e)) out.send(body(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            bus.unsubscribe(q);
        }
    }
}
