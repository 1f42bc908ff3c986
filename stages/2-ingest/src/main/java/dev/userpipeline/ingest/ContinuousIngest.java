package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserException;
import dev.userpipeline.source.RandomUserPage;
import dev.userpipeline.source.RandomUserQuery;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Ingests users at a steady rate until stopped: small requests spread evenly over each second
 * (about ten a second at high rates, one user at a time at low ones), pages of one seed in order.
 * A failed fetch is reported and retried later; the users of that page are not skipped.
 */
public final class ContinuousIngest {

    private final RandomUserClient client;
    private final RandomUserQuery template;
    private final double rate;
    private final String batchId;
    private final String source;

    public ContinuousIngest(RandomUserClient client, RandomUserQuery template, double usersPerSecond, String batchId, String source) {
        this.client = client;
        this.template = template;
        this.rate = usersPerSecond;
        this.batchId = batchId;
        this.source = source;
    }

    /** Users per request for a rate: enough for about ten requests a second, at least one, at most the API's ceiling. */
    static int requestSize(double usersPerSecond) {
        return (int) Math.max(1, Math.min(RandomUserQuery.MAX_RESULTS, Math.ceil(usersPerSecond / 10)));
    }

    public void run(BatchSink writer, Consumer<IngestProgress> onBatch, Consumer<String> onProblem)
            throws SQLException, InterruptedException {
        int size = requestSize(rate);
        long intervalNanos = (long) (size / rate * 1e9);
        long begin = System.nanoTime();
        long due = begin;
        IngestProgress progress = IngestProgress.start(-1);
        int page = template.page();
        while (!Thread.currentThread().isInterrupted()) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            try {
                RandomUserPage fetched = client.fetch(template.withPage(page).withResults(size));
                BatchSink.BatchResult result = writer.write(fetched, batchId, source);
                progress = progress.plus(fetched.size(), result, Duration.ofNanos(System.nanoTime() - begin));
                onBatch.accept(progress);
                page++;
                due += intervalNanos;
            } catch (RandomUserException e) {
                onProblem.accept("fetching page " + page + " failed, trying it again in 5 s: " + e.getMessage());
                due = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
            if (System.nanoTime() - due > Duration.ofSeconds(10).toNanos()) {
                // Far behind (a slow database, a long outage): do not burst to catch up, resume the rate from now.
                due = System.nanoTime();
            }
        }
    }
}
