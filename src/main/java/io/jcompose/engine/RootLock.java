package io.jcompose.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One engine per state root: an exclusive lock on {@code <root>/engine.lock}, holding the owner's pid for the
 * error message. The kernel drops the lock when the process dies, so a crash never leaves a stale lock.
 */
final class RootLock implements AutoCloseable {
    static final String FILE = "engine.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private RootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static RootLock acquire(Path root) throws IOException {
        Path f = root.resolve(FILE);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM (an in-process test starting a second engine)
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String pid = ownerPid(ch);
            ch.close();
            throw new EngineException("another engine is running for " + root + (pid.isEmpty() ? "" : " (pid " + pid + ")")
                    + "; stop it first or use another --root");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new RootLock(ch, lock);
    }

    private static String ownerPid(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            ch.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The pid recorded in the lock file of {@code root} (whether or not it is still alive). */
    static String recordedPid(Path root) {
        try {
            return Files.readString(root.resolve(FILE)).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
