package dev.userpipeline.ingest;

import java.time.Duration;

/** Running totals of an ingestion, reported after every landed batch. */
public record IngestProgress(long target, long fetched, long inserted, long duplicates, long quarantined,
        long batches, Duration elapsed) {

    public static IngestProgress start(long target) {
        return new IngestProgress(target, 0, 0, 0, 0, 0, Duration.ZERO);
    }

    IngestProgress plus(int fetchedNow, BatchSink.BatchResult result, Duration at) {
        return new IngestProgress(target, fetched + fetchedNow, inserted + result.inserted(), duplicates + result.duplicates(),
                quarantined + result.quarantined(), batches + 1, at);
    }

    public double usersPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : fetched / seconds;
    }

    /** The closing line: fetched, inserted, duplicates, quarantined, seconds, users/s. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "fetched %d, inserted %d, duplicates %d, quarantined %d, %.1f s, %.0f users/s",
                fetched, inserted, duplicates, quarantined, elapsed.toNanos() / 1e9, usersPerSecond());
    }

    /** One JSON line, for machines (Airflow's XCom, benchmarks). */
    public String json(String batchId, String source) {
        return String.format(java.util.Locale.ROOT, "{\"batch_id\":\"%s\",\"source\":\"%s\",\"fetched\":%d,\"inserted\":%d,"
                + "\"duplicates\":%d,\"quarantined\":%d,\"seconds\":%.3f,\"users_per_second\":%.1f}",
                batchId.replace("\"", "\\\""), source.replace("\"", "\\\""), fetched, inserted, duplicates, quarantined,
                elapsed.toNanos() / 1e9, usersPerSecond());
    }
}
