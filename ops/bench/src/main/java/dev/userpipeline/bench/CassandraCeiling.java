package dev.userpipeline.bench;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.userpipeline.stream.CassandraSchema;
import dev.userpipeline.stream.StreamContract;
import dev.userpipeline.stream.UserStreamJob;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The "Cassandra alone" ceiling: rows the Spark job wrote to {@code created_users}, read back and written again
 * into a scratch table of the same layout by a plain driver writer, as fast as Cassandra takes them. Nothing
 * upstream of Cassandra is in the way, so the job's throughput reads as a share of what Cassandra itself can do
 * on the same machine in the same run.
 *
 * <p>The writer does what a fast client does: one prepared insert, values copied as the bytes read (no
 * conversion), unlogged batches of rows owned by the same replicas bounded by bytes as the job's are, and a fixed
 * number of batches in flight.
 */
final class CassandraCeiling {

    static final String TABLE = "bench_ceiling_users";
    /** Bytes of values per batch: the job's own bound (a constant, so reading it loads nothing of Spark). */
    static final int BATCH_BYTES = UserStreamJob.CASSANDRA_BATCH_BYTES;
    /** Batches in flight: as many as the job's connector keeps ({@code spark.cassandra.output.concurrent.writes}). */
    static final int IN_FLIGHT = 16;

    /** What the writer did: rows written, from the first request to the last answer (epoch milliseconds). */
    record Result(long rows, long startMillis, long endMillis) {
        double seconds() {
            return (endMillis - startMillis) / 1000.0;
        }
    }

    private CassandraCeiling() {
    }

    /** Copies the rows of {@code ids} from {@code created_users} into a fresh scratch table; only the writes are timed. */
    static Result run(CqlSession session, String keyspace, int replicationFactor, List<UUID> ids) {
        createScratchTable(session, keyspace, replicationFactor);
        String columns = String.join(", ", StreamContract.CREATED_USERS_COLUMNS);
        List<Row> rows = read(session, keyspace, columns, ids);
        PreparedStatement insert = session.prepare(SimpleStatement.newInstance("insert into " + keyspace + "." + TABLE + " (" + columns
                + ") values (" + "?, ".repeat(StreamContract.CREATED_USERS_COLUMNS.size() - 1) + "?)")
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
        List<BatchStatement> batches = batches(session, keyspace, insert, rows);

        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long startMillis = System.currentTimeMillis();
        for (BatchStatement batch : batches) {
            acquire(inFlight);
            if (failure.get() != null) {
                break;
            }
            session.executeAsync(batch).whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
            });
        }
        acquire(inFlight, IN_FLIGHT);
        long endMillis = System.currentTimeMillis();
        if (failure.get() != null) {
            throw new IllegalStateException("Cassandra refused a write of the ceiling's scratch table: " + failure.get().getMessage(),
                    failure.get());
        }
        session.execute("drop table if exists " + keyspace + "." + TABLE);
        return new Result(rows.size(), startMillis, endMillis);
    }

    private static void createScratchTable(CqlSession session, String keyspace, int replicationFactor) {
        String create = CassandraSchema.statements(keyspace, replicationFactor).stream()
                .filter(s -> s.contains("." + StreamContract.CREATED_USERS + " ("))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The job's CQL has no table " + StreamContract.CREATED_USERS));
        Duration ddl = Duration.ofSeconds(60);
        session.execute(SimpleStatement.newInstance("drop table if exists " + keyspace + "." + TABLE).setTimeout(ddl));
        session.execute(SimpleStatement.newInstance(create.replace("." + StreamContract.CREATED_USERS + " (", "." + TABLE + " ("))
                .setTimeout(ddl));
    }

    private static List<Row> read(CqlSession session, String keyspace, String columns, List<UUID> ids) {
        PreparedStatement select = session.prepare("select " + columns + " from " + keyspace + "." + StreamContract.CREATED_USERS
                + " where id in ?");
        return RowsById.read(session, select, ids);
    }

    /** Rows grouped by the replicas that own them, each group cut into batches of at most {@link #BATCH_BYTES}. */
    private static List<BatchStatement> batches(CqlSession session, String keyspace, PreparedStatement insert, List<Row> rows) {
        Optional<TokenMap> tokens = session.getMetadata().getTokenMap();
        Map<Set<Node>, List<BoundStatement>> byReplicas = new LinkedHashMap<>();
        for (Row row : rows) {
            BoundStatementBuilder bound = insert.boundStatementBuilder();
            for (int i = 0; i < StreamContract.CREATED_USERS_COLUMNS.size(); i++) {
                bound.setBytesUnsafe(i, row.getBytesUnsafe(i));
            }
            ByteBuffer key = row.getBytesUnsafe(0);
            Set<Node> replicas = tokens.map(map -> map.getReplicas(keyspace, key)).orElse(Set.of());
            byReplicas.computeIfAbsent(replicas, r -> new ArrayList<>()).add(bound.build());
        }
        List<BatchStatement> batches = new ArrayList<>();
        for (List<BoundStatement> group : byReplicas.values()) {
            BatchStatementBuilder batch = BatchStatement.builder(BatchType.UNLOGGED).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM);
            int bytes = 0;
            for (BoundStatement statement : group) {
                int size = valueBytes(statement);
                if (batch.getStatementsCount() > 0 && bytes + size > BATCH_BYTES) {
                    batches.add(batch.build());
                    batch = BatchStatement.builder(BatchType.UNLOGGED).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM);
                    bytes = 0;
                }
                batch.addStatement(statement);
                bytes += size;
            }
            if (batch.getStatementsCount() > 0) {
                batches.add(batch.build());
            }
        }
        return batches;
    }

    private static int valueBytes(BoundStatement statement) {
        int bytes = 0;
        for (ByteBuffer value : statement.getValues()) {
            bytes += value == null ? 0 : value.remaining();
        }
        return bytes;
    }

    private static void acquire(Semaphore semaphore) {
        acquire(semaphore, 1);
    }

    private static void acquire(Semaphore semaphore, int permits) {
        try {
            if (!semaphore.tryAcquire(permits, 5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Cassandra answered none of " + IN_FLIGHT + " batches in 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the ceiling's rows", e);
        }
    }
}
