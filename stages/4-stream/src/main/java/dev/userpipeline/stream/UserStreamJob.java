package dev.userpipeline.stream;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import dev.userpipeline.config.ProcessSettings;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Settings;
import java.nio.file.Files;
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
 * {@code spark_streams.created_users} (and rejected records to {@code users_created.dlq}); each micro-batch's
 * users counted per country per minute into {@code spark_streams.signups_per_minute}.
 *
 * <pre>spark-submit --class dev.userpipeline.stream.UserStreamJob stream-job.jar [--stream-... flags]</pre>
 */
public final class UserStreamJob {

    static final String USERS_QUERY = StreamContract.CREATED_USERS;

    /** How long the broker holds a fetch that finds nothing new (see {@link #users}). */
    static final String FETCH_MAX_WAIT_MS = "10";

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

        Path usersCheckpoint = checkpoints.resolve(USERS_QUERY);
        UserBatchWriter writer = new UserBatchWriter(keyspace, settings.get(ServiceAddresses.KAFKA), settings.get(StreamSettings.DLQ_TOPIC));
        if (countsFromTheStart(usersCheckpoint, settings)) {
            // A new run counts every user of the topic again: counts of an earlier run would be added to.
            try (CqlSession session = CassandraConnector.apply(spark.sparkContext().getConf()).openSession()) {
                writer.counts().reset(session);
            }
            System.out.println("user-stream: no checkpoint in " + usersCheckpoint + ": reading " + settings.get(StreamSettings.TOPIC)
                    + " from its start, with the signups and totals counted afresh");
        }

        // Every record ends as a row of created_users or as a dead letter, and each micro-batch adds its users to the
        // signups per country and minute: one query, so both agree on who counts and a batch parses its records once.
        StreamingQuery users = UserRecords.validated(users(spark, settings)).writeStream()
                .queryName(USERS_QUERY)
                .trigger(trigger)
                .option("checkpointLocation", usersCheckpoint.toString())
                .foreachBatch(writer)
                .start();

        System.out.println("user-stream: query " + users.name() + " started; checkpoints in " + checkpoints);
        awaitEnd(spark);
    }

    /** The topic of landed users, read committed: Connect writes it in transactions. */
    static Dataset<Row> users(SparkSession spark, Settings settings) {
        DataStreamReader reader = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", settings.get(ServiceAddresses.KAFKA))
                .option("subscribe", settings.get(StreamSettings.TOPIC))
                .option("maxOffsetsPerTrigger", settings.get(StreamSettings.MAX_OFFSETS_PER_TRIGGER).longValue())
                .option("startingOffsets", settings.get(StreamSettings.STARTING_OFFSETS))
                .option("kafka.isolation.level", "read_committed")
                // Connect writes the topic in transactions, so a micro-batch's offset range ends with a commit marker,
                // which a read_committed consumer never returns: the task's last fetch waits for data that is not
                // there, as long as the broker holds an empty fetch (fetch.max.wait.ms, 500 ms by default). Measured:
                // tasks of 300 records ran 550 ms with 20-40 ms of CPU, and the wait set the latency's floor.
                .option("kafka.fetch.max.wait.ms", FETCH_MAX_WAIT_MS);
        int minPartitions = settings.get(StreamSettings.MIN_PARTITIONS);
        if (minPartitions > 0) {
            reader = reader.option("minPartitions", minPartitions);
        }
        return reader.load();
    }

    /** A run without a checkpoint that reads the topic from its start: it counts every user there again. */
    static boolean countsFromTheStart(Path checkpoint, Settings settings) {
        // The checkpoint's metadata file holds the query's id, which names the run in the counts.
        return !Files.isRegularFile(checkpoint.resolve("metadata"))
                && settings.get(StreamSettings.STARTING_OFFSETS).equals("earliest");
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
        // Checkpoints are the job's alone: Hadoop's file system applies its own umask (022) rather than the
        // process's, so it is told to keep them to the owner.
        conf.setIfMissing("spark.hadoop.fs.permissions.umask-mode", "077");
        // The job has no shuffle (a micro-batch's counts are merged on the driver); should one come, Spark's default of
        // 200 tasks for a few rows per country and minute would cost more than the counting.
        conf.setIfMissing("spark.sql.shuffle.partitions", "2");
        // A micro-batch is cached only for its writes and counts: compressing it costs more CPU than it saves.
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
