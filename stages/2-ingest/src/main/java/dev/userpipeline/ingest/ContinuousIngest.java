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
 * Nothing about one page stops it: a failed fetch or landing is reported and the page tried again
 * later (the database may come back, the API recover); a page that fails {@link #TRIES_PER_PAGE} times in a row
 * is reported as skipped and the next one fetched. A page with fewer users than asked is reported.
 */
public final class ContinuousIngest {

    /** Tries of one page before it is given up, each 5 s apart. */
    static final int TRIES_PER_PAGE = 12;

    private final RandomUserClient client;
    private final RandomUserQuery template;
    private final double rate;
    private final String batchId;
    private final String source;
    private Duration retryDelay = Duration.ofSeconds(5);

    public ContinuousIngest(RandomUserClient client, RandomUserQuery template, double usersPerSecond, String batchId, String source) {
        this.client = client;
        this.template = template;
        this.rate = usersPerSecond;
        this.batchId = batchId;
        this.source = source;
    }

    /** How long a failed page waits before it is tried again (5 s). */
    public ContinuousIngest withRetryDelay(Duration delay) {
        this.retryDelay = delay;
        return this;
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
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String step = "fetching";
            try {
                RandomUserPage fetched = client.fetch(template.withPage(page).withResults(size));
                step = "landing";
                BatchSink.BatchResult result = writer.write(fetched, batchId, source);
                progress = progress.plus(fetched, result, Duration.ofNanos(System.nanoTime() - begin));
                onBatch.accept(progress);
                if (fetched.missing() > 0) {
                    onProblem.accept("page " + page + " held " + fetched.size() + " of the " + fetched.asked() + " users asked for");
                }
                if (result.quarantined() > 0) {
                    onProblem.accept("page " + page + ": " + result.quarantined() + " records quarantined (ingest.users_quarantine has why)");
                }
                page++;
                failures = 0;
                due += intervalNanos;
            } catch (SQLException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                    throw new InterruptedException("stopped");
                }
                failures++;
                String what = e instanceof RandomUserException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
                if (failures >= TRIES_PER_PAGE) {
                    onProblem.accept(step + " page " + page + " failed " + failures + " times; skipping it: " + what);
                    page++;
                    failures = 0;
                } else {
                    onProblem.accept(step + " page " + page + " failed, trying it again in " + retryDelay.toMillis() + " ms: " + what);
                }
                due = System.nanoTime() + retryDelay.toNanos();
            }
            if (System.nanoTime() - due > Duration.ofSeconds(10).toNanos()) {
                // Far behind (a slow database, a long outage): do not burst to catch up, resume the rate from now.
                due = System.nanoTime();
            }
        }
    }
}
