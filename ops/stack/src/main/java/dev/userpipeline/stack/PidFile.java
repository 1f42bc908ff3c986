package dev.userpipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the launcher remembers of a process it started: its pid and its start time. The start time
 * tells a live service from an unrelated process that was given the same pid later.
 */
public record PidFile(long pid, long startMillis) {

    /** Start times read from /proc are rounded to clock ticks; two readings of one process agree to this. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    public static PidFile of(ProcessHandle process) {
        long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new PidFile(process.pid(), start);
    }

    public static Optional<PidFile> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), Long.parseLong(lines.get(1).trim())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n" + startMillis + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The process, if it is still alive and is the one that was recorded. */
    public Optional<ProcessHandle> live() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> {
            long start = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            return startMillis == 0 || start == 0 || Math.abs(start - startMillis) <= START_TOLERANCE_MILLIS;
        });
    }
}
