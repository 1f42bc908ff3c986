package dev.userpipeline.stream;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;

/**
 * Upserts the users of one Spark partition into {@code created_users} with the driver's asynchronous prepared
 * statements: rows owned by the same replicas go together in unlogged batches bounded by bytes, a few batches in
 * flight. Every statement is an upsert of a whole row, so a batch written again (a retry, a replayed micro-batch)
 * leaves the same row.
 *
 * <p>Every user is its own Cassandra partition, so one row per request would cost Cassandra a request per user;
 * grouping by replica set sends about 16 users per unlogged batch to the nodes that own them all (measured with the
 * connector's same grouping on a backlog: half of Cassandra's CPU per row). Batches are bounded by size, not rows: 16
 * users with 20 KB street names made 320 KiB, which Cassandra refuses ({@code batch_size_fail_threshold}, 50 KiB).
 *
 * <p>Why not the connector's DataFrame writer: converting each row to the connector's own row type and back was
 * 28-30 % of the job's CPU in a profile of a 100,000-user backlog, and it needed the micro-batch cached for a second
 * pass that wrote Kafka.
 */
final class CassandraUpserts {

    /**
     * Characters of row data per batch: 16 KiB, so that even three bytes per character stay under Cassandra's default
     * fail threshold (50 KiB). A larger row goes alone.
     */
    static final int BATCH_BYTES = 16 * 1024;
    /** Batches in flight per partition being written. */
    static final int IN_FLIGHT = 16;
    /** Tries of one batch before the micro-batch fails (and is replayed from the checkpoint when the job is started again). */
    static final int TRIES = 5;

    private final CqlSession session;
    private final String keyspace;
    private final PreparedStatement insert;
    private final Optional<TokenMap> tokens;
    private final Map<Set<Node>, Pending> byReplicas = new HashMap<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
    private long rows;

    /** Rows of one replica set not yet sent. */
    private static final class Pending {
        final List<BoundStatement> statements = new ArrayList<>();
        int bytes;
    }

    /** A batch Cassandra refused, with the tries it has had. */
    private record Failed(BatchStatement batch, int tries, Throwable error) {
    }

    CassandraUpserts(CqlSession session, String keyspace, String table) {
        this.session = session;
        this.keyspace = keyspace;
        this.insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + "." + table + " ("
                        + String.join(", ", UserRecords.CREATED_USER_COLUMNS) + ") VALUES ("
                        + "?, ".repeat(UserRecords.CREATED_USER_COLUMNS.length - 1) + "?)")
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setIdempotent(true));
        this.tokens = session.getMetadata().getTokenMap();
    }

    /** Adds one row of {@link UserRecords#outcomes}; its first columns are those of {@code created_users}, in order. */
    void add(Row row) {
        BoundStatementBuilder bound = insert.boundStatementBuilder();
        int bytes = 0;
        for (int i = 0; i < UserRecords.CREATED_USER_COLUMNS.length; i++) {
            Object value = row.isNullAt(i) ? null : row.get(i);
            if (value == null) {
                bound.setToNull(i);
            } else if (i == 0) {
                bound.setUuid(0, UUID.fromString((String) value));
                bytes += 16;
            } else if (value instanceof String text) {
                bound.setString(i, text);
                bytes += text.length();
            } else if (value instanceof Timestamp time) {
                bound.setInstant(i, time.toInstant());
                bytes += 8;
            } else if (value instanceof Integer number) {
                bound.setInt(i, number);
                bytes += 4;
            } else if (value instanceof Double number) {
                bound.setDouble(i, number);
                bytes += 8;
            } else {
                throw new IllegalStateException("Column " + UserRecords.CREATED_USER_COLUMNS[i] + " holds a " + value.getClass().getName()
                        + ", which created_users has no type for");
            }
        }
        BoundStatement statement = bound.build();
        ByteBuffer key = statement.getRoutingKey();
        Set<Node> replicas = key == null ? Set.of() : tokens.map(map -> map.getReplicas(keyspace, key)).orElse(Set.of());
        Pending pending = byReplicas.computeIfAbsent(replicas, r -> new Pending());
        if (!pending.statements.isEmpty() && pending.bytes + bytes > BATCH_BYTES) {
            send(pending);
        }
        pending.statements.add(statement);
        pending.bytes += bytes;
        rows++;
    }

    /** Sends what is left and waits for every batch; a batch still refused after its tries fails the partition. */
    long finish() {
        byReplicas.values().forEach(pending -> {
            if (!pending.statements.isEmpty()) {
                send(pending);
            }
        });
        awaitAll();
        long backoffMillis = 250;
        Failed retry;
        while ((retry = failed.poll()) != null) {
            if (retry.tries() >= TRIES) {
                throw new IllegalStateException("Cassandra refused a batch of " + retry.batch().size() + " users "
                        + TRIES + " times, the last: " + retry.error().getMessage(), retry.error());
            }
            sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 4_000);
            acquire(1);
            execute(retry.batch(), retry.tries());
            awaitAll();
        }
        return rows;
    }

    private void send(Pending pending) {
        BatchStatementBuilder batch = BatchStatement.builder(BatchType.UNLOGGED)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setIdempotence(true);
        pending.statements.forEach(batch::addStatement);
        pending.statements.clear();
        pending.bytes = 0;
        acquire(1);
        execute(batch.build(), 0);
    }

    private void execute(BatchStatement batch, int triesBefore) {
        // A batch of one is sent as the statement itself.
        CompletionStage<?> done = batch.size() == 1
                ? session.executeAsync((BoundStatement) batch.iterator().next())
                : session.executeAsync(batch);
        done.whenComplete((result, error) -> {
            if (error != null) {
                failed.add(new Failed(batch, triesBefore + 1, error));
            }
            inFlight.release();
        });
    }

    private void awaitAll() {
        acquire(IN_FLIGHT);
        inFlight.release(IN_FLIGHT);
    }

    private void acquire(int permits) {
        try {
            if (!inFlight.tryAcquire(permits, 10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Cassandra answered none of " + IN_FLIGHT + " batches in 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to Cassandra", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to write to Cassandra again", e);
        }
    }
}
