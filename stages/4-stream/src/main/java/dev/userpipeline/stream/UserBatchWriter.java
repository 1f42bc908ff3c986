package dev.userpipeline.stream;

import static org.apache.spark.sql.functions.lit;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes one validated micro-batch: valid users upserted into {@code created_users} and announced on the
 * accepted topic, rejected records sent to the dead-letter topic. Upserts make a replayed batch harmless
 * in Cassandra, and the signups aggregate drops the ids a replay announces twice; the batch is read from
 * Kafka and parsed once, into its outcomes ({@link UserRecords#outcomes}), cached between the two writes.
 */
final class UserBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;

    private final String keyspace;
    private final String bootstrap;
    private final String acceptedTopic;
    private final String deadLetterTopic;

    UserBatchWriter(String keyspace, String bootstrap, String acceptedTopic, String deadLetterTopic) {
        this.keyspace = keyspace;
        this.bootstrap = bootstrap;
        this.acceptedTopic = acceptedTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void call(Dataset<Row> validated, Long batchId) {
        Dataset<Row> batch = UserRecords.outcomes(validated).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            CassandraTableWriter.write(UserRecords.createdUsers(batch), keyspace, StreamContract.CREATED_USERS);
            // After Cassandra, so that a user counted in the signups is always already a row. Accepted users
            // and dead letters go in one write: each record names its topic.
            UserRecords.acceptedUsers(batch).withColumn("topic", lit(acceptedTopic))
                    .unionByName(UserRecords.rejected(batch).withColumn("topic", lit(deadLetterTopic)))
                    .write()
                    .format("kafka")
                    .option("kafka.bootstrap.servers", bootstrap)
                    .option("kafka.acks", "all")
                    .option("kafka.linger.ms", "20")
                    // A dead letter carries its original whole up to 4 MiB: past Kafka's default of 1 MiB per request.
                    .option("kafka.max.request.size", Integer.toString(DeadLetter.MAX_MESSAGE_BYTES))
                    .mode(SaveMode.Append)
                    .save();
        } finally {
            batch.unpersist();
        }
    }
}
