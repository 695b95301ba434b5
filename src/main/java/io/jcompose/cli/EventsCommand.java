package io.jcompose.cli;

import io.jcompose.reconcile.Labels;
import io.jcompose.runtime.Event;
import io.jcompose.runtime.EventFilter;
import io.jcompose.runtime.Feed;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jcompose events}: the engine's container events for the project, until interrupted. Text lines as docker
 * compose prints them ({@code 2024-01-01 10:00:00.000000 container start <id> (image=…, name=…)}) or, with
 * {@code --json}, one object per line: {@code {"time":…,"type":"container","action":"start","id":…,"service":…,"attributes":{…}}}.
 */
@Command(name = "events", description = "Receive real time events from containers")
final class EventsCommand implements Callable<Integer> {
    @ParentCommand
    JcomposeCommand root;

    @Option(names = "--json", description = "Output events as a stream of json objects")
    boolean json;
    @Option(names = "--since", paramLabel = "TIME", hidden = true, description = "Show all events created since timestamp (RFC 3339 or seconds)")
    String since;
    @Option(names = "--until", paramLabel = "TIME", hidden = true, description = "Stream events until this timestamp")
    String until;
    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(java.time.ZoneOffset.UTC);

    @Override
    public Integer call() throws Exception {
        return Verbs.withProject(root, services, (p, engine) -> {
            ServiceContainers.checkServices(p, services);
            EventFilter filter = new EventFilter(Times.parse(since, "--since"), Times.parse(until, "--until"),
                    Map.of("type", List.of("container"), "label", List.of(Labels.projectFilter(p.name()))));
            var out = root.context().out();
            try (Feed<Event> feed = engine.runtime.events().stream(filter)) {
                while (feed.hasNext()) {
                    Event e = feed.next();
                    String service = e.attributes().getOrDefault(Labels.SERVICE, "");
                    if (!services.isEmpty() && !services.contains(service)) continue;
                    out.println(json ? json(e, service) : text(e));
                }
            }
            return ExitCodes.OK;
        });
    }

    static String json(Event e, String service) {
        StringBuilder a = new StringBuilder("{");
        e.attributes().forEach((k, v) -> a.append(a.length() > 1 ? "," : "").append(ProgressPrinter.q(k)).append(':').append(ProgressPrinter.q(v)));
        a.append('}');
        return "{\"time\":" + ProgressPrinter.q(e.time() == null ? "" : e.time().toString()) + ",\"type\":" + ProgressPrinter.q(e.type())
                + ",\"action\":" + ProgressPrinter.q(e.action()) + ",\"id\":" + ProgressPrinter.q(e.actorId())
                + ",\"service\":" + ProgressPrinter.q(service) + ",\"attributes\":" + a + "}";
    }

    static String text(Event e) {
        List<String> attrs = new ArrayList<>();
        e.attributes().forEach((k, v) -> attrs.add(k + "=" + v));
        return (e.time() == null ? "" : TEXT_TIME.format(e.time()) + " ") + e.type() + " " + e.action() + " " + e.actorId()
                + (attrs.isEmpty() ? "" : " (" + String.join(", ", attrs) + ")");
    }
}
