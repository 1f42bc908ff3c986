package dev.userpipeline.stream;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes one validated micro-batch: valid users upserted into {@code created_users}, rejected records to
 * the dead-letter topic. Upserts make a replayed batch harmless; the batch is read from Kafka once.
 */
final class UserBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;

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
        Dataset<Row> batch = validated.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            CassandraTableWriter.write(UserRecords.createdUsers(batch), keyspace, "created_users");
            Dataset<Row> deadLetters = UserRecords.deadLetters(batch);
            if (!deadLetters.isEmpty()) {
                deadLetters.write()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", bootstrap)
                        .option("kafka.acks", "all")
                        .option("topic", deadLetterTopic)
                        .mode(SaveMode.Append)
                        .save();
            }
        } finally {
            batch.unpersist();
        }
    }
}
