package io.jcompose.project;

/**
 * A service named on the command line that the project does not define. Not a fault of the Compose file: docker
 * compose reports it ({@code no such service: NAME}) with the generic failure exit code 1, not 15.
 */
public final class NoSuchServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoSuchServiceException(String message) {
        super(message);
    }
}
