package io.jcompose.cli;

/**
 * Every exit code jcompose returns, in one place. The failure categories and their numbers are docker compose's
 * (its {@code FailureCategory} table), so CI scripts written for docker compose read ours the same way.
 */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** Any other failure (an engine error, a failed dependency, a failed container). */
    public static final int FAILURE = 1;
    public static final int FILE_NOT_FOUND = 14;
    public static final int COMPOSE_PARSE = 15;
    public static final int COMMAND_SYNTAX = 16;
    public static final int BUILD = 17;
    public static final int PULL = 18;
    /** Interrupted by the user (Ctrl-C), as 128 + SIGINT. */
    public static final int CANCELLED = 130;
}
