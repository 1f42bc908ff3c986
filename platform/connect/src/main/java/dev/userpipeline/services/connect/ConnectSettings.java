package dev.userpipeline.services.connect;

import dev.userpipeline.config.Setting;
import java.nio.file.Path;
import java.util.List;

/** Every key the Kafka Connect worker reads. */
public final class ConnectSettings {

    public static final Setting<String> HOST = Setting.string("connect.host", "127.0.0.1",
            "Address of the Connect worker's REST API");
    public static final Setting<Integer> PORT = Setting.port("connect.port", 8083,
            "Port of the Connect worker's REST API");
    public static final Setting<String> BOOTSTRAP = Setting.string("connect.bootstrap.servers", "127.0.0.1:9092",
            "Kafka brokers the worker connects to");
    public static final Setting<String> GROUP = Setting.string("connect.group", "pipeline-connect",
            "Connect cluster (group.id); workers with the same group share connectors");
    public static final Setting<Path> PLUGIN_PATH = Setting.path("connect.plugin.path", "platform/connect/target/plugins",
            "Directory of connector plugins (the Debezium PostgreSQL connector is unpacked here at build time)");
    public static final Setting<Path> DATA_DIR = Setting.path("connect.data.dir", ".pipeline/connect",
            "Directory of the worker's generated configuration");

    /** The topic the connector's JSON (connectors/users-created.json) routes the landing table's changes to. */
    public static final String CDC_TOPIC = "users_created";

    public static final List<Setting<?>> ALL = List.of(HOST, PORT, BOOTSTRAP, GROUP, PLUGIN_PATH, DATA_DIR);

    private ConnectSettings() {
    }
}
