package dev.userpipeline.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes one validated micro-batch: valid users upserted into {@code created_users}, rejected records to
 * the dead-letter topic. Upserts make a replayed batch harmless.
 *
 * <p>The batch is read once for Cassandra while an observed metric counts the rejected records on the way;
 * only a batch that has some is read again for the dead-letter topic. Rejections are rare, and this spares
 * every batch a cached copy of itself and a second job.
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
    public void call(Dataset<Row> validated, Long batchId) throws InterruptedException {
        Observation rejected = new Observation("rejected-in-batch-" + batchId);
        CassandraTableWriter.write(UserRecords.createdUsers(countingRejected(validated, rejected)), keyspace, "created_users");
        if (rejectedCount(rejected) > 0) {
            UserRecords.deadLetters(validated).write()
                    .format("kafka")
                    .option("kafka.bootstrap.servers", bootstrap)
                    .option("kafka.acks", "all")
                    .option("topic", deadLetterTopic)
                    .mode(SaveMode.Append)
                    .save();
        }
    }

    /** The records, counting the rejected ones into the observation as they pass (filters above do not move below it). */
    static Dataset<Row> countingRejected(Dataset<Row> validated, Observation observation) {
        return validated.observe(observation, count(when(col("reason").isNotNull(), 1)).as("rejected"));
    }

    /** The count, once the action that read the records has finished. */
    static long rejectedCount(Observation observation) throws InterruptedException {
        return ((Number) observation.getAsJava().get("rejected")).longValue();
    }
}
