package dev.userpipeline.stream;

import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The Spark Structured Streaming job: users from {@code users_created} → parsed, normalised and validated →
 * {@code spark_streams.created_users} (and rejected records to {@code users_created.dlq}); the accepted users,
 * announced on {@code users_created.accepted}, → signups per country per minute into
 * {@code spark_streams.signups_per_minute}.
 *
 * <pre>spark-submit --class dev.userpipeline.stream.UserStreamJob stream-job.jar [--stream-... flags]</pre>
 */
public final class UserStreamJob {

    static final String USERS_QUERY = StreamContract.CREATED_USERS;
    static final String SIGNUPS_QUERY = StreamContract.SIGNUPS;
    /** Named after the query's input too: a checkpoint records its sources and resumes with no other. */
    static final String SIGNUPS_CHECKPOINT = SIGNUPS_QUERY + ".accepted";
    private static final String SCHEDULER_POOL = "spark.scheduler.pool";

    /** Bytes of row data per Cassandra batch: a third of Cassandra's default fail threshold (50 KiB). */
    public static final int CASSANDRA_BATCH_BYTES = 16 * 1024;

    private UserStreamJob() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = ProcessSettings.resolve("spark-submit --class " + UserStreamJob.class.getName() + " stream-job.jar",
                StreamSettings.ALL, args);
        String keyspace = settings.get(StreamSettings.KEYSPACE);
        Path checkpoints = settings.get(StreamSettings.CHECKPOINT_DIR).toAbsolutePath();
        Trigger trigger = Trigger.ProcessingTime(settings.get(StreamSettings.TRIGGER_MS));

        SparkSession spark = SparkSession.builder()
                .appName("user-stream")
                .config(sparkConf(settings))
                .getOrCreate();
        CassandraSchema.apply(spark.sparkContext().getConf(), settings);
        JobTopics.ensure(settings);
        spark.streams().addListener(new ProgressFile(settings.get(StreamSettings.PROGRESS_FILE)));

        // Users: every record ends as a row of created_users or as a dead letter. Each query's jobs run in a pool of
        // their own, so that a users batch takes a core as soon as one of the aggregate's tasks ends rather than
        // after its whole batch. On two cores that is not enough: users batches that meet a batch of the aggregate
        // (1.5-2.8 s every 10 s) still take 1-1.8 s instead of 0.3-0.45 s (bench/results/2026-12-05-spark.md).
        spark.sparkContext().setLocalProperty(SCHEDULER_POOL, USERS_QUERY);
        Dataset<Row> validated = UserRecords.validated(users(spark, settings));
        StreamingQuery users = validated.writeStream()
                .queryName(USERS_QUERY)
                .trigger(trigger)
                .option("checkpointLocation", checkpoints.resolve(USERS_QUERY).toString())
                .foreachBatch(new UserBatchWriter(keyspace, settings.get(ServiceAddresses.KAFKA),
                        settings.get(StreamSettings.ACCEPTED_TOPIC), settings.get(StreamSettings.DLQ_TOPIC)))
                .start();

        // Signups per country per minute: its own query, as its counts are state that must be checkpointed.
        // It reads the users the first query accepted, so that both agree on which users count.
        spark.sparkContext().setLocalProperty(SCHEDULER_POOL, SIGNUPS_QUERY);
        Dataset<Row> signups = UserRecords.signupsPerCountryMinute(
                UserRecords.accepted(acceptedUsers(spark, settings)),
                settings.get(StreamSettings.WATERMARK_SECONDS) + " seconds");
        StreamingQuery counts = signups.writeStream()
                .queryName(SIGNUPS_QUERY)
                .outputMode("update")
                .trigger(Trigger.ProcessingTime(settings.get(StreamSettings.SIGNUPS_TRIGGER_MS)))
                .option("checkpointLocation", checkpoints.resolve(SIGNUPS_CHECKPOINT).toString())
                .foreachBatch(new CassandraTableWriter(keyspace, SIGNUPS_QUERY))
                .start();

        System.out.println("user-stream: queries " + users.name() + " and " + counts.name() + " started; checkpoints in " + checkpoints);
        awaitEnd(spark);
    }

    /** The topic of landed users, read committed: Connect writes it in transactions. */
    static Dataset<Row> users(SparkSession spark, Settings settings) {
        DataStreamReader reader = topic(spark, settings, settings.get(StreamSettings.TOPIC), StreamSettings.MAX_OFFSETS_PER_TRIGGER)
                .option("startingOffsets", settings.get(StreamSettings.STARTING_OFFSETS))
                .option("kafka.isolation.level", "read_committed");
        int minPartitions = settings.get(StreamSettings.MIN_PARTITIONS);
        if (minPartitions > 0) {
            reader = reader.option("minPartitions", minPartitions);
        }
        return reader.load();
    }

    /** The users the first query accepted; from the start, whatever the users query started from. */
    static Dataset<Row> acceptedUsers(SparkSession spark, Settings settings) {
        return topic(spark, settings, settings.get(StreamSettings.ACCEPTED_TOPIC), StreamSettings.SIGNUPS_MAX_OFFSETS_PER_TRIGGER)
                .option("startingOffsets", "earliest")
                .load();
    }

    /** A Kafka source of one topic, with the job's brokers and a micro-batch bound. */
    private static DataStreamReader topic(SparkSession spark, Settings settings, String topic, Setting<Integer> bound) {
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", settings.get(ServiceAddresses.KAFKA))
                .option("subscribe", topic)
                .option("maxOffsetsPerTrigger", settings.get(bound).longValue());
    }

    /**
     * Spark settings of the job. Addresses come from the job's settings; tuning keys are defaults that a
     * {@code spark-submit --conf} overrides.
     */
    static SparkConf sparkConf(Settings settings) {
        SparkConf conf = new SparkConf();
        // The connector takes the contact points' hosts and one port for all of them.
        String cassandra = settings.get(ServiceAddresses.CASSANDRA);
        conf.set("spark.cassandra.connection.host", String.join(",", ServiceAddresses.hosts(cassandra)));
        conf.set("spark.cassandra.connection.port", Integer.toString(ServiceAddresses.firstPort(cassandra)));
        conf.setIfMissing("spark.master", "local[*]");
        conf.setIfMissing("spark.ui.port", settings.get(StreamSettings.UI_PORT).toString());
        // Not a default: landing times, ages and minutes are of the UTC day, and timestamps ending in "Z" are read in
        // the session's zone (UserRecords.timestamp).
        conf.set("spark.sql.session.timeZone", "UTC");
        // Checkpoints hold users' ids and counts: Hadoop's file system applies its own umask (022) rather than the
        // process's, so it is told to keep them to the owner.
        conf.setIfMissing("spark.hadoop.fs.permissions.umask-mode", "077");
        // Only the signups query shuffles, and its input is a few dozen bytes per user: each partition is a
        // state store to commit per batch, so a couple of them keep its batches short (Spark's default of 200
        // makes every batch slow). A checkpoint keeps the number it was created with.
        conf.setIfMissing("spark.sql.shuffle.partitions", "2");
        // The two queries share the cores fairly, task by task (see the pools in main).
        conf.setIfMissing("spark.scheduler.mode", "FAIR");
        // State on local disk rather than on the heap: dedupe keys grow with the watermark.
        conf.setIfMissing("spark.sql.streaming.stateStore.providerClass",
                "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
        // A commit then writes the batch's changes instead of a snapshot of the whole store.
        conf.setIfMissing("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true");
        // A micro-batch is cached only between its two writes: compressing it costs more CPU than it saves.
        conf.setIfMissing("spark.sql.inMemoryColumnarStorage.compressed", "false");
        conf.setIfMissing("spark.cassandra.output.concurrent.writes", "16");
        // Every user is its own partition, so the default grouping (by partition key) sends one row per
        // request. Grouping by replica set sends about 16 users per unlogged batch to the nodes that own them
        // all: measured here on a backlog, it halved Cassandra's CPU per row and warm 50,000-user batches took
        // 12-14 s instead of 23-27 s (the whole-pipeline bench, noisier, showed a smaller gain). Batches are
        // bounded by bytes, not rows: 16 users of ~1 KB make 16 KiB, while 16 users with 20 KB street names
        // made 320 KiB and Cassandra refused the batch (batch_size_fail_threshold, 50 KiB) and with it the job.
        // A row larger than the bound goes alone.
        conf.setIfMissing("spark.cassandra.output.batch.grouping.key", "replica_set");
        conf.setIfMissing("spark.cassandra.output.batch.size.bytes", Integer.toString(CASSANDRA_BATCH_BYTES));
        conf.setIfMissing("spark.cassandra.output.consistency.level", "LOCAL_QUORUM");
        conf.setIfMissing("spark.cassandra.connection.keepAliveMS", "60000");
        return conf;
    }

    /** Runs until a query fails (the error ends the job non-zero) or the process is stopped. */
    private static void awaitEnd(SparkSession spark) throws TimeoutException {
        try {
            spark.streams().awaitAnyTermination();
        } catch (org.apache.spark.sql.streaming.StreamingQueryException e) {
            System.err.println("user-stream: a query failed: " + e.getMessage());
            spark.stop();
            System.exit(1);
        }
    }
}
