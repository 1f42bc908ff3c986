package dev.userpipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** Resident memory and CPU time of a process and its descendants (PostgreSQL runs one process per connection). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    public static long residentBytes(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants()).mapToLong(ProcessMemory::vmRss).sum();
    }

    public static Duration cpu(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants())
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static long vmRss(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Gone, or not Linux.
        }
        return 0;
    }
}
