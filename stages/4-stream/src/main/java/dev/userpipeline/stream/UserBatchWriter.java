package dev.userpipeline.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import java.util.UUID;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes one validated micro-batch: valid users upserted into {@code created_users}, the batch counted, rejected
 * records sent to the dead-letter topic, then the counts added to {@code signups_per_minute} and
 * {@code stream_totals}. Upserts make a replayed batch harmless in Cassandra, and the counts record the micro-batch
 * they hold ({@link BatchCountWriter}). The batch is read from Kafka and parsed once, into its outcomes
 * ({@link UserRecords#outcomes}), cached for its writes and counts. Logs a line per micro-batch with the time of
 * each step.
 */
final class UserBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;
    /** Set by Spark on the thread that runs a query's micro-batches: the id its checkpoint keeps across restarts. */
    private static final String QUERY_ID = "sql.streaming.queryId";

    private final String keyspace;
    private final String bootstrap;
    private final String deadLetterTopic;
    /** The rows the counts go to, kept on the driver from one micro-batch to the next. */
    private transient BatchCountWriter countWriter;

    UserBatchWriter(String keyspace, String bootstrap, String deadLetterTopic) {
        this.keyspace = keyspace;
        this.bootstrap = bootstrap;
        this.deadLetterTopic = deadLetterTopic;
    }

    /** The writer of the counts, kept for the life of the job; the same for the job's start-up reset. */
    synchronized BatchCountWriter counts() {
        if (countWriter == null) {
            countWriter = new BatchCountWriter(keyspace);
        }
        return countWriter;
    }

    @Override
    public void call(Dataset<Row> validated, Long batchId) {
        String queryId = validated.sparkSession().sparkContext().getLocalProperty(QUERY_ID);
        if (queryId == null) {
            throw new IllegalStateException("micro-batch " + batchId + " runs outside a streaming query: its counts would have no run to belong to");
        }
        long start = System.nanoTime();
        Dataset<Row> batch = UserRecords.outcomes(validated).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // The users first, so that they wait for nothing else: this job parses the batch and fills the cache.
            CassandraTableWriter.write(UserRecords.createdUsers(batch), keyspace, StreamContract.CREATED_USERS);
            long written = System.nanoTime();
            // Then the counts, from the cache; they say whether there are dead letters to send.
            BatchCounts counts = BatchCounts.of(batch);
            long counted = System.nanoTime();
            if (counts.deadLetters() > 0) {
                UserRecords.rejected(batch)
                        .write()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", bootstrap)
                        .option("topic", deadLetterTopic)
                        .option("kafka.acks", "all")
                        .option("kafka.linger.ms", "20")
                        // A dead letter carries its original whole up to 4 MiB: past Kafka's default of 1 MiB per request.
                        .option("kafka.max.request.size", Integer.toString(DeadLetter.MAX_MESSAGE_BYTES))
                        .mode(SaveMode.Append)
                        .save();
            }
            // After the users: a user counted in the signups is always already a row.
            try (CqlSession session = CassandraConnector.apply(validated.sparkSession().sparkContext().getConf()).openSession()) {
                counts().add(session, UUID.fromString(queryId), batchId, counts);
            }
            long end = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "user-stream: micro-batch %d: %,d users, %,d dead letters in %,d ms (parse and write "
                    + "users %,d, count %,d, dead letters and counts %,d)%n", batchId, counts.users(), counts.deadLetters(), (end - start) / 1_000_000,
                    (written - start) / 1_000_000, (counted - written) / 1_000_000, (end - counted) / 1_000_000);
        } finally {
            batch.unpersist();
        }
    }
}
