package dev.userpipeline.cli;

import dev.userpipeline.stack.ServiceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The summary table of the stack, as {@code status} and {@code up} print it. */
final class StatusTable {

    private static final String[] HEADER = {"SERVICE", "STATE", "PID", "ADDRESS", "VERSION / DETAIL", "UPTIME", "MEMORY", "CPU", "RESTARTS"};

    private StatusTable() {
    }

    static List<String> render(List<ServiceStatus> statuses) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ServiceStatus s : statuses) {
            boolean running = s.pid().isPresent();
            rows.add(new String[] {
                s.name(),
                s.state().name().toLowerCase(Locale.ROOT),
                running ? Long.toString(s.pid().getAsLong()) : "-",
                s.address(),
                shorten(s.detail(), 140),
                running ? duration(s.uptime()) : "-",
                running ? megabytes(s.residentBytes()) : "-",
                running ? String.format(Locale.ROOT, "%.1fs", s.cpu().toMillis() / 1000.0) : "-",
                restarts(s),
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** How often the supervisor started it again, and whether it gave up on it. */
    static String restarts(ServiceStatus s) {
        int count = s.restarts().count();
        if (s.restarts().givenUp()) {
            return count + ", gave up";
        }
        return count == 0 ? "-" : Integer.toString(count);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%d MiB", bytes / (1024 * 1024));
    }

    private static String shorten(String text, int max) {
        String oneLine = text == null ? "" : text.replace('\n', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
