package dev.userpipeline.stack;

import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Setting;
import dev.userpipeline.config.Settings;
import dev.userpipeline.ingest.IngestSettings;
import dev.userpipeline.offline.OfflineSettings;
import dev.userpipeline.services.airflow.AirflowSettings;
import dev.userpipeline.services.cassandra.CassandraSettings;
import dev.userpipeline.services.connect.ConnectSettings;
import dev.userpipeline.services.kafka.KafkaSettings;
import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.services.spark.SparkSettings;
import dev.userpipeline.stream.StreamSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of the whole stack: the launcher's own, and every key a service's process declares, as that
 * service declares it (so a key such as {@code kafka.port} means the same thing everywhere). The keys
 * that only say where a process keeps its files (data directories, checkpoints) follow from {@link #HOME}
 * and are placed by each service.
 */
public final class StackSettings {

    public static final Setting<Path> HOME = Setting.path("home", ".pipeline",
            "Work directory holding every service's data, logs and run files");
    public static final Setting<Integer> START_TIMEOUT = Setting.seconds("start.timeout", 240,
            "Seconds a service may take to become healthy before up gives up on it");
    public static final Setting<Integer> STOP_TIMEOUT = Setting.seconds("stop.timeout", 60,
            "Seconds a service may take to stop gracefully before it is killed");

    public static final Setting<Boolean> EXTERNAL = Setting.bool("services.external", false,
            "The services run elsewhere (containers, a cluster): status and the console ask each for its health, "
                    + "with no process of this machine to look at");

    /** Keys a service places from the work directory: not set for the whole stack. */
    static final Set<Setting<?>> PLACED = Set.of(KafkaSettings.DATA_DIR, CassandraSettings.DATA_DIR,
            ConnectSettings.PLUGIN_PATH, ConnectSettings.DATA_DIR, StreamSettings.CHECKPOINT_DIR, StreamSettings.PROGRESS_FILE);

    /** Every key, in the order a reader meets them. */
    public static final List<Setting<?>> ALL;

    static {
        Set<Setting<?>> all = new LinkedHashSet<>(List.of(HOME, START_TIMEOUT, STOP_TIMEOUT, EXTERNAL));
        all.addAll(ServiceAddresses.ALL);
        all.addAll(PostgresSettings.ALL);
        all.addAll(KafkaSettings.ALL);
        all.addAll(CassandraSettings.ALL);
        all.addAll(ConnectSettings.ALL);
        all.addAll(OfflineSettings.ALL);
        all.addAll(IngestSettings.ALL);
        all.addAll(SparkSettings.ALL);
        all.addAll(StreamSettings.OWN);
        all.addAll(AirflowSettings.ALL);
        all.addAll(ConsoleSettings.ALL);
        all.addAll(SupervisorSettings.ALL);
        all.removeAll(PLACED);
        ALL = List.copyOf(new ArrayList<>(all));
    }

    private StackSettings() {
    }

    /**
     * The settings with the embedded stack's derivations: Kafka's and Cassandra's client addresses from the
     * ports their processes listen on, and the broker's advertised host from its listener, each unless given.
     */
    public static Settings derived(Settings settings) {
        String kafkaHost = settings.get(KafkaSettings.HOST);
        String cassandraHost = settings.get(CassandraSettings.HOST);
        return settings
                .derive(ServiceAddresses.KAFKA, kafkaHost + ":" + settings.get(KafkaSettings.PORT),
                        "derived from kafka.host and kafka.port")
                .derive(ServiceAddresses.CASSANDRA, cassandraHost + ":" + settings.get(CassandraSettings.PORT),
                        "derived from cassandra.host and cassandra.port")
                .derive(KafkaSettings.ADVERTISED_HOST, kafkaHost, "derived from kafka.host");
    }
}
