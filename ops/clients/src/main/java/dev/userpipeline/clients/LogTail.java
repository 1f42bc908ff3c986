package dev.userpipeline.clients;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end in bounded memory, so that large logs cost nothing. */
public final class LogTail {

    private LogTail() {
    }

    /** Most bytes read from a log's end for one tail: a log of one endless line costs this much, not its size. */
    static final int MAX_BYTES = 4 << 20;
    /** Longest line returned whole; a longer one keeps its end, after a note of how much was cut. */
    static final int MAX_LINE_CHARS = 16 * 1024;
    private static final int CHUNK = 64 * 1024;

    public static List<String> lastLines(Path file, int lines) {
        return lastLines(file, lines, MAX_BYTES);
    }

    /**
     * The last {@code lines} lines, reading chunks backwards from the end until enough line breaks or
     * {@code maxBytes} were read: time and memory follow what is returned, never the size of the file.
     */
    static List<String> lastLines(Path file, int lines, int maxBytes) {
        if (!Files.isRegularFile(file) || lines <= 0) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = length;
            java.util.ArrayDeque<byte[]> chunks = new java.util.ArrayDeque<>();
            int read = 0;
            int breaks = 0;
            // One break more than lines: the line before the first one returned must end within what is read.
            while (start > 0 && breaks <= lines && read < maxBytes) {
                int size = (int) Math.min(CHUNK, Math.min(start, maxBytes - read));
                byte[] piece = new byte[size];
                start -= size;
                raf.seek(start);
                raf.readFully(piece);
                chunks.addFirst(piece);
                read += size;
                breaks += count(piece);
            }
            byte[] data = new byte[read];
            int at = 0;
            for (byte[] piece : chunks) {
                System.arraycopy(piece, 0, data, at, piece.length);
                at += piece.length;
            }
            List<String> all = new ArrayList<>(Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\n", -1)));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all.remove(all.size() - 1);
            }
            if (start > 0 && !all.isEmpty()) {
                if (all.size() > 1) {
                    all.remove(0); // a partial first line
                } else {
                    all.set(0, "[… the first " + start + " bytes of this line are not shown] " + all.get(0));
                }
            }
            List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
            return tail.stream().map(LogTail::shortened).toList();
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    private static String shortened(String line) {
        if (line.length() <= MAX_LINE_CHARS) {
            return line;
        }
        return "[… " + (line.length() - MAX_LINE_CHARS) + " characters cut] " + line.substring(line.length() - MAX_LINE_CHARS);
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
