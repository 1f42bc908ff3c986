package dev.userpipeline.stack;

import dev.userpipeline.config.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One starter of services at a time per work directory: {@code up} and the supervisor would otherwise both
 * start a service they each found dead, and a second Spark job or Connect worker is worse than none. A lock on
 * {@code run/start.lock} keeps other processes out, an in-process lock other threads of this one (the kernel's
 * file locks belong to a process, not to a thread).
 */
final class StartLock implements AutoCloseable {

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private StartLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code patience} for the lock; empty if another starter still holds it then. */
    static Optional<StartLock> acquire(Path home, Duration patience) throws IOException, InterruptedException {
        Path file = home.resolve("run").resolve("start.lock");
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
        if (!local.tryLock(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        if (local.getHoldCount() > 1) {
            // Held already by this thread (up starting a service inside its own start): nested, nothing more to take.
            return Optional.of(new StartLock(local, null, null));
        }
        FileChannel channel = null;
        try {
            OwnerOnlyFiles.touch(file);
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + patience.toNanos();
            FileLock lock;
            while ((lock = channel.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    channel.close();
                    local.unlock();
                    return Optional.empty();
                }
                Thread.sleep(100);
            }
            return Optional.of(new StartLock(local, channel, lock));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
                channel.close();
            }
        } catch (IOException e) {
            // Closing the channel releases the lock in any case; the process's exit would too.
        } finally {
            local.unlock();
        }
    }
}
