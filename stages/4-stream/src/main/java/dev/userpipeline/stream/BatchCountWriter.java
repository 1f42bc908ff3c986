package dev.userpipeline.stream;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Adds each micro-batch's counts ({@link BatchCounts}) to {@code signups_per_minute} and {@code stream_totals}, once.
 *
 * <p>Cassandra has no "add to this number" for ordinary columns, and counter columns cannot be written idempotently. So
 * the job keeps the rows it counts into (read from Cassandra the first time a micro-batch touches one) and writes
 * each back whole: the sum, the run of the users query that counted it (the query id its checkpoint keeps) and the
 * micro-batch. A micro-batch replayed after a crash, in a new process, reads the rows it may already have written and
 * skips those that hold it; so each micro-batch counts once, whether it died before, during or after its counts. A
 * fresh checkpoint is a new run, whose counts add to what is there; {@link #reset} clears them when that run reads the
 * topic from its start. Only the job writes these rows, one micro-batch at a time, so plain writes do: a
 * compare-and-set per row (a lightweight transaction, four round trips) cost ~150 ms per micro-batch here.
 */
final class BatchCountWriter {

    /** Rows kept between micro-batches: the minutes of every country for days of live traffic. */
    private static final int KEPT_ROWS = 100_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** A table whose rows hold counts, by the columns of its key and of its counts. */
    private record CountTable(String name, List<String> key, List<String> counts) {
    }

    private static final CountTable SIGNUPS = new CountTable(StreamContract.SIGNUPS, List.of("country", "minute"), List.of("signups"));
    private static final CountTable TOTALS = new CountTable(StreamContract.TOTALS, List.of("query"), List.of("users", "dead_letters"));

    /** A row of a count table as last read or written: its counts, and the run and micro-batch that wrote it. */
    private record Counted(long[] counts, UUID run, long batch) {
        boolean holds(UUID otherRun, long otherBatch) {
            return otherRun.equals(run) && batch >= otherBatch;
        }
    }

    /** A row of a count table: the table and its key's values. */
    private record RowKey(CountTable table, List<Object> key) {
    }

    private final String keyspace;
    private final Map<RowKey, Counted> rows = new LinkedHashMap<>(1_024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RowKey, Counted> eldest) {
            return size() > KEPT_ROWS;
        }
    };

    BatchCountWriter(String keyspace) {
        this.keyspace = keyspace;
    }

    /** Adds the counts of micro-batch {@code batchId} of run {@code run} to every row that does not hold them yet. */
    void add(CqlSession session, UUID run, long batchId, BatchCounts counts) {
        if (counts.isEmpty()) {
            return;
        }
        Map<RowKey, long[]> additions = new LinkedHashMap<>();
        counts.signups().forEach((minute, users) ->
                additions.put(new RowKey(SIGNUPS, List.of(minute.country(), minute.minute())), new long[] {users}));
        additions.put(new RowKey(TOTALS, List.of(StreamContract.CREATED_USERS)), new long[] {counts.users(), counts.deadLetters()});
        try {
            readMissing(session, additions.keySet(), batchId);
            List<CompletableFuture<?>> writes = new ArrayList<>();
            // Prepared once per table and micro-batch, not once per row.
            Map<CountTable, PreparedStatement> inserts = new HashMap<>();
            Instant now = Instant.now();
            for (Map.Entry<RowKey, long[]> addition : additions.entrySet()) {
                RowKey key = addition.getKey();
                Counted before = rows.get(key);
                if (before != null && before.holds(run, batchId)) {
                    continue;
                }
                long[] sum = addition.getValue().clone();
                for (int i = 0; before != null && i < sum.length; i++) {
                    sum[i] += before.counts()[i];
                }
                List<Object> values = new ArrayList<>(key.key());
                for (long count : sum) {
                    values.add(count);
                }
                values.addAll(List.of(now, run, batchId));
                PreparedStatement insert = inserts.computeIfAbsent(key.table(), table -> insert(session, table));
                writes.add(session.executeAsync(insert.bind(values.toArray())
                        .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).toCompletableFuture());
                rows.put(key, new Counted(sum, run, batchId));
            }
            await(writes, batchId);
        } catch (RuntimeException e) {
            // What reached Cassandra is unknown: the next micro-batch (or this one replayed) reads every row again.
            rows.clear();
            throw e;
        }
    }

    /** Empties both tables: for a run that counts every user of the topic again from its start. */
    void reset(CqlSession session) {
        for (CountTable table : List.of(SIGNUPS, TOTALS)) {
            session.execute(SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + table.name()).setTimeout(TIMEOUT));
        }
        rows.clear();
    }

    /** Reads the rows this process has not seen yet, all at once. */
    private void readMissing(CqlSession session, Iterable<RowKey> keys, long batchId) {
        Map<RowKey, CompletableFuture<Row>> reads = new LinkedHashMap<>();
        Map<CountTable, PreparedStatement> selects = new HashMap<>();
        for (RowKey key : keys) {
            if (!rows.containsKey(key)) {
                PreparedStatement select = selects.computeIfAbsent(key.table(), table -> select(session, table));
                reads.put(key, session.executeAsync(select.bind(key.key().toArray())
                        .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).thenApply(r -> r.one()).toCompletableFuture());
            }
        }
        await(new ArrayList<>(reads.values()), batchId);
        reads.forEach((key, read) -> {
            Row row = read.join();
            if (row != null) {
                long[] counts = new long[key.table().counts().size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = row.getLong(i);
                }
                UUID run = row.getUuid("counted_by");
                rows.put(key, new Counted(counts, run == null ? new UUID(0, 0) : run, row.isNull("counted_batch") ? -1 : row.getLong("counted_batch")));
            }
        });
    }

    private PreparedStatement select(CqlSession session, CountTable table) {
        return session.prepare("SELECT " + String.join(", ", table.counts()) + ", counted_by, counted_batch FROM " + keyspace + "."
                + table.name() + " WHERE " + table.key().stream().map(c -> c + " = ?").collect(Collectors.joining(" AND ")));
    }

    private PreparedStatement insert(CqlSession session, CountTable table) {
        List<String> columns = Stream.of(table.key(), table.counts(), List.of("updated_at", "counted_by", "counted_batch"))
                .flatMap(List::stream).toList();
        return session.prepare("INSERT INTO " + keyspace + "." + table.name() + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")");
    }

    private static void await(List<CompletableFuture<?>> requests, long batchId) {
        try {
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting micro-batch " + batchId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot count micro-batch " + batchId + " in Cassandra: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("counting micro-batch " + batchId + " in Cassandra took over " + TIMEOUT.toSeconds() + " s", e);
        }
    }
}
