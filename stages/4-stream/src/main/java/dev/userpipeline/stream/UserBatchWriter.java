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
 * Writes one validated micro-batch: valid users upserted into {@code created_users}, rejected records sent to the
 * dead-letter topic, then the batch's counts added to {@code signups_per_minute} and {@code stream_totals}. Upserts
 * make a replayed batch harmless in Cassandra, and the counts record the micro-batch they hold
 * ({@link BatchCountWriter}). The batch is read from Kafka and parsed once, into its outcomes
 * ({@link UserRecords#outcomes}), cached for its counts and its writes.
 */
final class UserBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;
    /** Set by Spark on the thread that runs a query's micro-batches: the id its checkpoint keeps across restarts. */
    private static final String QUERY_ID = "sql.streaming.queryId";

    private final String keyspace;
    private final String bootstrap;
    private final String deadLetterTopic;

    UserBatchWriter(String keyspace, String bootstrap, String deadLetterTopic) {
        this.keyspace = keyspace;
        this.bootstrap = bootstrap;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void call(Dataset<Row> validated, Long batchId) {
        String queryId = validated.sparkSession().sparkContext().getLocalProperty(QUERY_ID);
        if (queryId == null) {
            throw new IllegalStateException("micro-batch " + batchId + " runs outside a streaming query: its counts would have no run to belong to");
        }
        Dataset<Row> batch = UserRecords.outcomes(validated).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // The first job of the batch (it fills the cache): a few rows, so the next steps know what to write.
            BatchCounts counts = BatchCounts.of(UserRecords.counts(batch).collectAsList());
            if (counts.users() > 0) {
                CassandraTableWriter.write(UserRecords.createdUsers(batch), keyspace, StreamContract.CREATED_USERS);
            }
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
                new BatchCountWriter(session, keyspace).add(UUID.fromString(queryId), batchId, counts);
            }
        } finally {
            batch.unpersist();
        }
    }
}
