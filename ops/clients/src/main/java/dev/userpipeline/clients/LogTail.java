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
