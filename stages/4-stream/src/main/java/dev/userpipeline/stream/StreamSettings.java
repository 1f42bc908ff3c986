package dev.userpipeline.stream;

import dev.userpipeline.cdc.CdcContract;
import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every key the Spark job reads; Kafka's and Cassandra's addresses are the pipeline's ({@link ServiceAddresses}). */
public final class StreamSettings {

    public static final Setting<String> TOPIC = Setting.string("stream.topic", CdcContract.TOPIC,
            "Topic of landed users (written by the CDC connector)");
    public static final Setting<String> STARTING_OFFSETS = Setting.string("stream.starting.offsets", "earliest",
            "Where a job without checkpoints starts reading: earliest, latest, or Spark's JSON of offsets per partition");
    public static final Setting<String> DLQ_TOPIC = Setting.string("stream.dlq.topic", StreamContract.DLQ_TOPIC,
            "Topic that receives every record the job rejects, with the reason and the original value");
    public static final Setting<String> KEYSPACE = Setting.string("stream.keyspace", StreamContract.KEYSPACE,
            "Keyspace of the job's tables, created at start if missing");
    public static final Setting<Integer> REPLICATION_FACTOR = Setting.integer("stream.replication.factor", 1, 1, 9,
            "Replication factor of the keyspace when the job creates it");
    public static final Setting<Path> CHECKPOINT_DIR = Setting.path("stream.checkpoint.dir", ".pipeline/stream/checkpoints",
            "Where the queries keep their offsets and state; a restart resumes from here");
    public static final Setting<Path> PROGRESS_FILE = Setting.path("stream.progress.file", ".pipeline/stream/progress.json",
            "File the job rewrites after every micro-batch with its queries' latest progress (read by status)");
    public static final Setting<Integer> MAX_OFFSETS_PER_TRIGGER = Setting.integer("stream.max.offsets.per.trigger", 50_000, 100, 10_000_000,
            "Most Kafka records one micro-batch takes, so that a backlog is worked off in bounded steps");
    public static final Setting<Integer> MIN_PARTITIONS = Setting.integer("stream.min.partitions", 0, 0, 10_000,
            "Spark tasks a micro-batch is split into at least (Kafka offset ranges are divided); 0 means one per Kafka partition");
    public static final Setting<Integer> TRIGGER_MS = Setting.integer("stream.trigger.ms", 0, 0, 3_600_000,
            "Milliseconds between micro-batch starts; 0 starts the next batch as soon as the last ends");
    public static final Setting<Integer> UI_PORT = Setting.port("stream.ui.port", 4040,
            "Port of the job's Spark UI (the next free port is taken when it is busy)");

    /** The job's own keys. */
    public static final List<Setting<?>> OWN = List.of(TOPIC, STARTING_OFFSETS, DLQ_TOPIC,
            KEYSPACE, REPLICATION_FACTOR, CHECKPOINT_DIR, PROGRESS_FILE, MAX_OFFSETS_PER_TRIGGER, MIN_PARTITIONS, TRIGGER_MS,
            UI_PORT);

    /** Every key the job resolves: the addresses of Kafka and Cassandra, then its own. */
    public static final List<Setting<?>> ALL;

    static {
        List<Setting<?>> all = new ArrayList<>(ServiceAddresses.ALL);
        all.addAll(OWN);
        ALL = List.copyOf(all);
    }

    private StreamSettings() {
    }
}
