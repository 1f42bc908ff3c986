package dev.userpipeline.clients;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end so that large logs cost nothing. */
public final class LogTail {

    private LogTail() {
    }

    public static List<String> lastLines(Path file, int lines) {
        if (!Files.isRegularFile(file) || lines <= 0) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int chunk = 64 * 1024;
            long start = length;
            byte[] data = new byte[0];
            while (start > 0 && count(data) <= lines) {
                long from = Math.max(0, start - chunk);
                byte[] piece = new byte[(int) (start - from)];
                raf.seek(from);
                raf.readFully(piece);
                byte[] joined = new byte[piece.length + data.length];
                System.arraycopy(piece, 0, joined, 0, piece.length);
                System.arraycopy(data, 0, joined, piece.length, data.length);
                data = joined;
                start = from;
            }
            List<String> all = new ArrayList<>(Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\n", -1)));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all.remove(all.size() - 1);
            }
            if (start > 0 && !all.isEmpty()) {
                all.remove(0); // a partial first line
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    /** How far back {@link #firstError} looks: a start's first error is near its beginning, not megabytes off. */
    private static final int ERROR_WINDOW_LINES = 5_000;
    private static final java.util.regex.Pattern ERROR = java.util.regex.Pattern.compile(
            "\\b(ERROR|FATAL|SEVERE)\\b|Exception\\b|^Error\\b|^Caused by:");

    /**
     * The first error logged since the last line that starts with {@code since} (the start's own marker line),
     * with the lines that follow it up to {@code lines} (its stack trace), or nothing when there is none. A
     * process that fails logs its cause once and then, shutting down, many lines of no interest, so the last lines
     * alone often miss the cause.
     */
    public static List<String> firstError(Path file, String since, int lines) {
        List<String> recent = lastLines(file, ERROR_WINDOW_LINES);
        int from = 0;
        for (int i = recent.size() - 1; i >= 0; i--) {
            if (recent.get(i).startsWith(since)) {
                from = i + 1;
                break;
            }
        }
        for (int i = from; i < recent.size(); i++) {
            if (ERROR.matcher(recent.get(i)).find()) {
                return List.copyOf(recent.subList(i, Math.min(recent.size(), i + lines)));
            }
        }
        return List.of();
    }

    private static int count(byte[] data) {
        int n = 0;
        for (byte b : data) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
