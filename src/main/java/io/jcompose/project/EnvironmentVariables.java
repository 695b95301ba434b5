package io.jcompose.project;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A process environment that can also list its names ({@code config --environment} prints them all). Anything that
 * is only a {@code Function} still works for lookups; it just cannot be listed.
 */
public interface EnvironmentVariables extends Function<String, String> {
    Set<String> names();

    static EnvironmentVariables of(Map<String, String> env) {
        Map<String, String> copy = new TreeMap<>(env);
        return new EnvironmentVariables() {
            @Override
            public String apply(String name) {
                return copy.get(name);
            }

            @Override
            public Set<String> names() {
                return copy.keySet();
            }
        };
    }

    static Set<String> namesOf(Function<String, String> env) {
        return env instanceof EnvironmentVariables ev ? ev.names() : Set.of();
    }
}
