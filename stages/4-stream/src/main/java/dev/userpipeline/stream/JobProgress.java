package dev.userpipeline.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What the job's progress file ({@link ProgressFile} writes it) says, read from outside the job: whether the
 * process that wrote it runs every query, and each query's latest progress. The stack's health check,
 * {@code pipeline status} and the benchmarks read the job this way, without reaching into it.
 */
public final class JobProgress {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobProgress() {
    }

    /** Spark reports progress at least every 10 s while a query runs, even with no data. */
    static final Duration STALE = Duration.ofSeconds(120);

    /** This machine's (or container's) host name, which the progress file records beside the driver's pid. */
    static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Where a stack with work directory {@code home} has its job write the file. */
    public static Path file(Path home) {
        return home.resolve("stream/progress.json");
    }

    /**
     * One line on a job whose every query is active, e.g. {@code batch 12, in 950/s, processed 3,100/s, ...}.
     *
     * @throws IllegalStateException when the job has not started its queries, the file is from a process that
     *     is gone, or a query is not active (with the first line of its error)
     */
    public static String health(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the job has not started its queries yet");
        }
        JsonNode progress = JSON.readTree(file.toFile());
        long pid = progress.path("pid").asLong();
        String host = progress.path("host").asText(localHost());
        if (host.equals(localHost())) {
            if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                throw new IllegalStateException("the progress file is from an earlier run (pid " + pid + ")");
            }
        } else {
            // Written by a driver on another host (its container): no process to look at, only how fresh it is.
            Instant updated = Instant.parse(progress.path("updated_at").asText(Instant.EPOCH.toString()));
            Duration age = Duration.between(updated, Instant.now());
            if (age.compareTo(STALE) > 0) {
                throw new IllegalStateException("the job on " + host + " last reported " + age.toSeconds()
                        + " s ago; is its driver running?");
            }
        }
        for (String name : StreamContract.QUERIES) {
            JsonNode query = progress.path("queries").path(name);
            String state = query.path("state").asText("not started");
            if (!state.equals("active")) {
                throw new IllegalStateException("query " + name + " is " + state
                        + (query.has("error") ? ": " + firstLine(query.path("error").asText()) : ""));
            }
        }
        return describe(progress.path("queries").path(StreamContract.CREATED_USERS).path("progress"));
    }

    /** Rates, last batch and committed offsets of a query's progress. */
    public static String describe(JsonNode progress) {
        if (progress.isMissingNode()) {
            return "no batch yet";
        }
        return String.format(Locale.ROOT, "batch %d, in %,.0f/s, processed %,.0f/s, last batch %,d ms, offsets %,d",
                progress.path("batchId").asLong(),
                progress.path("inputRowsPerSecond").asDouble(),
                progress.path("processedRowsPerSecond").asDouble(),
                progress.path("durationMs").path("triggerExecution").asLong(),
                committedOffsets(progress));
    }

    /** The latest progress of one query, if the job has reported one. */
    public static Optional<JsonNode> latest(Path home, String query) {
        try {
            if (!Files.isRegularFile(file(home))) {
                return Optional.empty();
            }
            JsonNode progress = JSON.readTree(file(home).toFile()).path("queries").path(query).path("progress");
            return progress.isMissingNode() ? Optional.empty() : Optional.of(progress);
        } catch (IOException e) {
            // Read while being replaced: the next look sees the new file.
            return Optional.empty();
        }
    }

    /** Kafka offsets the query has processed and committed: the sum over its sources' partitions. */
    public static long committedOffsets(JsonNode progress) {
        long offsets = 0;
        for (JsonNode source : progress.path("sources")) {
            for (JsonNode partitions : source.path("endOffset")) {
                for (JsonNode offset : partitions) {
                    offsets += offset.asLong();
                }
            }
        }
        return offsets;
    }

    private static String firstLine(String text) {
        return text.contains("\n") ? text.substring(0, text.indexOf('\n')) : text;
    }
}
