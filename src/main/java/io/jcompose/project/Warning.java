package io.jcompose.project;

/** A located warning (an unsupported key, a deprecated form …); printed as {@code file:line:col: path: message}. */
public record Warning(Location location, String specPath, String message) {
    @Override
    public String toString() {
        return ComposeFileException.format(location, specPath, message);
    }
}
