package dev.userpipeline.services.connect;

import dev.userpipeline.config.ServiceAddresses;
import dev.userpipeline.config.Setting;
import dev.userpipeline.services.postgres.PostgresSettings;
import java.nio.file.Path;
import java.util.List;

/** Every key the Kafka Connect worker reads; Kafka's address is the pipeline's ({@link ServiceAddresses#KAFKA}). */
public final class ConnectSettings {

    public static final Setting<String> HOST = Setting.string("connect.host", "127.0.0.1",
            "Address of the Connect worker's REST API");
    public static final Setting<Integer> PORT = Setting.port("connect.port", 8083,
            "Port of the Connect worker's REST API");
    public static final Setting<String> ADVERTISED_HOST = Setting.optional("connect.advertised.host",
            "Host name other workers of the group reach this one's REST API at (empty: connect.host)");
    public static final Setting<String> GROUP = Setting.string("connect.group", "pipeline-connect",
            "Connect cluster (group.id); workers with the same group share connectors");
    public static final Setting<Path> PLUGIN_PATH = Setting.path("connect.plugin.path", "platform/connect/target/plugins",
            "Directory of connector plugins (the Debezium PostgreSQL connector is unpacked here at build time)");
    public static final Setting<Path> DATA_DIR = Setting.path("connect.data.dir", ".pipeline/connect",
            "Directory of the worker's generated configuration");

    /** The worker's own keys. */
    public static final List<Setting<?>> ALL = List.of(HOST, PORT, ADVERTISED_HOST, GROUP, PLUGIN_PATH, DATA_DIR);

    /**
     * Every key the worker's process resolves: Kafka's address, its own, and the database's, which the
     * connector's configuration reads from the worker's environment ({@code ${env:PIPELINE_POSTGRES_...}}).
     */
    public static final List<Setting<?>> PROCESS;

    static {
        List<Setting<?>> all = new java.util.ArrayList<>(List.of(ServiceAddresses.KAFKA));
        all.addAll(ALL);
        all.addAll(PostgresSettings.ALL);
        PROCESS = List.copyOf(all);
    }

    private ConnectSettings() {
    }
}
