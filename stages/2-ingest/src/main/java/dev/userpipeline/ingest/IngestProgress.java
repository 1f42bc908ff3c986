package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserPage;
import java.time.Duration;

/**
 * Running totals of an ingestion, reported after every landed batch: what was fetched and landed, pages an
 * earlier run had landed already (skipped, with their users), and pages that held fewer users than asked.
 */
public record IngestProgress(long target, long fetched, long inserted, long duplicates, long quarantined,
        long batches, Duration elapsed, long skippedPages, long skippedUsers, long shortPages, long missing) {

    public static IngestProgress start(long target) {
        return new IngestProgress(target, 0, 0, 0, 0, 0, Duration.ZERO, 0, 0, 0, 0);
    }

    IngestProgress plus(RandomUserPage page, BatchSink.BatchResult result, Duration at) {
        return new IngestProgress(target, fetched + page.size(), inserted + result.inserted(), duplicates + result.duplicates(),
                quarantined + result.quarantined(), batches + 1, at, skippedPages, skippedUsers,
                shortPages + (page.missing() > 0 ? 1 : 0), missing + page.missing());
    }

    IngestProgress skipped(long pages, long users) {
        return new IngestProgress(target, fetched, inserted, duplicates, quarantined, batches, elapsed, skippedPages + pages,
                skippedUsers + users, shortPages, missing);
    }

    /** Users accounted for: fetched now, or landed by an earlier run of the same pages. */
    public long done() {
        return fetched + skippedUsers;
    }

    public double usersPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : fetched / seconds;
    }

    /** The closing line: fetched, inserted, duplicates, quarantined, seconds, users/s, and what was skipped or short. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "fetched %d, inserted %d, duplicates %d, quarantined %d, %.1f s, %.0f users/s",
                fetched, inserted, duplicates, quarantined, elapsed.toNanos() / 1e9, usersPerSecond())
                + (skippedPages > 0 ? String.format(java.util.Locale.ROOT, "; skipped %d pages (%d users) an earlier run landed",
                        skippedPages, skippedUsers) : "")
                + (shortPages > 0 ? String.format(java.util.Locale.ROOT, "; %d pages held fewer users than asked, %d users short",
                        shortPages, missing) : "");
    }

    /** One JSON line, for machines (Airflow's XCom, benchmarks). */
    public String json(String batchId, String source) {
        return String.format(java.util.Locale.ROOT, "{\"batch_id\":\"%s\",\"source\":\"%s\",\"fetched\":%d,\"inserted\":%d,"
                + "\"duplicates\":%d,\"quarantined\":%d,\"seconds\":%.3f,\"users_per_second\":%.1f,\"skipped_pages\":%d,"
                + "\"skipped_users\":%d,\"short_pages\":%d,\"missing\":%d}",
                batchId.replace("\"", "\\\""), source.replace("\"", "\\\""), fetched, inserted, duplicates, quarantined,
                elapsed.toNanos() / 1e9, usersPerSecond(), skippedPages, skippedUsers, shortPages, missing);
    }
}
