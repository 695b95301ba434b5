package io.jcompose.engine.container;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The engine's events (Docker's {@code /events}): kept in memory, the last {@value #KEEP} for {@code since}, and
 * delivered to every subscriber as they happen. Subscribers get their own queue, so a slow client never blocks a
 * container's lifecycle.
 */
public final class EventBus {
    static final int KEEP = 1024;

    /** One event. {@code timeNano}: nanoseconds since the epoch. */
    public record Event(String type, String action, String id, SortedMap<String, String> attributes, long timeNano) {
        public Event {
            attributes = new TreeMap<>(attributes);
        }
    }

    private final Deque<Event> recent = new ArrayDeque<>();
    private final List<BlockingQueue<Event>> subscribers = new CopyOnWriteArrayList<>();
    private long lastNano;

    public void publish(String type, String action, String id, SortedMap<String, String> attributes) {
        Event e;
        synchronized (this) {
            java.time.Instant now = java.time.Instant.now();
            long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            // Strictly increasing, so since/until boundaries are exact.
            lastNano = Math.max(t, lastNano + 1);
            e = new Event(type, action, id, attributes, lastNano);
            recent.addLast(e);
            if (recent.size() > KEEP) recent.removeFirst();
        }
        for (BlockingQueue<Event> q : subscribers) q.offer(e);
    }

    /** Events kept from {@code sinceNano} on, then a live queue; close the subscription with {@link #unsubscribe}. */
    public synchronized BlockingQueue<Event> subscribe(long sinceNano, Consumer<List<Event>> past) {
        List<Event> old = new ArrayList<>();
        for (Event e : recent) if (e.timeNano() >= sinceNano) old.add(e);
        past.accept(old);
        BlockingQueue<Event> q = new LinkedBlockingQueue<>();
        subscribers.add(q);
        return q;
    }

    public void unsubscribe(BlockingQueue<Event> q) {
        subscribers.remove(q);
    }
}
