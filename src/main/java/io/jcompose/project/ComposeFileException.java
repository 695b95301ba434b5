package io.jcompose.project;

/**
 * A user's mistake in a Compose file (or its environment), located. The message reads
 * {@code file:line:col: spec.path: problem (hint)}; no stack trace is ever shown for it.
 */
public final class ComposeFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Location location;
    private final String specPath;
    private final String problem;

    public ComposeFileException(Location location, String specPath, String problem) {
        this(location, specPath, problem, null);
    }

    public ComposeFileException(Location location, String specPath, String problem, Throwable cause) {
        super(format(location, specPath, problem), cause);
        this.location = location;
        this.specPath = specPath;
        this.problem = problem;
    }

    static String format(Location location, String specPath, String problem) {
        StringBuilder sb = new StringBuilder();
        if (location != null && location != Location.NONE && !location.file().isEmpty()) sb.append(location).append(": ");
        if (specPath != null && !specPath.isEmpty()) sb.append(specPath).append(": ");
        return sb.append(problem).toString();
    }

    public Location location() {
        return location;
    }

    public String specPath() {
        return specPath;
    }

    public String problem() {
        return problem;
    }
}
