package io.jcompose.engine.container;

/**
 * json-file's {@code max-size} and {@code max-file} as the engine applies them to conmon's log.
 *
 * @param maxSize  bytes of the current file before it is rotated (or truncated with one file); -1: unbounded
 * @param maxFiles files kept, the current one included (Docker's default 1; 1 when there is no max-size)
 */
record LogRotation(long maxSize, int maxFiles) {
    LogRotation {
        if (maxFiles < 1) throw ContainerException.invalid("max-file cannot be less than 1");
        if (maxSize <= 0) maxFiles = 1; // nothing to rotate without a size (Docker ignores max-file then)
    }

    /** From a LogConfig; INVALID for sizes or counts Docker would refuse too. */
    static LogRotation of(ContainerSpec.LogConfig c) {
        long size = ContainerService.parseSize(c.config().getOrDefault("max-size", ""));
        String files = c.config().getOrDefault("max-file", "").trim();
        int n;
        try {
            n = files.isEmpty() ? 1 : Integer.parseInt(files);
        } catch (NumberFormatException e) {
            throw ContainerException.invalid("invalid log max-file '" + files + "'");
        }
        return new LogRotation(size, n);
    }
}
