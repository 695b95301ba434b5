package io.jcompose.project;

/**
 * Where a node of a Compose file came from. Printed as {@code file:line:col} (1-based), the prefix of every
 * located error. {@code file} is the path as the user named it (relative paths stay relative), or {@code -} for stdin.
 */
public record Location(String file, int line, int column) {
    /** For nodes made by the loader itself (defaults, canonical expansions) rather than read from a file. */
    public static final Location NONE = new Location("", 0, 0);

    @Override
    public String toString() {
        return this == NONE || file.isEmpty() ? "<generated>" : file + ":" + line + ":" + column;
    }
}
