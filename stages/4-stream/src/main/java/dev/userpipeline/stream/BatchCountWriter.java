package dev.userpipeline.stream;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Adds a micro-batch's counts ({@link BatchCounts}) to {@code signups_per_minute} and {@code stream_totals}, once.
 *
 * <p>Cassandra has no "add to this number" for ordinary columns (counters cannot be written idempotently), so each row
 * is read, and written back with the sum as a lightweight transaction that holds only if the row still has the counts
 * it was read with. Beside the counts a row records which run of the users query (the query id its checkpoint keeps)
 * counted into it last, and which micro-batch: a micro-batch replayed after a crash, whose counts may be partly
 * applied, skips the rows that already hold it. A fresh checkpoint is a new run whose counts add to what is there;
 * {@link #reset} clears them when that run reads the topic from its start.
 */
final class BatchCountWriter {

    /** Rows read and written at once: a micro-batch of a backlog can span many minutes of many countries. */
    private static final int IN_FLIGHT = 64;
    /** A transaction that loses to another writer reads the row again; only a second job would make it lose at all. */
    private static final int ATTEMPTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** A table whose rows hold counts, by the columns of its key and of its counts. */
    private record CountTable(String name, List<String> key, List<String> counts) {
    }

    private static final CountTable SIGNUPS = new CountTable(StreamContract.SIGNUPS, List.of("country", "minute"), List.of("signups"));
    private static final CountTable TOTALS = new CountTable(StreamContract.TOTALS, List.of("query"), List.of("users", "dead_letters"));

    private final CqlSession session;
    private final String keyspace;

    BatchCountWriter(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
    }

    /** Adds the counts of micro-batch {@code batchId} of run {@code run}, unless a row already holds them. */
    void add(UUID run, long batchId, BatchCounts counts) {
        if (counts.isEmpty()) {
            return;
        }
        List<Addition> additions = new ArrayList<>();
        for (Map.Entry<BatchCounts.Minute, Long> minute : counts.signups().entrySet()) {
            additions.add(new Addition(SIGNUPS, List.of(minute.getKey().country(), minute.getKey().minute()), new long[] {minute.getValue()}));
        }
        additions.add(new Addition(TOTALS, List.of(StreamContract.CREATED_USERS), new long[] {counts.users(), counts.deadLetters()}));
        Statements signups = statements(SIGNUPS);
        Statements totals = statements(TOTALS);
        for (int from = 0; from < additions.size(); from += IN_FLIGHT) {
            CompletableFuture<?>[] inFlight = additions.subList(from, Math.min(additions.size(), from + IN_FLIGHT)).stream()
                    .map(a -> apply(a.table() == SIGNUPS ? signups : totals, a, run, batchId, 1).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            await(CompletableFuture.allOf(inFlight), batchId);
        }
    }

    /** Empties both tables: for a run that counts every user of the topic again from its start. */
    void reset() {
        for (CountTable table : List.of(SIGNUPS, TOTALS)) {
            session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + table.name())
                    .setTimeout(TIMEOUT));
        }
    }

    /** A row of a count table and what to add to each of its counts. */
    private record Addition(CountTable table, List<Object> key, long[] add) {
    }

    private record Statements(PreparedStatement select, PreparedStatement insert, PreparedStatement update) {
    }

    private Statements statements(CountTable table) {
        String where = table.key().stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "));
        List<String> written = Stream.of(table.counts(), List.of("updated_at", "counted_by", "counted_batch")).flatMap(List::stream).toList();
        String qualified = keyspace + "." + table.name();
        return new Statements(
                session.prepare("SELECT " + String.join(", ", table.counts()) + ", counted_by, counted_batch FROM " + qualified + " WHERE " + where),
                session.prepare("INSERT INTO " + qualified + " (" + String.join(", ", table.key()) + ", " + String.join(", ", written)
                        + ") VALUES (" + String.join(", ", Collections.nCopies(table.key().size() + written.size(), "?")) + ") IF NOT EXISTS"),
                session.prepare("UPDATE " + qualified + " SET " + written.stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
                        + " WHERE " + where + " IF " + table.counts().stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "))));
    }

    /** Reads the row, and unless it holds this micro-batch already, writes it back with the counts added. */
    private CompletionStage<Void> apply(Statements statements, Addition addition, UUID run, long batchId, int attempt) {
        // After a lost transaction the row is read through Paxos, so that the read sees the transaction that won.
        BoundStatement read = statements.select().bind(addition.key().toArray())
                .setConsistencyLevel(attempt == 1 ? ConsistencyLevel.LOCAL_QUORUM : ConsistencyLevel.SERIAL);
        return session.executeAsync(read).thenCompose(rows -> {
            Row row = rows.one();
            if (row != null && run.equals(row.getUuid("counted_by")) && row.getLong("counted_batch") >= batchId) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            int counts = addition.add().length;
            List<Object> values = new ArrayList<>();
            long[] before = new long[counts];
            for (int i = 0; i < counts; i++) {
                before[i] = row == null ? 0 : row.getLong(i);
            }
            BoundStatement write;
            if (row == null) {
                values.addAll(addition.key());
                for (int i = 0; i < counts; i++) {
                    values.add(addition.add()[i]);
                }
                values.addAll(List.of(Instant.now(), run, batchId));
                write = statements.insert().bind(values.toArray());
            } else {
                for (int i = 0; i < counts; i++) {
                    values.add(before[i] + addition.add()[i]);
                }
                values.addAll(List.of(Instant.now(), run, batchId));
                values.addAll(addition.key());
                for (long count : before) {
                    values.add(count);
                }
                write = statements.update().bind(values.toArray());
            }
            write = write.setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setSerialConsistencyLevel(ConsistencyLevel.SERIAL);
            return session.executeAsync(write).thenCompose((AsyncResultSet result) -> {
                if (result.wasApplied()) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                if (attempt >= ATTEMPTS) {
                    return CompletableFuture.<Void>failedFuture(new IllegalStateException("the counts of " + addition.table().name() + " "
                            + addition.key() + " changed under micro-batch " + batchId + " " + ATTEMPTS
                            + " times: is a second job writing keyspace " + keyspace + "?"));
                }
                return apply(statements, addition, run, batchId, attempt + 1);
            });
        });
    }

    private static void await(CompletableFuture<?> all, long batchId) {
        try {
            all.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
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
