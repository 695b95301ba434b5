package io.jcompose.project;

/** No Compose file was found, or a named one does not exist (docker compose's exit 14). */
public final class ComposeFileNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ComposeFileNotFoundException(String message) {
        super(message);
    }
}
