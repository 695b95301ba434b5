package io.jcompose.runtime;

import java.util.List;

/** The processes running in a container, as {@code ps} shows them: column titles, then one row per process. */
public record ProcessList(List<String> titles, List<List<String>> processes) {
    public ProcessList {
        titles = List.copyOf(titles);
        processes = processes.stream().map(List::copyOf).toList();
    }
}
