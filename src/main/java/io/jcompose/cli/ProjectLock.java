package io.jcompose.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Function;

/**
 * A per-project lock so two {@code up}/{@code down} on one project never interleave. It is an exclusive
 * {@code flock}-style file lock on {@code $XDG_CACHE_HOME/jcompose/locks/<project>.lock} (default
 * {@code ~/.cache/jcompose/locks/}): per user, so it needs no root, and the kernel releases it when the process dies,
 * so a crashed jcompose never leaves a stale lock. The file holds the owner's pid, for the waiting message. The
 * second command prints {@code waiting for another jcompose on project demo (pid 1234) …} once and waits up to the
 * timeout ({@code JCOMPOSE_LOCK_TIMEOUT} seconds, default 300), then fails with exit 1.
 */
final class ProjectLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ProjectLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path directory(Function<String, String> env) {
        String cache = env.apply("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jcompose").resolve("locks");
    }

    static Duration timeout(Function<String, String> env) {
        String t = env.apply("JCOMPOSE_LOCK_TIMEOUT");
        try {
            return t == null || t.isEmpty() ? Duration.ofMinutes(5) : Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.COMMAND_SYNTAX, "JCOMPOSE_LOCK_TIMEOUT must be a number of seconds, got \"" + t + "\"");
        }
    }

    static ProjectLock acquire(Path dir, String project, Duration timeout, PrintStream err) {
        Path file = dir.resolve(project + ".lock");
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean said = false;
            while (true) {
                FileLock l = null;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    // Held by this very JVM (tests running two commands): wait like any other holder.
                }
                if (l != null) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
                    return new ProjectLock(ch, l);
                }
                String owner = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!said) {
                    err.println("waiting for another jcompose on project " + project + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                            + " to finish (lock " + file + ")");
                    said = true;
                }
                if (System.nanoTime() > deadline) {
                    ch.close();
                    throw new CliException(ExitCodes.FAILURE, "project " + project + " is still locked by another jcompose"
                            + (owner.isEmpty() ? "" : " (pid " + owner + ")") + " after " + timeout.toSeconds()
                            + "s; try again when it has finished (lock " + file + ")");
                }
                try {
                    Thread.sleep(100); // polling a lock: there is no event to wait for
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ch.close();
                    throw new CliException(ExitCodes.CANCELLED, "cancelled while waiting for the lock on project " + project);
                }
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "cannot lock project " + project + " at " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing releases the lock anyway; nothing to tell the user.
        }
    }
}
