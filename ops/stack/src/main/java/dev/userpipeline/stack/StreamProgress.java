package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The Spark job's progress file: each query's state and its latest progress, as Spark reports it. */
public final class StreamProgress {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamProgress() {
    }

    /** Where the stack's job writes it. */
    public static Path file(Path home) {
        return home.resolve("stream/progress.json");
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
}
