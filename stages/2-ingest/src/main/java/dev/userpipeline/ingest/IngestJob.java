package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserPage;
import dev.userpipeline.source.RandomUserQuery;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Ingests a fixed number of users: pages {@code firstPage, firstPage+1, ...} of one seed, fetched a few
 * pages ahead while earlier ones land, one transaction per page.
 *
 * <p>A page is a pure function of seed and page number, so running the same job again lands nothing
 * new, and a page whose fetch failed can be fetched again without duplicating anyone.
 */
public final class IngestJob {

    /** Pages fetched ahead of the one being landed: enough to keep the writer busy, bounded in memory. */
    static final int PREFETCH = 3;

    private final RandomUserClient client;
    private final RandomUserQuery firstQuery;
    private final long count;
    private final String batchId;
    private final String source;

    public IngestJob(RandomUserClient client, RandomUserQuery firstQuery, long count, String batchId, String source) {
        this.client = client;
        this.firstQuery = firstQuery;
        this.count = count;
        this.batchId = batchId;
        this.source = source;
    }

    public IngestProgress run(BatchSink writer, Consumer<IngestProgress> onBatch) throws SQLException {
        return run(List.of(writer), onBatch);
    }

    /**
     * Runs with several sinks (e.g. one landing connection each) that take pages as they come; a
     * page is landed whole by one of them. Landing order does not matter: a user is landed by id.
     */
    public IngestProgress run(List<? extends BatchSink> writers, Consumer<IngestProgress> onBatch) throws SQLException {
        long begin = System.nanoTime();
        int batchSize = firstQuery.results();
        long pages = (count + batchSize - 1) / batchSize;
        IngestProgress progress = IngestProgress.start(count);
        ExecutorService fetchers = Executors.newFixedThreadPool(2, daemon("ingest-fetch"));
        ExecutorService landers = Executors.newFixedThreadPool(writers.size(), daemon("ingest-land"));
        BlockingQueue<BatchSink> idle = new LinkedBlockingQueue<>(writers);
        Deque<CompletableFuture<Landed>> inFlight = new ArrayDeque<>();
        try {
            long next = 0;
            for (long done = 0; done < pages; done++) {
                while (next < pages && inFlight.size() < PREFETCH + writers.size()) {
                    int results = (int) Math.min(batchSize, count - next * batchSize);
                    RandomUserQuery query = firstQuery.withPage((int) (firstQuery.page() + next)).withResults(results);
                    inFlight.add(CompletableFuture.supplyAsync(() -> client.fetch(query), fetchers)
                            .thenApplyAsync(page -> land(idle, page), landers));
                    next++;
                }
                Landed landed;
                try {
                    landed = inFlight.removeFirst().join();
                } catch (CompletionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof LandingFailure failure) {
                        throw failure.sql;
                    }
                    throw cause instanceof RuntimeException re ? re : e;
                }
                progress = progress.plus(landed.page().size(), landed.result(), Duration.ofNanos(System.nanoTime() - begin));
                onBatch.accept(progress);
            }
            return progress;
        } finally {
            inFlight.forEach(f -> f.cancel(true));
            fetchers.shutdownNow();
            landers.shutdownNow();
        }
    }

    private record Landed(RandomUserPage page, BatchSink.BatchResult result) {
    }

    /** Carries a landing's SQLException through the futures. */
    private static final class LandingFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SQLException sql;

        LandingFailure(SQLException sql) {
            super(sql);
            this.sql = sql;
        }
    }

    private Landed land(BlockingQueue<BatchSink> idle, RandomUserPage page) {
        BatchSink sink;
        try {
            sink = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a landing connection", e);
        }
        try {
            return new Landed(page, sink.write(page, batchId, source));
        } catch (SQLException e) {
            throw new LandingFailure(e);
        } finally {
            idle.add(sink);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
