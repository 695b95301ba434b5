package io.jcompose.project;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code .env} / {@code env_file} syntax exactly as Compose reads it (quotes, escapes, {@code export}, comments,
 * {@code KEY: value}, interpolation of earlier keys and of {@code lookup}).
 */
public final class DotEnv {
    private DotEnv() {}

    /**
     * Parses {@code text}; the result keeps file order. {@code lookup} answers variables not defined earlier in the
     * file (the process environment). A key with no {@code =} takes its value from {@code lookup}, or is absent.
     * Errors are {@link ComposeFileException}s located at {@code file:line}.
     */
    public static Map<String, String> parse(String file, String text, Function<String, Optional<String>> lookup) {
        throw new UnsupportedOperationException("DotEnv: being implemented (loader-input)");
    }
}
