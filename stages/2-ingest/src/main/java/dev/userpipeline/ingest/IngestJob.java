package dev.userpipeline.ingest;

import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RandomUserPage;
import dev.userpipeline.source.RandomUserQuery;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ingests a fixed number of users: pages {@code firstPage, firstPage+1, ...} of one seed, fetched a few
 * pages ahead while earlier ones land, one transaction per page.
 *
 * <p>A page is a pure function of seed and page number, so running the same job again lands nothing
 * new, and a page whose fetch failed can be fetched again without duplicating anyone. A resumable job
 * also records each landed page's request beside its users, and a rerun fetches only the pages not
 * recorded: an API that rations users per client is not asked twice for the same ones.
 */
public final class IngestJob {

    /** Pages fetched ahead of the one being landed: enough to keep the writer busy, bounded in memory. */
    static final int PREFETCH = 3;

    private final RandomUserClient client;
    private final RandomUserQuery firstQuery;
    private final long count;
    private final String batchId;
    private final String source;
    private boolean resumable;
    private double maxRate;

    public IngestJob(RandomUserClient client, RandomUserQuery firstQuery, long count, String batchId, String source) {
        this.client = client;
        this.firstQuery = firstQuery;
        this.count = count;
        this.batchId = batchId;
        this.source = source;
    }

    /** Records landed pages and skips those an earlier run of the same job landed. */
    public IngestJob resumable(boolean resume) {
        this.resumable = resume;
        return this;
    }

    /** Fetches at most this many users per second (0: as fast as the API answers). */
    public IngestJob maxRate(double usersPerSecond) {
        this.maxRate = usersPerSecond;
        return this;
    }

    public IngestProgress run(BatchSink writer, Consumer<IngestProgress> onBatch) throws SQLException {
        return run(List.of(writer), onBatch);
    }

    /**
     * Runs with several sinks (e.g. one landing connection each) that take pages as they come; a
     * page is landed whole by one of them. Landing order does not matter: a user is landed by id.
     *
     * @throws IngestFailure when a page cannot be fetched or landed, with what had landed until then
     */
    public IngestProgress run(List<? extends BatchSink> writers, Consumer<IngestProgress> onBatch) throws SQLException {
        long begin = System.nanoTime();
        List<RandomUserQuery> queries = queries();
        IngestProgress progress = IngestProgress.start(count);
        if (resumable) {
            Map<String, Integer> landed = writers.get(0).landedPages(source,
                    queries.stream().map(q -> q.toUri(client.base()).getRawQuery()).toList());
            if (!landed.isEmpty()) {
                queries = queries.stream().filter(q -> !landed.containsKey(q.toUri(client.base()).getRawQuery())).toList();
                progress = progress.skipped(landed.size(), landed.values().stream().mapToLong(Integer::longValue).sum());
                onBatch.accept(progress);
            }
        }
        ExecutorService fetchers = Executors.newFixedThreadPool(2, daemon("ingest-fetch"));
        ExecutorService landers = Executors.newFixedThreadPool(writers.size(), daemon("ingest-land"));
        BlockingQueue<BatchSink> idle = new LinkedBlockingQueue<>(writers);
        Deque<Pending> inFlight = new ArrayDeque<>();
        try {
            int next = 0;
            long usersAsked = 0;
            for (int done = 0; done < queries.size(); done++) {
                while (next < queries.size() && inFlight.size() < PREFETCH + writers.size()) {
                    RandomUserQuery query = queries.get(next);
                    long due = maxRate > 0 ? begin + (long) (usersAsked / maxRate * 1e9) : 0;
                    usersAsked += query.results();
                    inFlight.add(new Pending(query, CompletableFuture.supplyAsync(() -> fetchWhenDue(query, due), fetchers)
                            .thenApplyAsync(page -> land(idle, page), landers)));
                    next++;
                }
                Pending pending = inFlight.removeFirst();
                Landed landed;
                try {
                    landed = pending.future().join();
                } catch (CompletionException e) {
                    Throwable cause = e.getCause() instanceof LandingFailure failure ? failure.sql : e.getCause();
                    throw new IngestFailure(pending.query().page(), landedBefore(progress, inFlight, fetchers, landers, begin), cause);
                }
                progress = progress.plus(landed.page(), landed.result(), Duration.ofNanos(System.nanoTime() - begin));
                onBatch.accept(progress);
            }
            return progress;
        } finally {
            inFlight.forEach(f -> f.future().cancel(true));
            fetchers.shutdownNow();
            landers.shutdownNow();
        }
    }

    /** The job's pages: full ones, then a last one for the rest. */
    private List<RandomUserQuery> queries() {
        int batchSize = firstQuery.results();
        long pages = (count + batchSize - 1) / batchSize;
        List<RandomUserQuery> queries = new ArrayList<>();
        for (long i = 0; i < pages; i++) {
            int results = (int) Math.min(batchSize, count - i * batchSize);
            queries.add(firstQuery.withPage((int) (firstQuery.page() + i)).withResults(results));
        }
        return queries;
    }

    /**
     * After a failure: pages later than the failed one may have landed meanwhile. Fetches still waiting are
     * stopped, landings under way are let finish, and every page that did land is counted.
     */
    private static IngestProgress landedBefore(IngestProgress progress, Deque<Pending> inFlight, ExecutorService fetchers,
            ExecutorService landers, long begin) {
        fetchers.shutdownNow();
        landers.shutdown();
        try {
            landers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending pending : inFlight) {
            CompletableFuture<Landed> future = pending.future();
            if (future.isDone() && !future.isCompletedExceptionally() && !future.isCancelled()) {
                Landed landed = future.join();
                progress = progress.plus(landed.page(), landed.result(), Duration.ofNanos(System.nanoTime() - begin));
            }
        }
        return progress;
    }

    private RandomUserPage fetchWhenDue(RandomUserQuery query, long dueNanos) {
        long wait = dueNanos - System.nanoTime();
        if (dueNanos > 0 && wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped before fetching page " + query.page(), e);
            }
        }
        return client.fetch(query);
    }

    private record Pending(RandomUserQuery query, CompletableFuture<Landed> future) {
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
            return new Landed(page, sink.write(page, batchId, source, resumable));
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
