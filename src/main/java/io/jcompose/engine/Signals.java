package io.jcompose.engine;

import java.util.function.Consumer;

/**
 * SIGTERM/SIGINT handling without the JVM's default exit: a shutdown hook alone would make the process exit
 * with 143/130 and run our cleanup concurrently with everything else; a handler lets the engine stop in order
 * and exit 0, as dockerd does.
 */
final class Signals {
    private Signals() {}

    /** Calls {@code onSignal} with "TERM" or "INT" on a signal thread; later signals call it again. */
    // javac warns that sun.misc.Signal is internal; it is the only way to handle a signal in Java 17 (jdk.unsupported).
    static void onTermination(Consumer<String> onSignal) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onSignal.accept(s.getName()));
        }
    }
}
