package dev.userpipeline.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @Test
    void returnsTheLastLinesOfALargeFile(@TempDir Path dir) throws Exception {
        String text = IntStream.rangeClosed(1, 50_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        Path log = Files.writeString(dir.resolve("big.log"), text);
        assertThat(LogTail.lastLines(log, 3)).containsExactly("line 49998", "line 49999", "line 50000");
    }

    @Test
    void returnsEverythingWhenTheFileIsShort(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("short.log"), "one\ntwo");
        assertThat(LogTail.lastLines(log, 10)).containsExactly("one", "two");
    }

    @Test
    void keepsNonLatinTextIntact(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("names.log"), "Зоран Јовановић\nمحمد رضایی\n");
        assertThat(LogTail.lastLines(log, 2)).containsExactly("Зоран Јовановић", "محمد رضایی");
    }

    @Test
    void findsTheFirstErrorOfTheLatestStartNotOneOfAnEarlierStart(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("cassandra.log"), String.join("\n",
                "---- 2026-12-03T10:00:00Z starting cassandra: java ...",
                "ERROR [main] an error of the earlier start",
                "---- 2026-12-03T10:18:40Z starting cassandra: java ...",
                "INFO  [main] Initializing system keyspaces",
                "ERROR [main] Exception encountered during startup",
                "java.lang.IllegalStateException: Failed to bind port 29042 on 127.0.0.1",
                "\tat org.apache.cassandra.transport.Server.start(Server.java:129)",
                "INFO  [StorageServiceShutdownHook] Flushing Memtable-columns",
                "INFO  [StorageServiceShutdownHook] Flushing Memtable-tables") + "\n");

        assertThat(LogTail.firstError(log, "---- ", 3)).containsExactly(
                "ERROR [main] Exception encountered during startup",
                "java.lang.IllegalStateException: Failed to bind port 29042 on 127.0.0.1",
                "\tat org.apache.cassandra.transport.Server.start(Server.java:129)");
    }

    @Test
    void aStartWithoutErrorsHasNoFirstError(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("kafka.log"), "ERROR old\n---- starting kafka\nINFO all well\n");
        assertThat(LogTail.firstError(log, "---- ", 5)).isEmpty();
    }

    @Test
    void aMissingFileHasNoLines(@TempDir Path dir) {
        assertThat(LogTail.lastLines(dir.resolve("absent.log"), 5)).isEmpty();
    }

    @Test
    void aHundredMegabyteLogWithoutNewlinesIsTailedInBoundedMemory(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("one-line.log");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(log.toFile(), "rw")) {
            // 100 MB of one line (sparse: no disk spent), ending in text of its own.
            file.setLength(100L << 20);
            file.seek(100L << 20);
            file.write("the end of the line".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        java.util.List<String> lines = LogTail.lastLines(log, 200);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("[… ").endsWith("the end of the line");
        assertThat(lines.get(0).length()).isLessThan(LogTail.MAX_LINE_CHARS + 100);
        // What one tail may read is bounded (4 MiB), and so are its copies: far from the file's 100 MB.
        assertThat(allocated).as("bytes allocated by one tail").isLessThan(64L << 20);
    }

    @Test
    void aLongLineAmongShortOnesKeepsItsEndAndSaysWhatWasCut(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("mixed.log"), "first\n" + "x".repeat(100_000) + "END\nlast\n");
        java.util.List<String> lines = LogTail.lastLines(log, 3);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("first");
        assertThat(lines.get(1)).startsWith("[… " + (100_003 - LogTail.MAX_LINE_CHARS) + " characters cut] ").endsWith("xEND");
        assertThat(lines.get(2)).isEqualTo("last");
    }
}
