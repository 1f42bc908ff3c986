package dev.userpipeline.stack;

import dev.userpipeline.config.Setting;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.offline.OfflineSettings;
import dev.userpipeline.services.airflow.AirflowSettings;
import dev.userpipeline.services.cassandra.CassandraSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import dev.userpipeline.services.spark.SparkSettings;
import dev.userpipeline.stream.StreamSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of the whole stack: the launcher's own, and each service's addresses as that service
 * declares them (so a key such as {@code kafka.port} means the same thing everywhere).
 */
public final class StackSettings {

    public static final Setting<Path> HOME = Setting.path("home", ".pipeline",
            "Work directory holding every service's data, logs and run files");
    public static final Setting<Integer> START_TIMEOUT = Setting.seconds("start.timeout", 240,
            "Seconds a service may take to become healthy before up gives up on it");
    public static final Setting<Integer> STOP_TIMEOUT = Setting.seconds("stop.timeout", 60,
            "Seconds a service may take to stop gracefully before it is killed");

    /** Every key, in the order a reader meets them. */
    public static final List<Setting<?>> ALL;

    static {
        List<Setting<?>> all = new ArrayList<>(List.of(HOME, START_TIMEOUT, STOP_TIMEOUT));
        all.addAll(PostgresSettings.ALL);
        all.addAll(List.of(KafkaSettings.HOST, KafkaSettings.PORT, KafkaSettings.CONTROLLER_PORT));
        all.addAll(List.of(CassandraSettings.HOST, CassandraSettings.PORT, CassandraSettings.STORAGE_PORT));
        all.addAll(List.of(ConnectSettings.HOST, ConnectSettings.PORT));
        all.addAll(OfflineSettings.ALL);
        all.addAll(IngestSettings.ALL);
        all.addAll(SparkSettings.ALL);
        all.addAll(List.of(StreamSettings.KEYSPACE, StreamSettings.STARTING_OFFSETS, StreamSettings.DLQ_TOPIC, StreamSettings.ACCEPTED_TOPIC, StreamSettings.MAX_OFFSETS_PER_TRIGGER, StreamSettings.MIN_PARTITIONS, StreamSettings.TRIGGER_MS, StreamSettings.SIGNUPS_TRIGGER_MS,
                StreamSettings.WATERMARK_SECONDS, StreamSettings.UI_PORT));
        all.addAll(AirflowSettings.ALL);
        all.addAll(ConsoleSettings.ALL);
        ALL = List.copyOf(all);
    }

    private StackSettings() {
    }
}
