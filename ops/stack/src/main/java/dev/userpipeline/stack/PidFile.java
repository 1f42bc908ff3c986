package dev.userpipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the launcher remembers of a process it started: its pid and when it started. The start tells a live
 * service from an unrelated process that was given the same pid later.
 *
 * <p>Where the kernel says it (Linux), the start is the process's start in clock ticks since boot, with the
 * boot's id: both are fixed for the life of the process. The start as a wall-clock instant, which is all that
 * {@link ProcessHandle.Info#startInstant()} gives elsewhere, is derived from the boot time, and that moves
 * whenever the wall clock is stepped: on the virtual machines this project runs on, it moved by 9 s within a
 * quarter of an hour, and every service then looked like a stranger whose pid file was stale.
 */
public record PidFile(long pid, long startMillis, long startTicks, String bootId) {

    /** Start instants are rounded to clock ticks and to the boot time's second; two readings agree to this. */
    private static final long START_TOLERANCE_MILLIS = 1_000;
    private static final long UNKNOWN = -1;

    public static PidFile of(ProcessHandle process) {
        long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new PidFile(process.pid(), start, ticksSinceBoot(process.pid()).orElse(UNKNOWN), currentBootId().orElse(""));
    }

    public static Optional<PidFile> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            long pid = Long.parseLong(lines.get(0).trim());
            long startMillis = Long.parseLong(lines.get(1).trim());
            // Files written before the start in ticks was kept have two lines.
            long ticks = lines.size() > 3 ? Long.parseLong(lines.get(2).trim()) : UNKNOWN;
            String boot = lines.size() > 3 ? lines.get(3).trim() : "";
            return Optional.of(new PidFile(pid, startMillis, ticks, boot));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void write(Path file) throws IOException {
        dev.userpipeline.config.OwnerOnlyFiles.write(file, pid + "\n" + startMillis + "\n" + startTicks + "\n" + bootId + "\n");
    }

    /** The process, if it is still alive and is the one that was recorded. */
    public Optional<ProcessHandle> live() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isTheRecordedOne);
    }

    private boolean isTheRecordedOne(ProcessHandle handle) {
        OptionalLong ticks = ticksSinceBoot(handle.pid());
        Optional<String> boot = currentBootId();
        if (startTicks != UNKNOWN && ticks.isPresent() && !bootId.isEmpty() && boot.isPresent()) {
            return ticks.getAsLong() == startTicks && boot.get().equals(bootId);
        }
        long start = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return startMillis == 0 || start == 0 || Math.abs(start - startMillis) <= START_TOLERANCE_MILLIS;
    }

    /** Field 22 of {@code /proc/PID/stat}: when the process started, in clock ticks since boot. */
    static OptionalLong ticksSinceBoot(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return OptionalLong.of(Long.parseLong(after[22 - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static Optional<String> currentBootId() {
        try {
            return Optional.of(Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
